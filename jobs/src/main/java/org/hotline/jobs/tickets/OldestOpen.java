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
import org.hotline.jobs.StateCounts;

/**
 * Since when each unit's oldest open ticket has been waiting, and when its open tickets fall due, kept by the job so that
 * the wallboard reads a row per unit however many tickets history holds. Two steps: per ticket, {@link Changes} turns
 * where it stands into the open assignment it entered or left (a ticket moving from one unit to another leaves one and
 * enters the other; an extension leaves the assignment with its old due time and enters it with the new); per unit,
 * {@link Since} counts its open assignments by the time they began and by their due time, and writes the earliest
 * and the due times, at most once per flush.
 */
public final class OldestOpen {
    private OldestOpen() {}

    /**
     * A ticket's open assignment at {@code unit} since {@code sinceMs}, due at {@code dueMs} (null: none known), began
     * ({@code +1}) or ended ({@code -1}).
     */
    public record Change(String unit, long sinceMs, Long dueMs, int sign) {}

    /** A unit's oldest open ticket: assigned at {@code sinceMs}, or none ({@code null}); its open tickets' due times, in order. */
    public record Row(String unit, Long sinceMs, long[] dueMs, long version) {}

    /** Per ticket: from each state it reaches, the open assignment it left and the one it entered. */
    public static final class Changes extends KeyedProcessFunction<String, TicketState, Change> {
        private transient ValueState<String> unit;
        private transient ValueState<Long> since;
        private transient ValueState<Long> due;

        @Override
        public void open(OpenContext ctx) {
            unit = getRuntimeContext().getState(new ValueStateDescriptor<>("open-unit", Types.STRING));
            since = getRuntimeContext().getState(new ValueStateDescriptor<>("open-since", Types.LONG));
            due = getRuntimeContext().getState(new ValueStateDescriptor<>("open-due", Types.LONG));
        }

        @Override
        public void processElement(TicketState s, Context ctx, Collector<Change> out) throws Exception {
            boolean open = "assigned".equals(s.status()) && s.unitId() != null && s.assignedAtMs() != null;
            String was = unit.value();
            Long wasSince = since.value();
            Long wasDue = due.value();
            if (was != null
                    && open
                    && was.equals(s.unitId())
                    && wasSince.equals(s.assignedAtMs())
                    && java.util.Objects.equals(wasDue, s.dueMs())) {
                return; // the same assignment, still open, due when it was
            }
            if (was != null) {
                out.collect(new Change(was, wasSince, wasDue, -1));
                unit.clear();
                since.clear();
                due.clear();
            }
            if (open) {
                out.collect(new Change(s.unitId(), s.assignedAtMs(), s.dueMs(), +1));
                unit.update(s.unitId());
                since.update(s.assignedAtMs());
                due.update(s.dueMs());
            }
        }
    }

    /** Per unit: its open assignments by the time they began; the earliest written when it changed. */
    public static final class Since extends KeyedProcessFunction<String, Change, Row> {
        private final long flushMs;
        private transient MapState<Long, Integer> open;
        /** The open assignments by due time, and whether they changed since the last write. */
        private transient MapState<Long, Integer> dues;

        private transient ValueState<Boolean> duesChanged;
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
            dues = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-due", Types.LONG, Types.INT));
            duesChanged = getRuntimeContext().getState(new ValueStateDescriptor<>("due-changed", Types.BOOLEAN));
            flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
            versions = new RowVersions();
        }

        @Override
        public void processElement(Change c, Context ctx, Collector<Row> out) throws Exception {
            StateCounts.add(open, c.sinceMs(), c.sign());
            if (c.dueMs() != null) {
                StateCounts.add(dues, c.dueMs(), c.sign());
                duesChanged.update(true);
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
            if (before == null || before != shown || Boolean.TRUE.equals(duesChanged.value())) {
                java.util.List<Long> due = new java.util.ArrayList<>();
                for (java.util.Map.Entry<Long, Integer> e : dues.entries()) {
                    for (int i = 0; i < e.getValue(); i++) {
                        due.add(e.getKey());
                    }
                }
                long[] ordered =
                        due.stream().mapToLong(Long::longValue).sorted().toArray();
                out.collect(new Row(ctx.getCurrentKey(), earliest, ordered, versions.next()));
                written.update(shown);
                duesChanged.clear();
            }
        }
    }
}
