package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.Keys;
import org.hotline.jobs.MinuteSlices;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.StateCounts;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.TicketLife;

/** The alert rules as keyed functions, each evaluated in event time as its input arrives. */
public final class AlertFunctions {
    private AlertFunctions() {}

    static final long HOUR = 3_600_000L;
    static final org.apache.flink.api.common.typeinfo.TypeInformation<long[]> LONGS =
            org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    /** Keeps one rule's level for the current key and reports its changes. */
    abstract static class Rules<I> extends KeyedProcessFunction<String, I, Alert> {
        final AlertRules rules;
        transient MapState<String, String> levels;

        Rules(AlertRules rules) {
            this.rules = rules;
        }

        @Override
        public void open(OpenContext ctx) {
            levels = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>("alert-levels", Types.STRING, Types.STRING));
        }

        /** Evaluates {@code rule} with {@code value}; returns the alert to send, or null. */
        Alert evaluate(String rule, Hysteresis thresholds, double value, long time, Alert.Subject about)
                throws Exception {
            return evaluate(rule, thresholds, value, time, about, () -> null);
        }

        /** What an alert names of what its value counts, worked out only when an alert is sent. */
        @FunctionalInterface
        interface Detail {
            String get() throws Exception;
        }

        /** The same, with what the value counts named in the alert. */
        Alert evaluate(String rule, Hysteresis thresholds, double value, long time, Alert.Subject about, Detail detail)
                throws Exception {
            String stored = levels.get(rule);
            Hysteresis.Level current = stored == null ? Hysteresis.Level.NONE : Hysteresis.Level.valueOf(stored);
            Hysteresis.Step step = thresholds.next(current, value);
            if (step.state() == null) {
                return null;
            }
            levels.put(rule, step.level().name());
            Hysteresis.Level reported = step.level() == Hysteresis.Level.NONE ? current : step.level();
            return Alert.of(
                    rule,
                    about,
                    Hysteresis.severity(reported),
                    step.state(),
                    value,
                    thresholds.threshold(reported),
                    time,
                    detail.get());
        }

        static void emit(Alert a, Collector<Alert> out) {
            if (a != null) {
                out.collect(a);
            }
        }
    }

    /**
     * A rule over inputs that reach one key from many upstream tasks (the facts of many tickets, the rows of a
     * minute written early and then complete): they are held until the watermark passes their time and applied
     * a time at a time, in an order that does not depend on how they arrived. So a replay, a restore or a
     * restart evaluates the same inputs in the same order and raises exactly the same alerts.
     */
    abstract static class OrderedRules<I> extends Rules<I> {
        private final TypeInformation<I> type;
        private transient MapState<Long, List<I>> pending;

        OrderedRules(AlertRules rules, TypeInformation<I> type) {
            super(rules);
            this.type = type;
        }

        /** The event time an input counts at. */
        abstract long timeOf(I input);

        /** The inputs of one time in an order of their own content. */
        abstract Comparator<I> tieOrder();

        /** Applies the inputs of {@code time}, in order, and evaluates. */
        abstract void apply(long time, List<I> inputs, Context ctx, Collector<Alert> out) throws Exception;

        /** A time the rule itself asked to look again at (its window moving on); nothing by default. */
        void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {}

        @Override
        public void open(OpenContext ctx) {
            super.open(ctx);
            pending = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>("pending-inputs", Types.LONG, Types.LIST(type)));
        }

        @Override
        public void processElement(I input, Context ctx, Collector<Alert> out) throws Exception {
            long time = timeOf(input);
            List<I> at = pending.get(time);
            if (at == null) {
                at = new ArrayList<>();
                ctx.timerService().registerEventTimeTimer(time);
            }
            at.add(input);
            pending.put(time, at);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
            List<I> at = pending.get(timestamp);
            if (at != null) {
                pending.remove(timestamp);
                at.sort(tieOrder());
                apply(timestamp, at, ctx, out);
            }
            lookAgain(timestamp, ctx, out);
        }
    }

    /** A rule over a ticket's facts: each counts at its time; the same time's facts in the order of their content. */
    abstract static class FactRules extends OrderedRules<Fact> {
        FactRules(AlertRules rules) {
            super(rules, TypeInformation.of(Fact.class));
        }

        @Override
        long timeOf(Fact f) {
            return f.timeMs();
        }

        @Override
        Comparator<Fact> tieOrder() {
            return Comparator.comparing(Fact::kind)
                    .thenComparingInt(Fact::sign)
                    .thenComparing(Fact::dimension)
                    .thenComparing(Fact::value);
        }
    }

    /** A unit's open tickets past their due time (backlog) and all its open tickets (backlog_size), from its facts. */
    public static final class UnitBacklog extends FactRules {
        private transient ValueState<long[]> counts;

        public UnitBacklog(AlertRules rules) {
            super(rules);
        }

        @Override
        public void open(OpenContext ctx) {
            super.open(ctx);
            counts = getRuntimeContext().getState(new ValueStateDescriptor<>("backlog", LONGS));
        }

        @Override
        void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
            long[] c = counts.value() == null ? new long[2] : counts.value();
            boolean changed = false;
            for (Fact f : facts) {
                switch (f.kind()) {
                    case OPENED -> c[0] += f.sign();
                    case CLOSED -> c[0] -= f.sign();
                    case OVERDUE_OPENED -> c[1] += f.sign();
                    case OVERDUE_CLOSED -> c[1] -= f.sign();
                    default -> {
                        continue;
                    }
                }
                changed = true;
            }
            if (!changed) {
                return;
            }
            counts.update(c);
            String unit = ctx.getCurrentKey();
            Alert.Subject about = Alert.Subject.unit(unit);
            emit(evaluate("backlog", AlertRules.higher(rules.settings("backlog", unit)), c[1], time, about), out);
            emit(
                    evaluate(
                            "backlog_size", AlertRules.higher(rules.settings("backlog_size", unit)), c[0], time, about),
                    out);
        }
    }

    /**
     * A unit's open tickets falling due within the window (due_soon): a warning while it can still be acted on. Kept
     * per unit: each open ticket's due time, from the lifecycle's {@link TicketLife#DUE} facts. The count moves with
     * the facts and as time passes, when a ticket's due time comes within the window (it enters) and when it passes
     * (it leaves: overdue, which is the backlog rule's), so a timer is set for the next of those moments.
     */
    public static final class DueSoon extends FactRules {
        /** How many of the tickets the alert names. */
        static final int NAMED = 5;

        private static final java.time.format.DateTimeFormatter DUE_FORMAT =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
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
            return String.join(", ", first.values())
                    + (count > first.size() ? " (+" + (count - first.size()) + ")" : "");
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

    /** One unit rejecting or returning many tickets of one category within a window. */
    public static final class ConcentratedReturns extends FactRules {
        private transient ListState<Long> times;

        public ConcentratedReturns(AlertRules rules) {
            super(rules);
        }

        @Override
        public void open(OpenContext ctx) {
            super.open(ctx);
            times = getRuntimeContext().getListState(new ListStateDescriptor<>("returns", Types.LONG));
        }

        @Override
        void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
            List<Long> all = new ArrayList<>();
            times.get().forEach(all::add);
            for (Fact f : facts) {
                if (f.sign() > 0) {
                    all.add(f.timeMs());
                } else {
                    all.remove(Long.valueOf(f.timeMs()));
                }
            }
            times.update(all);
            evaluateAt(time, all, ctx, out);
        }

        @Override
        void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {
            List<Long> all = new ArrayList<>();
            times.get().forEach(all::add);
            evaluateAt(time, all, ctx, out);
        }

        private void evaluateAt(long now, List<Long> all, Context ctx, Collector<Alert> out) throws Exception {
            String[] unitAndCategory = ctx.getCurrentKey().split("\\|", 2);
            JsonNode s = rules.settings("concentrated_returns", unitAndCategory[0]);
            long window = (long) (AlertRules.number(s, "window_hours") * HOUR);
            all.removeIf(t -> t <= now - window - HOUR * 24 * 30); // forget what is long past
            long count = all.stream().filter(t -> t > now - window && t <= now).count();
            Alert.Subject about = Alert.Subject.returns(
                    ctx.getCurrentKey(), unitAndCategory[0], unitAndCategory[1], now - window, now);
            emit(evaluate("concentrated_returns", AlertRules.higher(s), count, now, about), out);
            all.stream()
                    .filter(t -> t > now - window)
                    .min(Long::compare)
                    .ifPresent(oldest -> ctx.timerService().registerEventTimeTimer(oldest + window + 1));
        }
    }

    /** A ticket dispatched again and again. */
    public static final class BouncingTicket extends OrderedRules<Sourced<TicketEvent>> {
        private transient ValueState<Bouncing> ticket;

        /** What the rule keeps of a ticket. */
        public static final class Bouncing {
            public int dispatches;
            public boolean done;
            /** The unit it was last dispatched to, and its category. */
            public String unit;

            public String category;
        }

        public BouncingTicket(AlertRules rules, TypeInformation<Sourced<TicketEvent>> steps) {
            super(rules, steps);
        }

        @Override
        public void open(OpenContext ctx) {
            super.open(ctx);
            ticket = getRuntimeContext().getState(new ValueStateDescriptor<>("bouncing", Bouncing.class));
        }

        /** Every step the ticket's life accepted, once each, at its own time: no dispatch is missed however far the watermark jumps. */
        @Override
        long timeOf(Sourced<TicketEvent> s) {
            return s.event().eventTimeMs();
        }

        @Override
        Comparator<Sourced<TicketEvent>> tieOrder() {
            return Comparator.comparing(s -> s.event(), TicketLife.ORDER);
        }

        @Override
        void apply(long time, List<Sourced<TicketEvent>> steps, Context ctx, Collector<Alert> out) throws Exception {
            Bouncing t = ticket.value() == null ? new Bouncing() : ticket.value();
            for (Sourced<TicketEvent> s : steps) {
                TicketEvent e = s.event();
                switch (e.type()) {
                    case CREATED -> t.category = e.category();
                    case DISPATCHED -> {
                        t.dispatches++;
                        t.unit = e.unitId();
                    }
                    case COMPLETED, RESOLVED_ONLINE -> t.done = true;
                    default -> {}
                }
            }
            ticket.update(t);
            // the count only grows; the alert ends when the ticket is done
            double value = t.done ? 0 : t.dispatches;
            String id = ctx.getCurrentKey();
            Alert.Subject about = Alert.Subject.ticket(id, t.unit, t.category);
            emit(
                    evaluate(
                            "bouncing_ticket",
                            AlertRules.higher(rules.settings("bouncing_ticket", null)),
                            value,
                            time,
                            about),
                    out);
        }
    }

    /** A category or topic suddenly drawing far more tickets than it usually does. */
    public static final class EmergingHotspot extends FactRules implements CheckpointedFunction {
        private transient MapState<Long, Long> hourly;
        /**
         * The window's and the baseline's counts as of an hour, {hour, window hours, baseline days, current,
         * baseline}: summed over {@link #hourly} once per hour and then kept up by each fact of that hour, instead of
         * summing a week of hours at every fact.
         */
        private transient ValueState<long[]> sums;
        /**
         * The first time this subtask saw (in event-time order, so the same in every run): a baseline is only judged
         * once it covers the baseline days. Kept in operator state, per subtask, so that a restore does not start
         * the baseline days again.
         */
        private transient long observedSince;

        private transient ListState<long[]> observedSinceState;

        public EmergingHotspot(AlertRules rules) {
            super(rules);
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) throws Exception {
            observedSinceState =
                    ctx.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("observed-since", LONGS));
            observedSince = Long.MAX_VALUE;
            int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            long anyone = Long.MAX_VALUE;
            for (long[] subtaskAndTime : observedSinceState.get()) {
                if (subtaskAndTime[0] == me) {
                    observedSince = subtaskAndTime[1];
                }
                anyone = Math.min(anyone, subtaskAndTime[1]);
            }
            if (observedSince == Long.MAX_VALUE) {
                observedSince = anyone; // rescaled: the earliest any subtask saw
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
            observedSinceState.update(
                    List.of(new long[] {getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), observedSince}));
        }

        @Override
        public void open(OpenContext ctx) {
            super.open(ctx);
            hourly = getRuntimeContext().getMapState(new MapStateDescriptor<>("hourly", Types.LONG, Types.LONG));
            sums = getRuntimeContext().getState(new ValueStateDescriptor<>("hourly-sums", LONGS));
        }

        @Override
        public void processElement(Fact f, Context ctx, Collector<Alert> out) throws Exception {
            if (f.kind() == FactKind.CREATED) {
                super.processElement(f, ctx, out);
            }
        }

        @Override
        void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
            observedSince = Math.min(observedSince, time);
            long hour = Math.floorDiv(time, HOUR);
            int delta = facts.stream().mapToInt(Fact::sign).sum();
            Long n = hourly.get(hour);
            hourly.put(hour, (n == null ? 0 : n) + delta);
            long[] kept = sums.value();
            if (kept != null && kept[0] == hour) {
                if (kept[1] > 0) {
                    kept[3] += delta; // this hour is in the window, which the sums hold as of this hour
                    sums.update(kept);
                } else {
                    sums.clear(); // no window: summed again
                }
            }
            evaluateAt(time, ctx, out);
        }

        @Override
        void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {
            evaluateAt(time, ctx, out);
        }

        private static long orZero(Long n) {
            return n == null ? 0 : n;
        }

        private void evaluateAt(long now, Context ctx, Collector<Alert> out) throws Exception {
            JsonNode s = rules.settings("emerging_hotspot", null);
            long window = (long) AlertRules.number(s, "window_hours");
            long baselineDays = (long) AlertRules.number(s, "baseline_days");
            long nowHour = Math.floorDiv(now, HOUR);
            long horizon = window + baselineDays * 24;
            long[] kept = sums.value();
            if (kept != null
                    && kept[1] == window
                    && kept[2] == baselineDays
                    && window > 0
                    && kept[0] < nowHour
                    && nowHour - kept[0] <= horizon) {
                // the hours move on: each new hour enters the window, the window's oldest moves to the baseline, the
                // baseline's oldest is forgotten
                for (long h = kept[0] + 1; h <= nowHour; h++) {
                    kept[3] += orZero(hourly.get(h));
                    long leaving = orZero(hourly.get(h - window));
                    kept[3] -= leaving;
                    kept[4] += leaving;
                    kept[4] -= orZero(hourly.get(h - horizon));
                    hourly.remove(h - horizon);
                }
                kept[0] = nowHour;
                sums.update(kept);
            }
            if (kept == null || kept[0] != nowHour || kept[1] != window || kept[2] != baselineDays) {
                kept = new long[] {nowHour, window, baselineDays, 0, 0};
                for (Iterator<Map.Entry<Long, Long>> it = hourly.iterator(); it.hasNext(); ) {
                    Map.Entry<Long, Long> e = it.next();
                    long age = nowHour - e.getKey();
                    if (age < window) {
                        kept[3] += e.getValue();
                    } else if (age < horizon) {
                        kept[4] += e.getValue();
                    } else {
                        it.remove();
                    }
                }
                sums.update(kept);
            }
            long current = kept[3];
            long baseline = kept[4];
            if (now - observedSince < baselineDays * 24 * HOUR) {
                return; // no baseline yet: nothing is "sudden" in the first days
            }
            double usual = baseline * (double) window / (baselineDays * 24);
            boolean sudden = current >= AlertRules.number(s, "factor") * usual;
            // the value judged is the window's count when it is sudden, else 0 (so the alert resolves)
            double value = sudden ? current : 0;
            Hysteresis h =
                    new Hysteresis(AlertRules.number(s, "min_count"), AlertRules.number(s, "critical_count"), 1, true);
            String[] dimensionValue = ctx.getCurrentKey().split("\\|", 2);
            boolean topic = dimensionValue[0].equals("topic");
            Alert.Subject about = Alert.Subject.hotspot(
                    ctx.getCurrentKey(),
                    topic ? dimensionValue[1] : null,
                    topic ? null : dimensionValue[1],
                    (nowHour - window + 1) * HOUR,
                    (nowHour + 1) * HOUR);
            emit(evaluate("emerging_hotspot", h, value, now, about), out);
            if (current > 0) {
                ctx.timerService().registerEventTimeTimer((nowHour + 1) * HOUR); // look again as the window moves on
            }
        }
    }

    /** A line's connection rate over the last minutes, and the longest wait of a minute. */
    public static final class Calls extends OrderedRules<CallMinute> {
        private transient MapState<Long, long[]> minutes;

        public Calls(AlertRules rules) {
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
                            previous[i],
                            new long[] {previous[i + 1], previous[i + 2], previous[i + 3], previous[i + 4]});
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
}
