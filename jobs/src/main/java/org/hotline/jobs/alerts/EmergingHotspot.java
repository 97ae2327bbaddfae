package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactKind;

/** A category or topic suddenly drawing far more tickets than it usually does. */
public final class EmergingHotspot extends FactRules implements CheckpointedFunction {
    private transient MapState<Long, Long> hourly;
    /**
     * The window's and the baseline's counts as of an hour, {hour, window hours, baseline days, current,
     * baseline}: summed over {@link #hourly} once per hour and then kept up by each fact of that hour, instead of
     * summing a week of hours at every fact.
     */
    private transient ValueState<long[]> sums;
    /**
     * The first time this subtask saw (in event-time order, so the same in every run): a baseline is only judged
     * once it covers the baseline days. Kept in operator state, per subtask, so that a restore does not start
     * the baseline days again.
     */
    private transient long observedSince;

    private transient ListState<long[]> observedSinceState;

    public EmergingHotspot(AlertRules rules) {
        super(rules);
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        observedSinceState =
                ctx.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("observed-since", LONGS));
        observedSince = Long.MAX_VALUE;
        int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        long anyone = Long.MAX_VALUE;
        for (long[] subtaskAndTime : observedSinceState.get()) {
            if (subtaskAndTime[0] == me) {
                observedSince = subtaskAndTime[1];
            }
            anyone = Math.min(anyone, subtaskAndTime[1]);
        }
        if (observedSince == Long.MAX_VALUE) {
            observedSince = anyone; // rescaled: the earliest any subtask saw
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        observedSinceState.update(
                List.of(new long[] {getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), observedSince}));
    }

    @Override
    public void open(OpenContext ctx) {
        super.open(ctx);
        hourly = getRuntimeContext().getMapState(new MapStateDescriptor<>("hourly", Types.LONG, Types.LONG));
        sums = getRuntimeContext().getState(new ValueStateDescriptor<>("hourly-sums", LONGS));
    }

    @Override
    public void processElement(Fact f, Context ctx, Collector<Alert> out) throws Exception {
        if (f.kind() == FactKind.CREATED) {
            super.processElement(f, ctx, out);
        }
    }

    @Override
    void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
        observedSince = Math.min(observedSince, time);
        long hour = Math.floorDiv(time, HOUR);
        int delta = facts.stream().mapToInt(Fact::sign).sum();
        Long n = hourly.get(hour);
        hourly.put(hour, (n == null ? 0 : n) + delta);
        long[] kept = sums.value();
        if (kept != null && kept[0] == hour) {
            if (kept[1] > 0) {
                kept[3] += delta; // this hour is in the window, which the sums hold as of this hour
                sums.update(kept);
            } else {
                sums.clear(); // no window: summed again
            }
        }
        evaluateAt(time, ctx, out);
    }

    @Override
    void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {
        evaluateAt(time, ctx, out);
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    private void evaluateAt(long now, Context ctx, Collector<Alert> out) throws Exception {
        JsonNode s = rules.settings("emerging_hotspot", null);
        long window = (long) AlertRules.number(s, "window_hours");
        long baselineDays = (long) AlertRules.number(s, "baseline_days");
        long nowHour = Math.floorDiv(now, HOUR);
        long horizon = window + baselineDays * 24;
        long[] kept = sums.value();
        if (kept != null
                && kept[1] == window
                && kept[2] == baselineDays
                && window > 0
                && kept[0] < nowHour
                && nowHour - kept[0] <= horizon) {
            // the hours move on: each new hour enters the window, the window's oldest moves to the baseline, the
            // baseline's oldest is forgotten
            for (long h = kept[0] + 1; h <= nowHour; h++) {
                kept[3] += orZero(hourly.get(h));
                long leaving = orZero(hourly.get(h - window));
                kept[3] -= leaving;
                kept[4] += leaving;
                kept[4] -= orZero(hourly.get(h - horizon));
                hourly.remove(h - horizon);
            }
            kept[0] = nowHour;
            sums.update(kept);
        }
        if (kept == null || kept[0] != nowHour || kept[1] != window || kept[2] != baselineDays) {
            kept = new long[] {nowHour, window, baselineDays, 0, 0};
            for (Iterator<Map.Entry<Long, Long>> it = hourly.iterator(); it.hasNext(); ) {
                Map.Entry<Long, Long> e = it.next();
                long age = nowHour - e.getKey();
                if (age < window) {
                    kept[3] += e.getValue();
                } else if (age < horizon) {
                    kept[4] += e.getValue();
                } else {
                    it.remove();
                }
            }
            sums.update(kept);
        }
        long current = kept[3];
        long baseline = kept[4];
        if (now - observedSince < baselineDays * 24 * HOUR) {
            return; // no baseline yet: nothing is "sudden" in the first days
        }
        double usual = baseline * (double) window / (baselineDays * 24);
        boolean sudden = current >= AlertRules.number(s, "factor") * usual;
        // the value judged is the window's count when it is sudden, else 0 (so the alert resolves)
        double value = sudden ? current : 0;
        Hysteresis h =
                new Hysteresis(AlertRules.number(s, "min_count"), AlertRules.number(s, "critical_count"), 1, true);
        String[] dimensionValue = ctx.getCurrentKey().split("\\|", 2);
        boolean topic = dimensionValue[0].equals("topic");
        Alert.Subject about = Alert.Subject.hotspot(
                ctx.getCurrentKey(),
                topic ? dimensionValue[1] : null,
                topic ? null : dimensionValue[1],
                (nowHour - window + 1) * HOUR,
                (nowHour + 1) * HOUR);
        emit(evaluate("emerging_hotspot", h, value, now, about), out);
        if (current > 0) {
            ctx.timerService().registerEventTimeTimer((nowHour + 1) * HOUR); // look again as the window moves on
        }
    }
}
