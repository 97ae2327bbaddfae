package org.hotline.jobs;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;
import org.hotline.events.Reason;
import org.hotline.events.Wire;

/**
 * Passes each step of an entity (a call) once; its steps are the values of an enum, so the ones seen
 * are one small bit set per entity. A step seen before, a redelivery or a
 * resend, goes to the dead letters as a duplicate instead of being counted twice. Keyed by the
 * entity's id; the seen steps are kept for {@code retention} after their last update. With
 * {@link #lateAfter}, a step whose minute is already final (past the allowed lateness) is kept aside
 * as late here, before the raw-event sink, so that it is in exactly one place: not a raw event
 * without its count.
 */
public final class DeduplicateSteps<T, S extends Enum<S> & Wire>
        extends LatenessJudging<String, Sourced<T>, Sourced<T>> {

    private final SerializableFunction<T, S> stepOf;
    private final SerializableFunction<T, String> canonical;
    private final SerializableFunction<T, Long> eventTime;
    private final OutputTag<DeadLetter> deadLetters;
    private final Duration retention;
    private Duration lateness;
    private transient ValueState<Integer> seen;

    public DeduplicateSteps(
            SerializableFunction<T, S> stepOf,
            SerializableFunction<T, String> canonical,
            SerializableFunction<T, Long> eventTime,
            OutputTag<DeadLetter> deadLetters,
            Duration retention) {
        this.stepOf = stepOf;
        this.canonical = canonical;
        this.eventTime = eventTime;
        this.deadLetters = deadLetters;
        this.retention = retention;
    }

    /** Keeps aside, as late, steps whose one-minute window the watermark has passed by more than {@code allowedLateness}. */
    public DeduplicateSteps<T, S> lateAfter(Duration allowedLateness) {
        this.lateness = allowedLateness;
        return this;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
        ValueStateDescriptor<Integer> d = new ValueStateDescriptor<>("seen-steps", Types.INT);
        // Expired entries are cleaned as the state is used: one entry looked at per access instead of Flink's default
        // five, which was about 40 % of this operator's time (scanning the state table's slots); at two or three
        // accesses per call the whole table is still gone through in well under the retention, and an expired entry
        // is never read in between.
        d.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .cleanupIncrementally(1, false)
                .build());
        seen = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(Sourced<T> s, Context ctx, Collector<Sourced<T>> out) throws Exception {
        S step = stepOf.apply(s.event());
        int bit = 1 << step.ordinal();
        Integer steps = seen.value();
        long time = eventTime.apply(s.event());
        if (steps != null && (steps & bit) != 0) {
            ctx.output(
                    deadLetters,
                    DeadLetter.rejected(
                            s,
                            canonical.apply(s.event()),
                            time,
                            Reason.DUPLICATE,
                            "step '" + step.wire() + "' of " + ctx.getCurrentKey() + " was already counted"));
            return;
        }
        // late after duplicate: a step delivered again (a re-read after a restart) is a duplicate, whatever its age.
        // The same test as the counting per minute's, so a step kept here would have been kept aside there.
        if (lateness != null && MinuteSlices.closed(time, lateness.toMillis(), watermark(ctx.timerService()))) {
            ctx.output(
                    deadLetters,
                    DeadLetter.rejected(
                            s,
                            canonical.apply(s.event()),
                            time,
                            Reason.LATE,
                            "later than the allowed lateness of " + lateness + " for its minute"));
            return;
        }
        seen.update(steps == null ? bit : steps | bit);
        out.collect(s);
    }
}
