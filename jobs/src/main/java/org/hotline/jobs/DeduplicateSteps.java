package org.hotline.jobs;

import java.time.Duration;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;
import org.hotline.events.Reason;

/**
 * Passes each step of an entity (a call, a ticket) once. A step seen before, a redelivery or a
 * resend, goes to the dead letters as a duplicate instead of being counted twice. Keyed by the
 * entity's id; the seen steps are kept for {@code retention} after their last update. With
 * {@link #lateAfter}, a step whose minute is already final (past the allowed lateness) is kept aside
 * as late here, before the raw-event sink, so that it is in exactly one place: not a raw event
 * without its count.
 */
public final class DeduplicateSteps<T> extends KeyedProcessFunction<String, Sourced<T>, Sourced<T>> {

    private final SerializableFunction<T, String> stepKey;
    private final SerializableFunction<T, String> canonical;
    private final SerializableFunction<T, Long> eventTime;
    private final OutputTag<DeadLetter> deadLetters;
    private final Duration retention;
    private Duration lateness;
    private transient MapState<String, Boolean> seen;

    public DeduplicateSteps(SerializableFunction<T, String> stepKey, SerializableFunction<T, String> canonical,
            SerializableFunction<T, Long> eventTime, OutputTag<DeadLetter> deadLetters, Duration retention) {
        this.stepKey = stepKey;
        this.canonical = canonical;
        this.eventTime = eventTime;
        this.deadLetters = deadLetters;
        this.retention = retention;
    }

    /** Keeps aside, as late, steps whose one-minute window the watermark has passed by more than {@code allowedLateness}. */
    public DeduplicateSteps<T> lateAfter(Duration allowedLateness) {
        this.lateness = allowedLateness;
        return this;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
        MapStateDescriptor<String, Boolean> d = new MapStateDescriptor<>("seen-steps", Types.STRING, Types.BOOLEAN);
        d.enableTimeToLive(StateTtlConfig.newBuilder(retention).build());
        seen = getRuntimeContext().getMapState(d);
    }

    @Override
    public void processElement(Sourced<T> s, Context ctx, Collector<Sourced<T>> out) throws Exception {
        String step = stepKey.apply(s.event());
        long time = eventTime.apply(s.event());
        if (seen.contains(step)) {
            ctx.output(deadLetters, DeadLetter.rejected(s, canonical.apply(s.event()), eventTime.apply(s.event()),
                    Reason.DUPLICATE, "step '" + step + "' of " + ctx.getCurrentKey() + " was already counted"));
            return;
        }
        // late after duplicate: a step delivered again (a re-read after a restart) is a duplicate, whatever its age.
        // The window's own test: its last millisecond plus the allowed lateness is not past the watermark.
        if (lateness != null && (time / 60_000 + 1) * 60_000 - 1 + lateness.toMillis() <= ctx.timerService().currentWatermark()) {
            ctx.output(deadLetters, DeadLetter.rejected(s, canonical.apply(s.event()), time, Reason.LATE,
                    "later than the allowed lateness of " + lateness + " for its minute"));
            return;
        }
        seen.put(step, Boolean.TRUE);
        out.collect(s);
    }
}
