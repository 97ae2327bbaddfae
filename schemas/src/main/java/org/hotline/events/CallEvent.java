package org.hotline.events;

/**
 * One step of a call (see call-event.schema.json). Times are epoch milliseconds; the fields that
 * only some steps carry are null on the others.
 */
public record CallEvent(
        String eventId,
        int schemaVersion,
        CallEventType type,
        long eventTimeMs,
        String callId,
        String line,
        String callerRegion,
        String agentId,
        Integer waitSeconds,
        Integer talkSeconds) {}
