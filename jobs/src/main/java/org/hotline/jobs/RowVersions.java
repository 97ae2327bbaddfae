package org.hotline.jobs;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * What the operators that rewrite rows share: a version that orders every row a task writes, and a flush at the next
 * multiple of an interval.
 * <p>
 * The version is the wall clock in microseconds, or one more than the last when the clock has not moved on: greater than
 * every version written before, in this run or (by the clock) in any earlier one, since a restart takes longer than a
 * millisecond and a task writes far fewer than a thousand rows a millisecond. (On a cluster, the TaskManagers' clocks
 * are kept in step by NTP.) The store keeps the highest, which is the last written.
 */
public final class RowVersions {
    private long last;

    public long next() {
        last = Math.max(last + 1, System.currentTimeMillis() * 1000);
        return last;
    }

    /**
     * An event-time timer that fires only when the input ends (the watermark jumps to its greatest), for a last write
     * of what a bounded run leaves: processing-time flushes pending then never fire.
     */
    public static final long END_OF_INPUT = Long.MAX_VALUE - 1;

    /** A flush at the next multiple of {@code flushMs} (see {@link #scheduleFlush}) and the last one at {@link #END_OF_INPUT}. */
    public static void flushLater(TimerService timers, ValueState<Long> flushAt, long flushMs) throws IOException {
        if (flushMs > 0 && flushAt.value() != null) {
            return; // both are set: the end of the input's was set with the pending flush (and is only deleted with it)
        }
        timers.registerEventTimeTimer(END_OF_INPUT);
        scheduleFlush(timers, flushAt, flushMs);
    }

    /** As {@link #flushLater(TimerService, ValueState, long)}, for a flush kept in a field: returns where it is now. */
    public static Long flushLaterAt(TimerService timers, Long flushAt, long flushMs) {
        if (flushMs > 0 && flushAt != null) {
            return flushAt;
        }
        timers.registerEventTimeTimer(END_OF_INPUT);
        return scheduleFlushAt(timers, flushAt, flushMs);
    }

    /** As {@link #scheduleFlush(TimerService, ValueState, long)}, for a flush kept in a field: returns where it is now. */
    public static Long scheduleFlushAt(TimerService timers, Long flushAt, long flushMs) {
        if (flushMs <= 0 || flushAt != null) {
            return flushAt;
        }
        long at = timers.currentProcessingTime() / flushMs * flushMs + flushMs;
        timers.registerProcessingTimeTimer(at);
        return at;
    }

    /** A processing-time timer at the next multiple of {@code flushMs}, unless one is pending ({@code flushAt}) or 0. */
    public static void scheduleFlush(TimerService timers, ValueState<Long> flushAt, long flushMs) throws IOException {
        if (flushMs <= 0 || flushAt.value() != null) {
            return;
        }
        long at = timers.currentProcessingTime() / flushMs * flushMs + flushMs;
        timers.registerProcessingTimeTimer(at);
        flushAt.update(at);
    }
}
