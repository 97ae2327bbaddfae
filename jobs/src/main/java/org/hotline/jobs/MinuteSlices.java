package org.hotline.jobs;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Counts per minute and slice (a line and caller region, a unit, a channel...), keyed by the minute:
 * one keyed state entry and one timer per minute hold every slice of it, where a window per slice
 * would need a window, two timers and a state lookup for each. That is most of the job's work when
 * a month is replayed, so it is worth the few lines a window would have spared.
 * <p>
 * The rules are the event-time window's with early updates: a minute is written when the watermark
 * passes its end, every {@code early} of wall-clock time while it is in progress (the wallboard), and
 * at once for a late element within the allowed lateness; an element later than that goes to
 * {@code late}. Only the slices that changed are written again.
 * <p>
 * Each row carries a version that orders every row this task writes, across restarts: the wall clock in
 * microseconds, or one more than the last version when the clock has not moved on. The store keeps the
 * highest, which is the last written: a row written after a restore replaces whatever the task wrote
 * before the crash, where a count of elements folded in (retractions included) could leave an older,
 * incomplete row on top.
 */
public final class MinuteSlices<IN, ACC, OUT> extends LatenessJudging<Long, IN, OUT> {

    public static final long MINUTE = 60_000L;

    /** Makes the row of one slice of a minute from its accumulator. */
    @FunctionalInterface
    public interface Emit<ACC, OUT> extends Serializable {
        OUT row(long minuteStartMs, ACC acc, long version);
    }

    private final AggregateFunction<IN, ACC, ACC> counts;
    private final SerializableFunction<IN, String> slice;
    private final Emit<ACC, OUT> emit;
    private final TypeInformation<ACC> accType;
    private final OutputTag<IN> late;
    private final long earlyMs;
    private final long latenessMs;

    private transient MapState<String, ACC> slices;
    private transient MapState<String, Boolean> changed;
    private transient ValueState<Long> earlyAt;
    private transient RowVersions versions;

    public MinuteSlices(
            AggregateFunction<IN, ACC, ACC> counts,
            SerializableFunction<IN, String> slice,
            Emit<ACC, OUT> emit,
            TypeInformation<ACC> accType,
            OutputTag<IN> late,
            Duration early,
            Duration allowedLateness) {
        this.counts = counts;
        this.slice = slice;
        this.emit = emit;
        this.accType = accType;
        this.late = late;
        this.earlyMs = early.toMillis();
        this.latenessMs = allowedLateness.toMillis();
    }

    /** The key: the start of the minute {@code timeMs} falls in. */
    public static long minuteOf(long timeMs) {
        return timeMs - Math.floorMod(timeMs, MINUTE);
    }

    /** Whether the minute of {@code timeMs} is final: its last millisecond plus the allowed lateness is past the watermark. */
    public static boolean closed(long timeMs, long latenessMs, long watermark) {
        return minuteOf(timeMs) + MINUTE - 1 + latenessMs <= watermark;
    }

    @Override
    public void open(OpenContext ctx) {
        slices = getRuntimeContext().getMapState(new MapStateDescriptor<>("slices", Types.STRING, accType));
        changed = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("changed-slices", Types.STRING, Types.BOOLEAN));
        earlyAt = getRuntimeContext().getState(new ValueStateDescriptor<>("early-update-at", Types.LONG));
        versions = new RowVersions();
    }

    @Override
    public void processElement(IN element, Context ctx, Collector<OUT> out) throws Exception {
        long last = ctx.getCurrentKey() + MINUTE - 1;
        long watermark = watermark(ctx.timerService());
        if (closed(last, latenessMs, watermark)) {
            ctx.output(late, element); // the minute is final and gone
            return;
        }
        if (slices.isEmpty()) {
            // the minute's first element: written when the watermark passes its end, forgotten after the lateness
            ctx.timerService().registerEventTimeTimer(last);
            ctx.timerService().registerEventTimeTimer(last + latenessMs);
        }
        String s = slice.apply(element);
        ACC acc = slices.get(s);
        slices.put(s, counts.add(element, acc == null ? counts.createAccumulator() : acc));
        changed.put(s, Boolean.TRUE);
        if (last <= watermark) {
            writeChanged(ctx.getCurrentKey(), out); // late, within the allowed lateness: correct the row now
        } else if (earlyMs > 0 && earlyAt.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + earlyMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            earlyAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        watermark(ctx.timerService()); // a minute forgotten here stays final after a restore
        long minute = ctx.getCurrentKey();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            earlyAt.clear();
            writeChanged(minute, out);
            return;
        }
        if (timestamp == minute + MINUTE - 1) {
            writeChanged(minute, out);
        }
        if (timestamp == minute + MINUTE - 1 + latenessMs) {
            Long pending = earlyAt.value();
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
            }
            slices.clear();
            changed.clear();
            earlyAt.clear();
        }
    }

    private void writeChanged(long minute, Collector<OUT> out) throws Exception {
        for (String s : changed.keys()) {
            out.collect(emit.row(minute, slices.get(s), versions.next()));
        }
        changed.clear();
    }
}
