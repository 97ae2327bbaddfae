package org.hotline.events;

/**
 * One step of a ticket's life (see ticket-event.schema.json). Times are epoch milliseconds; the
 * fields that only some steps carry are null on the others, and {@code tags} is empty, never null.
 */
public record TicketEvent(
        String eventId,
        int schemaVersion,
        TicketEventType type,
        long eventTimeMs,
        String ticketId,
        String callId,
        Channel channel,
        RequestType requestType,
        String category,
        String topic,
        String region,
        String[] tags,
        Desk desk,
        String unitId,
        Long dueTimeMs,
        Long newDueTimeMs,
        String reason,
        CallbackSource callbackSource,
        Boolean satisfied) {}
