package org.hotline.jobs;

import java.time.Duration;
import java.time.ZoneId;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The analysts' history: the per-minute rows rolled up into longer spans (calls per quarter hour, tickets per day), one
 * row per span and slice, so that ClickHouse stores a few rows per day and slice instead of one per minute.
 * <p>
 * Keyed by span and slice. A minute row is the latest full count of its minute (written again with late events): it
 * replaces the earlier row of its minute, so the span's row is exactly the sum of its minutes' rows. Columns marked
 * {@code max} (the longest waits) combine by the greatest, which holds because a minute's maximum only grows. The row
 * is written when it changed: at a flush (wall clock) while the span is in progress or corrected by late rows, when
 * the watermark passes the span's end, and at the end of the input; the span is forgotten once it is final (its end
 * plus the allowed lateness by the watermark).
 */
public final class Rollup extends KeyedProcessFunction<String, Rollup.In, Rollup.Out> {

    /** How long a span is; spans are aligned to the city's clock. */
    public enum Span {
        /** Every time zone's offset is a whole number of quarter hours, so epoch-aligned quarters are the city's too. */
        QUARTER_HOUR,
        DAY;

        public long start(long ms, ZoneId zone) {
            return switch (this) {
                case QUARTER_HOUR -> ms - Math.floorMod(ms, 15 * MinuteSlices.MINUTE);
                case DAY -> CityCalendar.of(zone).dayStart(ms);
            };
        }

        public long end(long start, ZoneId zone) {
            return switch (this) {
                case QUARTER_HOUR -> start + 15 * MinuteSlices.MINUTE;
                case DAY -> CityCalendar.of(zone).dayEnd(start);
            };
        }
    }

    /** A minute row of {@code slice} (e.g. a dimension and its value, {@link Keys#join joined}), in the span starting at {@code spanStartMs}. */
    @org.apache.flink.api.common.typeinfo.TypeInfo(org.hotline.jobs.serial.RowSerializers.RollupIn.Factory.class)
    public record In(long spanStartMs, String slice, long minute, long[] values) {

        public String key() {
            return Keys.join(spanStartMs, slice);
        }
    }

    /** A span's figures of one slice. */
    public record Out(long spanStartMs, String slice, long[] values, long version) {

        /** The slice's two parts: {@code part(0)} before the separator, {@code part(1)} after. */
        public String part(int i) {
            return i == 0 ? Keys.first(slice) : Keys.rest(slice);
        }
    }

    /**
     * What a span keeps: the latest row of each of its minutes, their sum, whether the sum changed since it was
     * written, and the pending flush.
     */
    @org.apache.flink.api.common.typeinfo.TypeInfo(org.hotline.jobs.serial.SpanSerializer.Factory.class)
    public static final class SpanSums {
        public final java.util.Map<Long, long[]> minutes = new java.util.HashMap<>();
        public long[] sum;
        public boolean unwritten;
        public Long flushAt;
    }

    private static final TypeInformation<long[]> LONGS = PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    private final Span span;
    private final boolean[] max;
    private final ZoneId zone;
    private final long flushMs;
    private final long latenessMs;

    /** Each span in one state entry: one lookup per row. */
    private transient ValueState<SpanSums> spans;
    /** The layout before (a state per part), moved into the one entry when a span is next touched. */
    private transient MapState<Long, long[]> minutesBefore;

    private transient ValueState<long[]> sumBefore;
    private transient ValueState<Boolean> unwrittenBefore;
    private transient ValueState<Long> flushAtBefore;
    private transient RowVersions versions;

    /**
     * @param max which of the values combine by their greatest (the others add up)
     * @param flush how often a span in progress is written (wall clock); zero: when it ends, and for late rows at once
     */
    public Rollup(Span span, boolean[] max, ZoneId zone, Duration flush, Duration allowedLateness) {
        this.span = span;
        this.max = max.clone();
        this.zone = zone;
        this.flushMs = flush.toMillis();
        this.latenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        spans = getRuntimeContext().getState(new ValueStateDescriptor<>("span", TypeInformation.of(SpanSums.class)));
        minutesBefore = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", Types.LONG, LONGS));
        sumBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", LONGS));
        unwrittenBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("unwritten", Types.BOOLEAN));
        flushAtBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
        versions = new RowVersions();
    }

    @Override
    public void processElement(In row, Context ctx, Collector<Out> out) throws Exception {
        SpanSums sums = load();
        long last = span.end(row.spanStartMs(), zone) - 1;
        if (sums == null) {
            // the span's first row: written when the watermark passes its end, forgotten when it is final
            sums = new SpanSums();
            sums.sum = new long[row.values().length];
            ctx.timerService().registerEventTimeTimer(last);
            ctx.timerService().registerEventTimeTimer(last + latenessMs);
        }
        long[] total = sums.sum;
        long[] now = row.values();
        long[] before = sums.minutes.put(row.minute(), now.clone());
        for (int i = 0; i < now.length; i++) {
            total[i] = max[i] ? Math.max(total[i], now[i]) : total[i] + now[i] - (before == null ? 0 : before[i]);
        }
        sums.unwritten = true;
        if (flushMs > 0) {
            // in progress, or a late correction
            sums.flushAt = RowVersions.scheduleFlushAt(ctx.timerService(), sums.flushAt, flushMs);
        } else if (last <= ctx.timerService().currentWatermark()) {
            write(sums, ctx, out); // a late correction, with no flushes: at once
        }
        spans.update(sums);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Out> out) throws Exception {
        SpanSums sums = load();
        if (sums == null) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            sums.flushAt = null;
            write(sums, ctx, out);
            spans.update(sums);
            return;
        }
        // the span's end, or its last moment for late rows (at the end of the input the watermark passes both)
        write(sums, ctx, out);
        if (timestamp == span.end(spanOf(ctx.getCurrentKey()), zone) - 1 + latenessMs) {
            if (sums.flushAt != null) {
                ctx.timerService().deleteProcessingTimeTimer(sums.flushAt);
            }
            spans.clear();
        } else {
            spans.update(sums);
        }
    }

    /** The span's entry (null for a span not seen), its parts moved in from the layout before if need be. */
    private SpanSums load() throws Exception {
        SpanSums sums = spans.value();
        if (sums != null) {
            return sums;
        }
        long[] sumBefore = this.sumBefore.value();
        if (sumBefore == null) {
            return null;
        }
        sums = new SpanSums();
        for (java.util.Map.Entry<Long, long[]> e : minutesBefore.entries()) {
            sums.minutes.put(e.getKey(), e.getValue());
        }
        sums.sum = sumBefore;
        sums.unwritten = unwrittenBefore.value() != null;
        sums.flushAt = flushAtBefore.value();
        minutesBefore.clear();
        this.sumBefore.clear();
        unwrittenBefore.clear();
        flushAtBefore.clear();
        return sums;
    }

    private void write(SpanSums sums, Context ctx, Collector<Out> out) {
        if (!sums.unwritten) {
            return;
        }
        String key = ctx.getCurrentKey();
        out.collect(new Out(spanOf(key), Keys.rest(key), sums.sum.clone(), versions.next()));
        sums.unwritten = false;
    }

    private static long spanOf(String key) {
        return Long.parseLong(Keys.first(key));
    }

    /** Entries the current key holds (for tests: a final span holds none). */
    int minutesHeld() throws Exception {
        SpanSums sums = spans.value();
        return sums == null ? 0 : sums.minutes.size() + 1;
    }
}
