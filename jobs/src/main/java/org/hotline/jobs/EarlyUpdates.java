package org.hotline.jobs;

import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires a minute when the watermark passes its end, as the event-time trigger does, and also every
 * {@code interval} of wall-clock time while events keep arriving for it, so the minute in progress
 * shows on the wallboard within seconds. Each firing carries the counts so far with a higher
 * version; the store keeps the latest. Late events fire again, within the allowed lateness.
 */
public final class EarlyUpdates extends Trigger<Object, TimeWindow> {

    private final long intervalMs;
    private final ValueStateDescriptor<Long> pending = new ValueStateDescriptor<>("early-update-at", Types.LONG);

    public EarlyUpdates(Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE; // late, within the allowed lateness: update at once
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        ValueState<Long> at = ctx.getPartitionedState(pending);
        if (intervalMs > 0 && at.value() == null) {
            long when = ctx.getCurrentProcessingTime() + intervalMs;
            ctx.registerProcessingTimeTimer(when);
            at.update(when);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.getPartitionedState(pending).clear();
        return TriggerResult.FIRE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ValueState<Long> at = ctx.getPartitionedState(pending);
        if (at.value() != null) {
            ctx.deleteProcessingTimeTimer(at.value());
            at.clear();
        }
    }
}
