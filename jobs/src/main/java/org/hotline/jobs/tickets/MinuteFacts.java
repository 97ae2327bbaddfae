package org.hotline.jobs.tickets;

/**
 * The facts of one minute summed per slice by one lifecycle subtask ({@link FactCounts#perMinute}): what the per-minute counting adds to
 * that minute's slices, in one record instead of one per fact.
 */
public record MinuteFacts(long minuteStartMs, FactCounts.Acc[] slices) {}
