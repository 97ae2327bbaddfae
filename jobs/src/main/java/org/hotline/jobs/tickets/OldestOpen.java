package org.hotline.jobs.tickets;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.hotline.jobs.RowVersions;

/**
 * Since when each unit's oldest open ticket has been waiting, kept by the job so that the wallboard reads a row per unit
 * however many tickets history holds. Two steps: per ticket, {@link Changes} turns where it stands into the open
 * assignment it entered or left (a ticket moving from one unit to another leaves one and enters the other); per unit,
 * {@link Since} counts its open assignments by the time they began and writes the earliest, at most once per flush.
 */
public final class OldestOpen {
    private OldestOpen() {}

    /** A ticket's open assignment at {@code unit} since {@code sinceMs} began ({@code +1}) or ended ({@code -1}). */
    public record Change(String unit, long sinceMs, int sign) {}

    /** A unit's oldest open ticket: assigned at {@code sinceMs}, or none ({@code null}). */
    public record Row(String unit, Long sinceMs, long version) {}

    /** Per ticket: from each state it reaches, the open assignment it left and the one it entered. */
    public static final class Changes extends KeyedProcessFunction<String, TicketState, Change> {
        private transient ValueState<String> unit;
        private transient ValueState<Long> since;

        @Override
        public void open(OpenContext ctx) {
            unit = getRuntimeContext().getState(new ValueStateDescriptor<>("open-unit", Types.STRING));
            since = getRuntimeContext().getState(new ValueStateDescriptor<>("open-since", Types.LONG));
        }

        @Override
        public void processElement(TicketState s, Context ctx, Collector<Change> out) throws Exception {
            boolean open = "assigned".equals(s.status()) && s.unitId() != null && s.assignedAtMs() != null;
            String was = unit.value();
            Long wasSince = since.value();
            if (was != null && open && was.equals(s.unitId()) && wasSince.equals(s.assignedAtMs())) {
                return; // the same assignment, still open
            }
            if (was != null) {
                out.collect(new Change(was, wasSince, -1));
                unit.clear();
                since.clear();
            }
            if (open) {
                out.collect(new Change(s.unitId(), s.assignedAtMs(), +1));
                unit.update(s.unitId());
                since.update(s.assignedAtMs());
            }
        }
    }

    /** Per unit: its open assignments by the time they began; the earliest written when it changed. */
    public static final class Since extends KeyedProcessFunction<String, Change, Row> {
        private final long flushMs;
        private transient MapState<Long, Integer> open;
        /** What was last written: the earliest open assignment, or {@link #NONE_OPEN}; null before the first write. */
        private transient ValueState<Long> written;

        private static final long NONE_OPEN = Long.MIN_VALUE;
        private transient ValueState<Long> flushAt;
        private transient RowVersions versions;

        /** @param flush how often a changed unit is written; zero: only at the end of the input */
        public Since(Duration flush) {
            this.flushMs = flush.toMillis();
        }

        @Override
        public void open(OpenContext ctx) {
            open = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-since", Types.LONG, Types.INT));
            written = getRuntimeContext().getState(new ValueStateDescriptor<>("written-since", Types.LONG));
            flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
            versions = new RowVersions();
        }

        @Override
        public void processElement(Change c, Context ctx, Collector<Row> out) throws Exception {
            Integer n = open.get(c.sinceMs());
            int now = (n == null ? 0 : n) + c.sign();
            if (now == 0) {
                open.remove(c.sinceMs());
            } else {
                open.put(c.sinceMs(), now);
            }
            RowVersions.flushLater(ctx.timerService(), flushAt, flushMs);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
            if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
                flushAt.clear();
            } else if (timestamp != RowVersions.END_OF_INPUT) {
                return;
            }
            // a ticket's leaving comes after its entering (both from its own subtask, in order): counts never fall
            // below 0
            Long earliest = null;
            for (Long since : open.keys()) {
                if (earliest == null || since < earliest) {
                    earliest = since;
                }
            }
            long shown = earliest == null ? NONE_OPEN : earliest;
            Long before = written.value();
            if (before == null || before != shown) {
                out.collect(new Row(ctx.getCurrentKey(), earliest, versions.next()));
                written.update(shown);
            }
        }
    }
}
