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

    /**
     * A flush at the next multiple of {@code flushMs} (see {@link #scheduleFlushAt}) and the last one at
     * {@link #END_OF_INPUT}, for a pending flush kept at {@code flushAt} (null: none): returns where it is now.
     */
    public static Long flushLaterAt(TimerService timers, Long flushAt, long flushMs) {
        if (flushMs > 0 && flushAt != null) {
            return flushAt; // both are set: the end of the input's was set with the pending flush (and is only deleted
            // with it)
        }
        timers.registerEventTimeTimer(END_OF_INPUT);
        return scheduleFlushAt(timers, flushAt, flushMs);
    }

    /**
     * A processing-time timer at the next multiple of {@code flushMs}, unless one is pending ({@code flushAt}, null:
     * none) or {@code flushMs} is 0: returns where the pending flush is now.
     */
    public static Long scheduleFlushAt(TimerService timers, Long flushAt, long flushMs) {
        if (flushMs <= 0 || flushAt != null) {
            return flushAt;
        }
        long at = timers.currentProcessingTime() / flushMs * flushMs + flushMs;
        timers.registerProcessingTimeTimer(at);
        return at;
    }

    /** {@link #flushLaterAt}, for a pending flush kept in a state of its own. */
    public static void flushLater(TimerService timers, ValueState<Long> flushAt, long flushMs) throws IOException {
        Long was = flushAt.value();
        keep(flushAt, was, flushLaterAt(timers, was, flushMs));
    }

    /** {@link #scheduleFlushAt}, for a pending flush kept in a state of its own. */
    public static void scheduleFlush(TimerService timers, ValueState<Long> flushAt, long flushMs) throws IOException {
        Long was = flushAt.value();
        keep(flushAt, was, scheduleFlushAt(timers, was, flushMs));
    }

    private static void keep(ValueState<Long> flushAt, Long was, Long now) throws IOException {
        if (now != null && !now.equals(was)) {
            flushAt.update(now);
        }
    }
}
