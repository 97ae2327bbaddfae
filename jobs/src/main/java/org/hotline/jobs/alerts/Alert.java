package org.hotline.jobs.alerts;

/**
 * An alert's change of state: {@code firing} when its condition starts, {@code escalated} when it
 * gets worse (warning to critical), {@code resolved} when it ends. Fields that do not apply to the
 * rule are null. {@code key} identifies what the alert is about (a unit, a ticket, a topic, a line).
 */
public record Alert(
        String rule,
        String key,
        String unit,
        String topic,
        String category,
        String ticketId,
        String severity,
        String state,
        double value,
        double threshold,
        Long windowStartMs,
        Long windowEndMs,
        long eventTimeMs) {}
