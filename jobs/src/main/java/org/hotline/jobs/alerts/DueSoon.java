package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.hotline.jobs.Keys;
import org.hotline.jobs.StateCounts;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.TicketLife;

/**
 * A unit's open tickets falling due within the window (due_soon): a warning while it can still be acted on. Kept
 * per unit: each open ticket's due time, from the lifecycle's {@link TicketLife#DUE} facts. The count moves with
 * the facts and as time passes, when a ticket's due time comes within the window (it enters) and when it passes
 * (it leaves: overdue, which is the backlog rule's), so a timer is set for the next of those moments.
 */
public final class DueSoon extends FactRules {
    /** How many of the tickets the alert names. */
    static final int NAMED = 5;

    private static final java.time.format.DateTimeFormatter DUE_FORMAT = java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd HH:mm")
            .withZone(java.time.ZoneId.of("Asia/Shanghai"));

    /** The open tickets' due times, as ticket and due time joined by {@link Keys}: how many times opened, net. */
    private transient MapState<String, Integer> open;
    /**
     * The due times of those open, in order: what a look at the window counts with two binary searches, instead
     * of going over every open ticket at every fact and timer.
     */
    private transient ValueState<long[]> dues;
    /** Each unit's window and thresholds, read once from the rules. */
    private transient Map<String, Object[]> settings;
    /** The time facts were last applied at (and looked at): looking again at that time finds nothing new. */
    private transient long applied;
    /** The latest time looked again at under a real watermark. */
    private transient long reached;

    public DueSoon(AlertRules rules) {
        super(rules);
    }

    @Override
    public void open(OpenContext ctx) {
        super.open(ctx);
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("due-open", Types.STRING, Types.INT));
        dues = getRuntimeContext().getState(new ValueStateDescriptor<>("due-times", LONGS));
        settings = new java.util.HashMap<>();
        reached = Long.MIN_VALUE;
        applied = Long.MIN_VALUE;
    }

    /** The unit a due fact is about: what the function is keyed by. */
    public static String unitOf(Fact f) {
        return Keys.first(f.value());
    }

    @Override
    void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
        long[] d = dues.value() == null ? new long[0] : dues.value();
        for (Fact f : facts) {
            String ticketAndDue = Keys.rest(f.value());
            int delta = (f.kind() == FactKind.OPENED ? 1 : -1) * f.sign();
            int after = StateCounts.add(open, ticketAndDue, delta);
            int before = after - delta;
            if (before <= 0 && after > 0) {
                d = insert(d, Long.parseLong(Keys.rest(ticketAndDue)));
            } else if (before > 0 && after <= 0) {
                d = remove(d, Long.parseLong(Keys.rest(ticketAndDue)));
            }
        }
        dues.update(d);
        applied = time;
        evaluateAt(time, d, ctx, out);
    }

    /**
     * At the end of a bounded input the watermark jumps to the end of time; time stops at the last moment a real
     * watermark passed instead (as in the tickets' lives), so a replayed month does not warn of every ticket still
     * open at its end.
     */
    @Override
    void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {
        if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
            reached = Math.max(reached, time);
        } else if (time > reached) {
            return;
        }
        if (time != applied) {
            evaluateAt(time, dues.value() == null ? new long[0] : dues.value(), ctx, out);
        }
    }

    private void evaluateAt(long now, long[] d, Context ctx, Collector<Alert> out) throws Exception {
        String unit = ctx.getCurrentKey();
        Object[] rule = settings.computeIfAbsent(unit, u -> {
            JsonNode s = rules.settings("due_soon", u);
            return new Object[] {(long) (AlertRules.number(s, "window_hours") * HOUR), AlertRules.higher(s)};
        });
        long window = (long) rule[0];
        int from = firstAtOrAfter(d, now); // not overdue yet
        int to = firstAtOrAfter(d, now + window + 1); // beyond the window
        long next = Long.MAX_VALUE;
        if (from < to) {
            next = d[from] + 1; // the first falls overdue then
        }
        if (to < d.length) {
            next = Math.min(next, d[to] - window); // the next comes within the window then
        }
        int count = to - from;
        emit(
                evaluate(
                        "due_soon",
                        (Hysteresis) rule[1],
                        count,
                        now,
                        Alert.Subject.dueSoon(unit, now, now + window),
                        () -> soonest(now, window, count)),
                out);
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    /** The first tickets due within the window and their due times, for the alert (only when one is sent). */
    private String soonest(long now, long window, int count) throws Exception {
        if (count == 0) {
            return null;
        }
        java.util.TreeMap<String, String> first = new java.util.TreeMap<>(); // by due time and ticket
        for (Map.Entry<String, Integer> e : open.entries()) {
            long due = Long.parseLong(Keys.rest(e.getKey()));
            if (e.getValue() > 0 && due >= now && due <= now + window) {
                String ticket = Keys.first(e.getKey());
                first.put(
                        String.format("%020d", due) + ticket,
                        DUE_FORMAT.format(java.time.Instant.ofEpochMilli(due)) + " " + ticket);
                if (first.size() > NAMED) {
                    first.pollLastEntry();
                }
            }
        }
        return String.join(", ", first.values()) + (count > first.size() ? " (+" + (count - first.size()) + ")" : "");
    }

    /** The index of the first of the ordered {@code d} at or after {@code t} ({@code d.length}: none). */
    static int firstAtOrAfter(long[] d, long t) {
        int lo = 0;
        int hi = d.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (d[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static long[] insert(long[] d, long t) {
        int at = firstAtOrAfter(d, t);
        long[] out = new long[d.length + 1];
        System.arraycopy(d, 0, out, 0, at);
        out[at] = t;
        System.arraycopy(d, at, out, at + 1, d.length - at);
        return out;
    }

    static long[] remove(long[] d, long t) {
        int at = firstAtOrAfter(d, t);
        if (at == d.length || d[at] != t) {
            return d;
        }
        long[] out = new long[d.length - 1];
        System.arraycopy(d, 0, out, 0, at);
        System.arraycopy(d, at + 1, out, at, d.length - at - 1);
        return out;
    }
}
