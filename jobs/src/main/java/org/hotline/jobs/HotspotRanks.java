package org.hotline.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The hotspots, ranked in Flink: per dimension (category, topic) the values with the most new tickets in the last hour,
 * today and the month so far, each with its count in the window before ({@link Rolling#HOTSPOT_PERIODS}). Written as
 * {@code top} rank slots per period, all of them at each flush (an empty slot when fewer values count), so that a slot a
 * value left is overwritten and a read takes a few rows.
 */
public final class HotspotRanks extends KeyedProcessFunction<String, Rolling.Row, HotspotRanks.Rank> {

    /** The periods ranked, as the wallboard and the analysts' {@code hotspots} view name them, and their rolling period. */
    static final Map<String, String> RANKED = Map.of("hour", "1h", "today", "today", "month", "month");

    static final List<String> ORDER = List.of("hour", "today", "month");

    /** One rank slot of one period: the value there (empty when none), its count and the count of the window before. */
    public record Rank(
            String dimension,
            String period,
            int rank,
            String value,
            long current,
            long previous,
            long asOfMs,
            long version) {}

    private final int top;
    private final long flushMs;

    private transient MapState<String, long[]> counts;
    private transient ValueState<Long> asOf;
    private transient ValueState<Long> flushAt;
    private transient RowVersions versions;

    public HotspotRanks(int top, java.time.Duration flush) {
        this.top = top;
        this.flushMs = flush.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "counts", Types.STRING, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        asOf = getRuntimeContext().getState(new ValueStateDescriptor<>("as-of", Types.LONG));
        flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
        versions = new RowVersions();
    }

    @Override
    public void processElement(Rolling.Row row, Context ctx, Collector<Rank> out) throws Exception {
        int period = Rolling.HOTSPOT_PERIODS.indexOf(row.period());
        long[] c = counts.get(row.value());
        if (c == null) {
            c = new long[Rolling.HOTSPOT_PERIODS.size()];
        }
        c[period] = row.values()[0];
        counts.put(row.value(), c);
        Long seen = asOf.value();
        asOf.update(seen == null ? row.asOfMs() : Math.max(seen, row.asOfMs()));
        RowVersions.flushLater(ctx.timerService(), flushAt, flushMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Rank> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            flushAt.clear();
        }
        String dimension = ctx.getCurrentKey();
        List<Map.Entry<String, long[]>> all = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entries()) {
            boolean any = false;
            for (long v : e.getValue()) {
                any |= v != 0;
            }
            if (any) {
                all.add(Map.entry(e.getKey(), e.getValue().clone()));
            } else {
                gone.add(e.getKey()); // out of every window: forgotten
            }
        }
        for (String value : gone) {
            counts.remove(value);
        }
        for (String period : ORDER) {
            int current = Rolling.HOTSPOT_PERIODS.indexOf(RANKED.get(period));
            List<Map.Entry<String, long[]>> ranked = all.stream()
                    .filter(e -> e.getValue()[current] > 0)
                    .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[current])
                            .thenComparing(Map.Entry::getKey))
                    .limit(top)
                    .toList();
            for (int rank = 1; rank <= top; rank++) {
                Map.Entry<String, long[]> e = rank <= ranked.size() ? ranked.get(rank - 1) : null;
                out.collect(new Rank(
                        dimension,
                        period,
                        rank,
                        e == null ? "" : e.getKey(),
                        e == null ? 0 : e.getValue()[current],
                        e == null ? 0 : e.getValue()[current + 1],
                        asOf.value(),
                        versions.next()));
            }
        }
    }

    /** The current dimension's values held (for tests: a value out of every window is forgotten). */
    int valuesHeld() throws Exception {
        int n = 0;
        for (String ignored : counts.keys()) {
            n++;
        }
        return n;
    }
}
