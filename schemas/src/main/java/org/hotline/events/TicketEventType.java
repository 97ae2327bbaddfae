package org.hotline.events;

public enum TicketEventType implements Wire {
    CREATED,
    RESOLVED_ONLINE,
    DISPATCHED,
    REJECTED,
    RETURNED,
    EXTENSION_GRANTED,
    CONTACTED,
    COMPLETED,
    CALLBACK
}
