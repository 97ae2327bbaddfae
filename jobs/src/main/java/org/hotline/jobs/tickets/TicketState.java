package org.hotline.jobs.tickets;

/**
 * Where a ticket stands, as of the watermark: written to {@code ticket_state} on every change, for
 * drill-down (which unit holds it, since when, due when, how many times dispatched) and for the
 * age of each unit's oldest open ticket. {@code version} grows with every change.
 */
public record TicketState(
        String ticketId,
        String status,
        String unitId,
        int dispatches,
        String category,
        String region,
        Long createdAtMs,
        Long assignedAtMs,
        Long dueMs,
        boolean overdue,
        Long completedAtMs,
        Boolean onTime,
        boolean extended,
        boolean contacted,
        long lastEventMs,
        long version) {}
