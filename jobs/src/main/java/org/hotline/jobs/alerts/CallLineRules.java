package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.hotline.jobs.MinuteSlices;
import org.hotline.jobs.calls.CallMinute;

/** A line's connection rate over the last minutes, and the longest wait of a minute. */
public final class CallLineRules extends OrderedRules<CallMinute> {
    private transient MapState<Long, long[]> minutes;

    public CallLineRules(AlertRules rules) {
        super(rules, TypeInformation.of(CallMinute.class));
    }

    @Override
    public void open(OpenContext ctx) {
        super.open(ctx);
        minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", Types.LONG, LONGS));
    }

    /** A minute is judged once complete (its last millisecond passed), not on the rows written while in progress. */
    @Override
    long timeOf(CallMinute m) {
        return m.minuteStartMs() + MinuteSlices.MINUTE - 1;
    }

    @Override
    Comparator<CallMinute> tieOrder() {
        return Comparator.comparing(CallMinute::callerRegion).thenComparingLong(CallMinute::version);
    }

    @Override
    void apply(long time, List<CallMinute> rows, Context ctx, Collector<Alert> out) throws Exception {
        long minuteStart = time - (MinuteSlices.MINUTE - 1);
        long[] previous = minutes.get(minuteStart);
        // a line's minute comes as one row per caller region, each rewritten with a higher version: the last wins
        Map<Long, long[]> byRegion = new java.util.TreeMap<>();
        if (previous != null) {
            for (int i = 0; i < previous.length; i += 5) {
                byRegion.put(
                        previous[i], new long[] {previous[i + 1], previous[i + 2], previous[i + 3], previous[i + 4]});
            }
        }
        for (CallMinute m : rows) {
            long region = m.callerRegion().hashCode();
            long[] known = byRegion.get(region);
            if (known == null || known[3] <= m.version()) {
                byRegion.put(region, new long[] {
                    m.offered(), m.answered(), Math.max(m.answeredWaitMax(), m.abandonedWaitMax()), m.version()
                });
            }
        }
        long[] packed = new long[byRegion.size() * 5];
        int i = 0;
        long maxWait = 0;
        for (Map.Entry<Long, long[]> e : byRegion.entrySet()) {
            packed[i++] = e.getKey();
            for (long v : e.getValue()) {
                packed[i++] = v;
            }
            maxWait = Math.max(maxWait, e.getValue()[2]);
        }
        minutes.put(minuteStart, packed);

        JsonNode s = rules.settings("connection_rate", null);
        long window = (long) AlertRules.number(s, "window_minutes") * 60_000L;
        long offered = 0;
        long answered = 0;
        for (Iterator<Map.Entry<Long, long[]>> it = minutes.iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            if (e.getKey() <= minuteStart - window) {
                it.remove();
                continue;
            }
            for (int j = 0; j < e.getValue().length; j += 5) {
                offered += e.getValue()[j + 1];
                answered += e.getValue()[j + 2];
            }
        }
        String line = ctx.getCurrentKey();
        long end = minuteStart + 60_000L;
        if (offered >= AlertRules.number(s, "min_offered")) {
            Alert.Subject about = Alert.Subject.line(line, end - window, end);
            emit(evaluate("connection_rate", AlertRules.lower(s), 100.0 * answered / offered, end, about), out);
        }
        Alert.Subject about = Alert.Subject.line(line, minuteStart, end);
        emit(evaluate("long_wait", AlertRules.higher(rules.settings("long_wait", null)), maxWait, end, about), out);
    }
}
