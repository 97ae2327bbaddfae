package org.hotline.events;

/** A typed parse failure: a reason code, the offending field (null when not one field) and a message. */
public record ParseError(Reason reason, String field, String message) {}
