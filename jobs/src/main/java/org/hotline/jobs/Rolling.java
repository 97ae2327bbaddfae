package org.hotline.jobs;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
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
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rolling figures of one scope (the city, a unit, a line), kept from the per-minute rows the job writes: the last 15
 * minutes, the last hour, today, the month so far and all time, as one row each, rewritten at most once per flush. So a
 * wallboard reads a handful of rows however much history is kept, and they are the same numbers as the minute rows.
 * <p>
 * A minute row is the latest full count of its minute and slice (written again with late events, within the allowed
 * lateness): it replaces the row of the same slot, and what it adds is the difference. A slot is kept until its minute
 * is final by the watermark, so that no row of it can come after it is forgotten. Columns marked {@code max} (the
 * longest waits) combine by the greatest, which holds because a minute's maximum only grows.
 * <p>
 * "Now" is the latest minute with rows in this subtask (or this scope's, if later), so a replayed month reads as it did
 * live. A scope's windows move with it: while they hold anything, the scope is looked at every flush and its rows that
 * changed are written; the end of the input writes every scope once more.
 */
public final class Rolling extends KeyedProcessFunction<String, Rolling.In, Rolling.Row>
        implements CheckpointedFunction {

    public static final long MINUTE = 60_000L;
    static final long DAY = 24 * 60 * MINUTE;
    /** The periods the wallboard's panels read, one row each. */
    public static final List<String> PERIODS = List.of("15m", "1h", "today", "month", "total");
    /**
     * The periods a hotspot is judged on, each with the window before it: the hour before the last; the same part of
     * yesterday (its minutes up to 24 hours ago); the month before, by whole days (its days before today's date).
     */
    public static final List<String> HOTSPOT_PERIODS =
            List.of("1h", "prev_1h", "today", "yesterday", "month", "prev_month");

    /**
     * What the rolling figures are made of: a minute row's values, the scope it counts in ({@code dimension} and
     * {@code value}: the city, a unit, a line) and its slot, the minute and slice it is the full count of (a later row
     * of the same slot replaces it). Without a slot ({@code null}) the values are an addition to the minute (a fact,
     * counted once), and nothing is kept to be replaced.
     */
    @org.apache.flink.api.common.typeinfo.TypeInfo(org.hotline.jobs.serial.RowSerializers.RollingIn.Factory.class)
    public record In(String dimension, String value, String slot, long minute, long[] values) {

        /** The key of its scope. */
        public String scope() {
            return Keys.join(dimension, value);
        }
    }

    /**
     * What a scope keeps: the latest row of each slot, the sums per minute (the last hours) and per day (this month and
     * the one before), the total, its own latest minute, the pending flush, the figures last written (every period's one
     * after another: a row is written again only when they change) and the now they were worked out for (cleared by a
     * new row).
     */
    @org.apache.flink.api.common.typeinfo.TypeInfo(org.hotline.jobs.serial.ScopeSerializer.Factory.class)
    public static final class Scope {
        public final Map<String, long[]> slots = new java.util.HashMap<>();
        public final Map<Long, long[]> minutes = new java.util.HashMap<>();
        public final Map<Long, long[]> days = new java.util.HashMap<>();
        public long[] total;
        public Long now;
        public Long flushAt;
        public long[] written;
        public Long lookedAt;
    }

    /** One period's figures of one scope, as of the start of the minute {@code asOfMs}. */
    public record Row(String dimension, String value, String period, long asOfMs, long[] values, long version) {}

    private static final org.apache.flink.api.common.typeinfo.TypeInformation<long[]> LONGS =
            org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    private final List<String> periods;
    private final boolean[] max;
    private final ZoneId zone;
    private final long flushMs;
    private final long latenessMs;

    /** Each scope in one state entry: one lookup per row and per flush. */
    private transient ValueState<Scope> scope;
    /** The layout before (a state per part), moved into the one entry when a scope is next touched. */
    private transient MapState<String, long[]> slotsBefore;

    private transient MapState<Long, long[]> minutesBefore;
    private transient MapState<Long, long[]> daysBefore;
    private transient ValueState<long[]> totalBefore;
    private transient ValueState<Long> nowBefore;
    private transient ValueState<Long> flushAtBefore;
    private transient ValueState<long[]> writtenBefore;
    private transient ValueState<Long> lookedAtBefore;

    private transient long subtaskNow;
    /** {@code subtaskNow} in checkpoints: after a restart "now" does not fall back to each scope's own latest minute. */
    private transient ListState<Long> savedNow;

    private transient RowVersions versions;

    /**
     * @param max which of the values combine by their greatest (the others add up)
     * @param flush how often a changed scope is written (wall clock); zero: only at the end of the input
     */
    public Rolling(boolean[] max, ZoneId zone, java.time.Duration flush, java.time.Duration allowedLateness) {
        this(PERIODS, max, zone, flush, allowedLateness);
    }

    /** With {@code periods} of {@link #PERIODS} and {@link #HOTSPOT_PERIODS}. */
    public Rolling(
            List<String> periods,
            boolean[] max,
            ZoneId zone,
            java.time.Duration flush,
            java.time.Duration allowedLateness) {
        this.periods = List.copyOf(periods);
        this.max = max.clone();
        this.zone = zone;
        this.flushMs = flush.toMillis();
        this.latenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        scope = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "scope", org.apache.flink.api.common.typeinfo.TypeInformation.of(Scope.class)));
        slotsBefore = getRuntimeContext().getMapState(new MapStateDescriptor<>("slots", Types.STRING, LONGS));
        minutesBefore = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", Types.LONG, LONGS));
        daysBefore = getRuntimeContext().getMapState(new MapStateDescriptor<>("days", Types.LONG, LONGS));
        totalBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("total", LONGS));
        nowBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("now", Types.LONG));
        flushAtBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
        writtenBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("written", LONGS));
        lookedAtBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("looked-at", Types.LONG));
        versions = new RowVersions();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        savedNow.update(List.of(subtaskNow));
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        // every subtask's latest minute, to every subtask on restore (rescaling moves scopes): the latest of them
        savedNow = ctx.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("subtask-now", Types.LONG));
        for (Long saved : savedNow.get()) {
            subtaskNow = Math.max(subtaskNow, saved);
        }
    }

    @Override
    public void processElement(In row, Context ctx, Collector<Row> out) throws Exception {
        Scope sc = load();
        long minute = row.minute();
        long[] now = row.values();
        String slot = row.slot();
        long[] before = slot == null ? null : sc.slots.get(slot);
        // what the row adds: the difference to the row it replaces (sums), or its greatest (maxima)
        long[] delta = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            delta[i] = max[i] ? now[i] : now[i] - (before == null ? 0 : before[i]);
        }
        if (slot != null) {
            sc.slots.put(slot, now.clone());
        }
        sc.minutes.put(minute, add(sc.minutes.get(minute), delta));
        long day = dayOf(minute);
        sc.days.put(day, add(sc.days.get(day), delta));
        sc.total = add(sc.total, delta);
        if (sc.now == null || minute > sc.now) {
            sc.now = minute;
        }
        subtaskNow = Math.max(subtaskNow, minute);
        sc.lookedAt = null;
        sc.flushAt = RowVersions.flushLaterAt(ctx.timerService(), sc.flushAt, flushMs);
        scope.update(sc);
    }

    /** The scope's entry (a new one for a scope not seen), its parts moved in from the layout before if need be. */
    private Scope load() throws Exception {
        Scope sc = scope.value();
        if (sc != null) {
            return sc;
        }
        sc = new Scope();
        if (totalBefore.value() != null) {
            for (Map.Entry<String, long[]> e : slotsBefore.entries()) {
                sc.slots.put(e.getKey(), e.getValue());
            }
            for (Map.Entry<Long, long[]> e : minutesBefore.entries()) {
                sc.minutes.put(e.getKey(), e.getValue());
            }
            for (Map.Entry<Long, long[]> e : daysBefore.entries()) {
                sc.days.put(e.getKey(), e.getValue());
            }
            sc.total = totalBefore.value();
            sc.now = nowBefore.value();
            sc.flushAt = flushAtBefore.value();
            sc.written = writtenBefore.value();
            sc.lookedAt = lookedAtBefore.value();
            for (org.apache.flink.api.common.state.State before : List.of(
                    slotsBefore,
                    minutesBefore,
                    daysBefore,
                    totalBefore,
                    nowBefore,
                    flushAtBefore,
                    writtenBefore,
                    lookedAtBefore)) {
                before.clear();
            }
        }
        return sc;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            // Every flush while the scope's windows hold anything: "now" moves with the other scopes' rows, and its
            // windows with it; a row is written only when its figures changed.
            Scope sc = load();
            sc.flushAt = null;
            Long own = sc.now;
            Long looked = sc.lookedAt;
            if (own != null && looked != null && Math.max(own, subtaskNow) == looked) {
                // no new row here, and now has not moved: nothing can have changed
                sc.flushAt = RowVersions.scheduleFlushAt(ctx.timerService(), null, flushMs);
            } else if (write(
                    sc, ctx.getCurrentKey(), out, false, ctx.timerService().currentWatermark())) {
                sc.flushAt = RowVersions.scheduleFlushAt(ctx.timerService(), null, flushMs);
            }
            scope.update(sc);
        } else if (timestamp == RowVersions.END_OF_INPUT) {
            Scope sc = load();
            // the input ended: every scope written once more, as it stands
            write(sc, ctx.getCurrentKey(), out, true, Long.MAX_VALUE);
            scope.update(sc);
        }
    }

    /**
     * The scope's rows as of now (all of them, or only those changed since last written), then what no window needs any
     * more is forgotten. Says whether a window still holds anything, so that it moves at later flushes.
     */
    private boolean write(Scope sc, String key, Collector<Row> out, boolean all, long watermark) {
        Long own = sc.now;
        if (own == null) {
            return false;
        }
        long now = Math.max(own, subtaskNow);
        String dimension = Keys.first(key);
        String value = Keys.rest(key);
        int n = sc.total.length;
        long[] shown = sc.written;
        long[] figures = new long[periods.size() * n];
        boolean moving = false;
        for (int p = 0; p < periods.size(); p++) {
            long[] f = figures(sc, periods.get(p), now);
            System.arraycopy(f, 0, figures, p * n, n);
            boolean changed = shown == null || !Arrays.equals(shown, p * n, p * n + n, f, 0, n);
            if (all || changed) {
                out.collect(new Row(dimension, value, periods.get(p), now, f, versions.next()));
            }
            if (!periods.get(p).equals("total")) {
                for (long v : f) {
                    moving |= v != 0;
                }
            }
        }
        sc.written = figures;
        sc.lookedAt = now;
        forget(sc, now, watermark);
        return moving;
    }

    /** One period's figures as of {@code now}: its minutes (the last hours, yesterday) or its days. */
    private long[] figures(Scope sc, String period, long now) {
        long[] out = new long[sc.total.length];
        long today = dayOf(now);
        long month = monthOf(now);
        switch (period) {
            case "15m", "1h", "prev_1h", "yesterday" -> {
                long from = switch (period) {
                    case "15m" -> now - 15 * MINUTE;
                    case "1h" -> now - 60 * MINUTE;
                    case "prev_1h" -> now - 120 * MINUTE;
                    default -> dayOf(today - 1) - 1;
                };
                long to = switch (period) {
                    case "prev_1h" -> now - 60 * MINUTE;
                    case "yesterday" -> Math.min(now - DAY, today - 1);
                    default -> now;
                };
                for (Map.Entry<Long, long[]> e : sc.minutes.entrySet()) {
                    if (e.getKey() > from && e.getKey() <= to) {
                        combine(out, e.getValue());
                    }
                }
            }
            case "today" -> {
                long[] day = sc.days.get(today);
                if (day != null) {
                    combine(out, day);
                }
            }
            case "month", "prev_month" -> {
                long from = period.equals("month") ? month : monthOf(month - 1);
                // the month before: its days before today's date (a shorter month: all of them)
                int date = Instant.ofEpochMilli(now).atZone(zone).getDayOfMonth();
                long to = period.equals("month")
                        ? today
                        : Math.min(
                                month - 1,
                                Instant.ofEpochMilli(from)
                                                .atZone(zone)
                                                .plusDays(date - 1)
                                                .toInstant()
                                                .toEpochMilli()
                                        - 1);
                for (Map.Entry<Long, long[]> e : sc.days.entrySet()) {
                    if (e.getKey() >= from && e.getKey() <= to) {
                        combine(out, e.getValue());
                    }
                }
            }
            case "total" -> combine(out, sc.total);
            default -> throw new IllegalArgumentException("unknown period " + period);
        }
        return out;
    }

    /**
     * Minutes out of every window; slots also final (no row can come for them any more: their minute is past the allowed
     * lateness by the watermark, which a partition read behind the others holds back); days before the previous month.
     */
    private void forget(Scope sc, long now, long watermark) {
        long lastHours = now - (periods.contains("prev_1h") ? 120 : 60) * MINUTE;
        long until = periods.contains("yesterday") ? Math.min(lastHours, dayOf(dayOf(now) - 1)) : lastHours;
        long previousMonth = monthOf(monthOf(now) - 1);
        sc.slots.keySet().removeIf(slot -> {
            long minute = slotMinuteOf(slot);
            return minute < until && MinuteSlices.closed(minute, latenessMs, watermark);
        });
        sc.minutes.keySet().removeIf(minute -> minute < until);
        sc.days.keySet().removeIf(day -> day < previousMonth);
    }

    /** The current scope's slots and minutes held (for tests: what {@link #forget} leaves). */
    int minutesHeld() throws Exception {
        Scope sc = scope.value();
        return sc == null ? 0 : sc.slots.size() + sc.minutes.size();
    }

    /** A slot names its minute first: the minute's start (ms) and the slice, {@link Keys#join joined}. */
    public static String slot(long minute, String slice) {
        return Keys.join(minute, slice);
    }

    /** The minute a slot names, read in place (every slot is looked at whenever a scope is written). */
    static long slotMinuteOf(String slot) {
        boolean negative = slot.charAt(0) == '-';
        long minute = 0;
        for (int i = negative ? 1 : 0; slot.charAt(i) != Keys.SEPARATOR; i++) {
            minute = minute * 10 + (slot.charAt(i) - '0');
        }
        return negative ? -minute : minute;
    }

    private long[] add(long[] to, long[] delta) {
        long[] out = to == null ? new long[delta.length] : to;
        combine(out, delta);
        return out;
    }

    private void combine(long[] to, long[] more) {
        for (int i = 0; i < to.length; i++) {
            to[i] = max[i] ? Math.max(to[i], more[i]) : to[i] + more[i];
        }
    }

    private long dayOf(long ms) {
        return CityCalendar.of(zone).dayStart(ms);
    }

    private long monthOf(long ms) {
        return CityCalendar.of(zone).monthStart(ms);
    }
}
