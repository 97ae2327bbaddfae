package org.hotline.jobs;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rolling figures of one scope (the city, a unit, a line), kept from the per-minute rows the job writes: the last 15
 * minutes, the last hour, today, the month so far and all time, as one row each, rewritten at most once per flush. So a
 * wallboard reads a handful of rows however much history is kept, and they are the same numbers as the minute rows.
 * <p>
 * A minute row is the latest full count of its minute and slice (written again with late events, within the allowed
 * lateness): it replaces the row of the same slot, and what it adds is the difference. Columns marked {@code max} (the
 * longest waits) combine by the greatest, which holds because a minute's maximum only grows.
 * <p>
 * "Now" is the latest minute with rows in this subtask (or this scope's, if later), so a replayed month reads as it did
 * live. A scope's windows move with it: event-time timers at the minutes a row leaves a window and at the day's and
 * month's ends mark it for the next flush, and the end of the input writes every scope once more.
 */
public final class Rolling extends KeyedProcessFunction<String, Rolling.In, Rolling.Row> {

    public static final long MINUTE = 60_000L;
    static final long DAY = 24 * 60 * MINUTE;
    /** The periods, one row each. */
    public static final List<String> PERIODS = List.of("15m", "1h", "today", "month", "total");

    /**
     * What the rolling figures are made of: a minute row's values, the scope it counts in ({@code dimension} and
     * {@code value}: the city, a unit, a line) and its slot, the minute and slice it is the full count of (a later row
     * of the same slot replaces it).
     */
    public record In(String dimension, String value, String slot, long minute, long[] values) {

        /** The key of its scope. */
        public String scope() {
            return dimension + '\u001f' + value;
        }
    }

    /** One period's figures of one scope, as of the start of the minute {@code asOfMs}. */
    public record Row(String dimension, String value, String period, long asOfMs, long[] values, long version) {}

    private static final org.apache.flink.api.common.typeinfo.TypeInformation<long[]> LONGS =
            org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    private final boolean[] max;
    private final ZoneId zone;
    private final long flushMs;
    private final long latenessMs;

    private transient MapState<String, long[]> slots;
    private transient MapState<Long, long[]> slotMinute;
    private transient MapState<Long, long[]> days;
    private transient ValueState<long[]> total;
    private transient ValueState<Long> scopeNow;
    private transient ValueState<Long> flushAt;
    private transient long subtaskNow;
    private transient long lastVersion;

    /**
     * @param max which of the values combine by their greatest (the others add up)
     * @param flush how often a changed scope is written (wall clock); zero: only at the end of the input
     */
    public Rolling(boolean[] max, ZoneId zone, java.time.Duration flush, java.time.Duration allowedLateness) {
        if (allowedLateness.toMillis() >= DAY) {
            throw new IllegalArgumentException("rolling figures need an allowed lateness under a day, not " + allowedLateness);
        }
        this.max = max.clone();
        this.zone = zone;
        this.flushMs = flush.toMillis();
        this.latenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        slots = getRuntimeContext().getMapState(new MapStateDescriptor<>("slots", Types.STRING,
                LONGS));
        slotMinute = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", Types.LONG,
                LONGS));
        days = getRuntimeContext().getMapState(new MapStateDescriptor<>("days", Types.LONG, LONGS));
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", LONGS));
        scopeNow = getRuntimeContext().getState(new ValueStateDescriptor<>("now", Types.LONG));
        flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
    }

    @Override
    public void processElement(In row, Context ctx, Collector<Row> out) throws Exception {
        long minute = row.minute();
        long[] now = row.values();
        String slot = row.slot();
        long[] before = slots.get(slot);
        // what the row adds: the difference to the row it replaces (sums), or its greatest (maxima)
        long[] delta = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            delta[i] = max[i] ? now[i] : now[i] - (before == null ? 0 : before[i]);
        }
        slots.put(slot, now.clone());
        slotMinute.put(minute, add(slotMinute.get(minute), delta));
        long day = dayOf(minute);
        days.put(day, add(days.get(day), delta));
        total.update(add(total.value(), delta));
        Long seen = scopeNow.value();
        if (seen == null || minute > seen) {
            scopeNow.update(minute);
        }
        subtaskNow = Math.max(subtaskNow, minute);
        // the scope's windows move when this minute leaves the quarter hour and the hour, and at the day's and month's end
        ctx.timerService().registerEventTimeTimer(minute + 15 * MINUTE);
        ctx.timerService().registerEventTimeTimer(minute + 60 * MINUTE);
        ctx.timerService().registerEventTimeTimer(day + DAY);
        ctx.timerService().registerEventTimeTimer(nextMonth(minute));
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1); // the end of the input
        scheduleFlush(ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Row> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            flushAt.clear();
            write(ctx.getCurrentKey(), out);
        } else if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            if (timestamp == Long.MAX_VALUE - 1) {
                write(ctx.getCurrentKey(), out); // the input ended: every scope written once more, as it stands
            }
        } else {
            scheduleFlush(ctx);
        }
    }

    private void scheduleFlush(Context ctx) throws Exception {
        if (flushMs <= 0 || flushAt.value() != null) {
            return;
        }
        long at = ctx.timerService().currentProcessingTime() / flushMs * flushMs + flushMs;
        ctx.timerService().registerProcessingTimeTimer(at);
        flushAt.update(at);
    }

    /** The scope's rows as of now, then what no window needs any more is forgotten. */
    private void write(String key, Collector<Row> out) throws Exception {
        Long own = scopeNow.value();
        if (own == null) {
            return;
        }
        long now = Math.max(own, subtaskNow);
        long today = dayOf(now);
        long month = monthOf(now);
        int n = total.value().length;
        long[] quarter = new long[n];
        long[] hour = new long[n];
        for (Map.Entry<Long, long[]> e : slotMinute.entries()) {
            long minute = e.getKey();
            if (minute <= now && minute > now - 60 * MINUTE) {
                combine(hour, e.getValue());
                if (minute > now - 15 * MINUTE) {
                    combine(quarter, e.getValue());
                }
            }
        }
        long[] monthSoFar = new long[n];
        for (Map.Entry<Long, long[]> e : days.entries()) {
            if (e.getKey() >= month && e.getKey() <= today) {
                combine(monthSoFar, e.getValue());
            }
        }
        long[] day = days.get(today);
        String dimension = key.substring(0, key.indexOf('\u001f'));
        String value = key.substring(key.indexOf('\u001f') + 1);
        List<long[]> figures = List.of(quarter, hour, day == null ? new long[n] : day, monthSoFar, total.value());
        for (int i = 0; i < PERIODS.size(); i++) {
            out.collect(new Row(dimension, value, PERIODS.get(i), now, figures.get(i).clone(), nextVersion()));
        }
        forget(now);
    }

    /** Slots past the allowed lateness and out of every window; days before the previous month. */
    private void forget(long now) throws Exception {
        long keepFrom = Math.min(now - 60 * MINUTE, now - latenessMs - MINUTE);
        List<String> oldSlots = new ArrayList<>();
        for (String slot : slots.keys()) {
            if (slotMinuteOf(slot) < keepFrom) {
                oldSlots.add(slot);
            }
        }
        for (String slot : oldSlots) {
            slots.remove(slot);
        }
        List<Long> old = new ArrayList<>();
        for (Long minute : slotMinute.keys()) {
            if (minute < keepFrom) {
                old.add(minute);
            }
        }
        for (Long minute : old) {
            slotMinute.remove(minute);
        }
        long previousMonth = monthOf(monthOf(now) - 1);
        List<Long> oldDays = new ArrayList<>();
        for (Long d : days.keys()) {
            if (d < previousMonth) {
                oldDays.add(d);
            }
        }
        for (Long d : oldDays) {
            days.remove(d);
        }
    }

    /** The current scope's slots and minutes held (for tests: what {@link #forget} leaves). */
    int minutesHeld() throws Exception {
        int n = 0;
        for (String ignored : slots.keys()) {
            n++;
        }
        for (Long ignored : slotMinute.keys()) {
            n++;
        }
        return n;
    }

    /** A slot names its minute first: {@code <minute ms>\u001f<slice>}. */
    public static String slot(long minute, String slice) {
        return minute + "\u001f" + slice;
    }

    private static long slotMinuteOf(String slot) {
        return Long.parseLong(slot.substring(0, slot.indexOf('\u001f')));
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
        return Instant.ofEpochMilli(ms).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private long monthOf(long ms) {
        ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(zone);
        return t.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private long nextMonth(long ms) {
        return Instant.ofEpochMilli(monthOf(ms)).atZone(zone).plusMonths(1).toInstant().toEpochMilli();
    }

    /** Orders every row this task writes, across restarts (as {@link MinuteSlices} does). */
    private long nextVersion() {
        lastVersion = Math.max(lastVersion + 1, System.currentTimeMillis() * 1000);
        return lastVersion;
    }
}
