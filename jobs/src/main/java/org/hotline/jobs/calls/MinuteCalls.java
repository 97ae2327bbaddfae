package org.hotline.jobs.calls;

/**
 * The call steps of one minute summed per line and caller region by one subtask ({@link CallCounts#perMinute}): what
 * the per-minute counting adds to that minute's slices, in one record instead of one per step.
 */
public record MinuteCalls(long minuteStartMs, CallCounts.Acc[] slices) {}
