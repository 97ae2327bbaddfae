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
 * replaces the earlier row of its minute, so the span's row is exactly the sum of its minutes' rows. Fed
 * {@linkplain #additions additions} instead (a ticket's facts, each counted once, retractions negative), each row adds
 * to its span and no minute is kept. Columns marked
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

    private static final TypeInformation<long[]> LONGS = PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    private final Span span;
    private final boolean[] max;
    private final ZoneId zone;
    private final long flushMs;
    private final long latenessMs;
    private final boolean additions;

    private transient MapState<Long, long[]> minutes;
    private transient ValueState<long[]> sum;
    private transient ValueState<Boolean> unwritten;
    private transient ValueState<Long> flushAt;
    private transient RowVersions versions;

    /**
     * @param max which of the values combine by their greatest (the others add up)
     * @param flush how often a span in progress is written (wall clock); zero: when it ends, and for late rows at once
     */
    public Rollup(Span span, boolean[] max, ZoneId zone, Duration flush, Duration allowedLateness) {
        this(span, max, zone, flush, allowedLateness, false);
    }

    private Rollup(Span span, boolean[] max, ZoneId zone, Duration flush, Duration allowedLateness, boolean additions) {
        this.span = span;
        this.max = max.clone();
        this.zone = zone;
        this.flushMs = flush.toMillis();
        this.latenessMs = allowedLateness.toMillis();
        this.additions = additions;
    }

    /**
     * A rollup whose rows are additions to their span (each counted once; no column combines by the greatest): what
     * the rows of a minute would have summed to, without keeping the minute. A row for a span already final must not
     * reach it (it would start the span again from nothing): what feeds it keeps those aside.
     */
    public static Rollup additions(Span span, int columns, ZoneId zone, Duration flush, Duration allowedLateness) {
        return new Rollup(span, new boolean[columns], zone, flush, allowedLateness, true);
    }

    @Override
    public void open(OpenContext ctx) {
        minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", Types.LONG, LONGS));
        sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", LONGS));
        unwritten = getRuntimeContext().getState(new ValueStateDescriptor<>("unwritten", Types.BOOLEAN));
        flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
        versions = new RowVersions();
    }

    @Override
    public void processElement(In row, Context ctx, Collector<Out> out) throws Exception {
        long[] total = sum.value();
        long last = span.end(row.spanStartMs(), zone) - 1;
        if (total == null) {
            // the span's first row: written when the watermark passes its end, forgotten when it is final
            total = new long[row.values().length];
            ctx.timerService().registerEventTimeTimer(last);
            ctx.timerService().registerEventTimeTimer(last + latenessMs);
        }
        long[] now = row.values();
        if (additions) {
            for (int i = 0; i < now.length; i++) {
                total[i] += now[i];
            }
        } else {
            long[] before = minutes.get(row.minute());
            for (int i = 0; i < now.length; i++) {
                total[i] = max[i] ? Math.max(total[i], now[i]) : total[i] + now[i] - (before == null ? 0 : before[i]);
            }
            minutes.put(row.minute(), now.clone());
        }
        sum.update(total);
        unwritten.update(Boolean.TRUE);
        if (flushMs > 0) {
            RowVersions.scheduleFlush(ctx.timerService(), flushAt, flushMs); // in progress, or a late correction
        } else if (last <= ctx.timerService().currentWatermark()) {
            write(ctx, out); // a late correction, with no flushes: at once
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Out> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            flushAt.clear();
            write(ctx, out);
            return;
        }
        // the span's end, or its last moment for late rows (at the end of the input the watermark passes both)
        write(ctx, out);
        if (timestamp == span.end(spanOf(ctx.getCurrentKey()), zone) - 1 + latenessMs) {
            Long pending = flushAt.value();
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
            }
            minutes.clear();
            sum.clear();
            unwritten.clear();
            flushAt.clear();
        }
    }

    private void write(Context ctx, Collector<Out> out) throws Exception {
        if (unwritten.value() == null) {
            return;
        }
        String key = ctx.getCurrentKey();
        out.collect(new Out(spanOf(key), Keys.rest(key), sum.value().clone(), versions.next()));
        unwritten.clear();
    }

    private static long spanOf(String key) {
        return Long.parseLong(Keys.first(key));
    }

    /** Entries the current key holds (for tests: a final span holds none). */
    int minutesHeld() throws Exception {
        int n = 0;
        for (Long ignored : minutes.keys()) {
            n++;
        }
        return n + (sum.value() == null ? 0 : 1);
    }
}
