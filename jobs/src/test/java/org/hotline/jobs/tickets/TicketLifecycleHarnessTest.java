package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.hotline.events.CallbackSource;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Harnesses;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Rejudged;
import org.hotline.jobs.Sourced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ticket's life with the watermark in the test's hands: steps applied once the watermark passes them, a late step
 * correcting the facts (retracting what no longer holds), a repeated step kept aside, and a finished ticket forgotten
 * after the retention (no state, no timers); an open ticket is kept however long it waits, and turns overdue.
 */
class TicketLifecycleHarnessTest {

    static final OutputTag<DeadLetter> DEAD = new OutputTag<>("dead-letters") {};
    static final OutputTag<TicketState> STATES = new OutputTag<>("states", TicketLifecycle.STATE_TYPE) {};
    static final OutputTag<Sourced<TicketEvent>> ACCEPTED = new OutputTag<>("accepted", HotlineJob.TICKETS) {};
    static final OutputTag<Rejudged> REJUDGED = new OutputTag<>("rejudged", TypeInformation.of(Rejudged.class)) {};
    static final Duration LATENESS = Duration.ofHours(1);
    static final Duration RETENTION = Duration.ofDays(90);

    KeyedOneInputStreamOperatorTestHarness<String, Sourced<TicketEvent>, SliceFacts> harness;
    int offset;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<TicketEvent>, SliceFacts> harness() throws Exception {
        TicketLifecycle life = new TicketLifecycle(
                DEAD,
                STATES,
                ACCEPTED,
                REJUDGED,
                LATENESS,
                RETENTION,
                new EventWriter(ZoneId.of("Asia/Shanghai")),
                HotlineJob.TICKETS);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(life), s -> s.event().ticketId(), Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    void send(TicketEvent e) throws Exception {
        harness.processElement(
                new StreamRecord<>(new Sourced<>("tickets", 0, offset++, e, null, null), e.eventTimeMs()));
    }

    /** The facts emitted so far, one by one (the operator emits them grouped by slice and time). */
    List<Fact> emitted() {
        List<Fact> facts = new ArrayList<>();
        harness.extractOutputValues().forEach(g -> g.expand(new ListCollector<>(facts)));
        return facts;
    }

    /** The unit's facts so far, summed by kind with their signs. */
    Map<String, Integer> unitFacts() {
        Map<String, Integer> sums = new TreeMap<>();
        for (Fact f : emitted()) {
            if (f.dimension().equals("unit")) {
                sums.merge(f.value() + " " + f.kind().column(), f.sign(), Integer::sum);
            }
        }
        sums.values().removeIf(v -> v == 0);
        return sums;
    }

    /**
     * Flink starts a restored job's watermark over from the beginning of time: a step later than the allowed lateness
     * behind the watermark reached before the checkpoint is kept aside after the restore too, not counted.
     */
    @Test
    void aStepTooLateBeforeACheckpointIsTooLateAfterTheRestore() throws Exception {
        TicketEvents k = new TicketEvents("k1");
        send(k.created(t(0), "路灯"));
        send(k.dispatched("U1", t(10), t(10 + 24 * 60)));
        harness.processWatermark(t(10) + 3 * LATENESS.toMillis());
        var checkpoint = harness.snapshot(1, 1);
        harness.close();

        harness = Harnesses.restored(harness(), checkpoint);
        send(k.completed("U1", t(20))); // three hours behind the watermark reached before
        harness.processWatermark(t(10) + 4 * LATENESS.toMillis());
        assertThat(emitted()).as("no facts").isEmpty();
        assertThat(harness.getSideOutput(ACCEPTED)).as("not accepted").isNull();
        assertThat(harness.getSideOutput(DEAD))
                .extracting(r -> r.getValue().reason())
                .containsExactly("late");
    }

    @Test
    void stepsCountOnceTheWatermarkPassesThemAndAFinishedTicketIsForgottenAfterTheRetention() throws Exception {
        TicketEvents k = new TicketEvents("k1");
        send(k.created(t(0), "路灯"));
        send(k.dispatched("U1", t(10), t(10 + 24 * 60)));
        TicketEvent completed = k.completed("U1", t(60));
        send(completed);
        assertThat(emitted())
                .as("nothing before the watermark passes the steps")
                .isEmpty();

        harness.processWatermark(t(60));
        assertThat(unitFacts())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "U1 dispatches",
                        1,
                        "U1 opened",
                        1,
                        "U1 closed",
                        1,
                        "U1 completed",
                        1,
                        "U1 completed_on_time",
                        1));
        assertThat(harness.getSideOutput(ACCEPTED)).hasSize(3);

        send(completed); // delivered again
        assertThat(harness.getSideOutput(DEAD))
                .extracting(r -> r.getValue().reason())
                .containsExactly("duplicate");

        harness.processWatermark(t(60) + RETENTION.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("forgotten").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** The steps passed on again, as "event id: counted" or "event id: refused". */
    List<String> rejudged() {
        var out = harness.getSideOutput(REJUDGED);
        return out == null
                ? List.of()
                : out.stream()
                        .map(r -> r.getValue().step().event().eventId() + ": "
                                + (r.getValue().counted() ? "counted" : "refused"))
                        .toList();
    }

    @Test
    void aLateDispatchMakesARefusedCompletionCountedAndItIsPassedOnAgain() throws Exception {
        TicketEvents k = new TicketEvents("k3");
        TicketEvent created = k.created(t(0), "路灯");
        send(created);
        TicketEvent completed = k.completed("U1", t(50));
        send(completed);
        harness.processWatermark(t(60)); // completed by a unit that does not hold it: refused
        assertThat(harness.getSideOutput(DEAD))
                .extracting(r -> r.getValue().reason())
                .containsExactly("invalid_step");
        assertThat(rejudged()).isEmpty();

        TicketEvent dispatched = k.dispatched("U1", t(10), t(40));
        send(dispatched); // it was dispatched before, and that arrives late
        assertThat(rejudged()).containsExactly(completed.eventId() + ": counted");
        assertThat(unitFacts()).containsEntry("U1 completed", 1);
        assertThat(harness.getSideOutput(ACCEPTED))
                .extracting(r -> r.getValue().event().eventId())
                .as("accepted on their first judgement only")
                .containsExactly(created.eventId(), dispatched.eventId());
    }

    @Test
    void aLateRedispatchMakesACountedCompletionRefusedAndItIsPassedOnAgain() throws Exception {
        TicketEvents k = new TicketEvents("k4");
        send(k.created(t(0), "路灯"));
        send(k.dispatched("U1", t(10), t(200)));
        TicketEvent completed = k.completed("U1", t(50));
        send(completed);
        harness.processWatermark(t(60));
        assertThat(unitFacts()).containsEntry("U1 completed", 1);
        assertThat(rejudged()).isEmpty();

        send(k.dispatched("U2", t(20), t(200))); // redispatched to U2 before U1 completed it, arriving late
        assertThat(rejudged()).containsExactly(completed.eventId() + ": refused");
        assertThat(unitFacts()).doesNotContainKey("U1 completed");
        harness.processWatermark(t(120)); // nothing more to change: passed on once
        assertThat(rejudged()).containsExactly(completed.eventId() + ": refused");
    }

    @Test
    void aLateStepCorrectsTheFactsItChanges() throws Exception {
        TicketEvents k = new TicketEvents("k2");
        send(k.created(t(0), "路灯"));
        send(k.dispatched("U1", t(10), t(40)));
        harness.processWatermark(t(20));
        send(k.completed("U1", t(50)));
        harness.processWatermark(
                t(60)); // the due time (40) passed before the completion (50): late, overdue in between
        assertThat(unitFacts())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "U1 dispatches",
                        1,
                        "U1 opened",
                        1,
                        "U1 closed",
                        1,
                        "U1 completed",
                        1,
                        "U1 overdue_opened",
                        1,
                        "U1 overdue_closed",
                        1));

        send(k.extension("U1", t(30), t(120))); // granted before the due time, arriving late (within the lateness)
        assertThat(unitFacts())
                .as("on time after all, extended, never overdue")
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "U1 dispatches",
                        1,
                        "U1 opened",
                        1,
                        "U1 closed",
                        1,
                        "U1 completed",
                        1,
                        "U1 completed_on_time",
                        1,
                        "U1 extensions",
                        1,
                        "U1 completed_extended",
                        1));
        assertThat(harness.getSideOutput(DEAD)).isNull();
    }

    @Test
    void anOpenTicketIsKeptHoweverLongItWaitsAndTurnsOverdue() throws Exception {
        TicketEvents k = new TicketEvents("k3");
        send(k.created(t(0), "路灯"));
        send(k.dispatched("U1", t(10), t(70)));
        harness.processWatermark(t(10) + 2 * RETENTION.toMillis());
        assertThat(unitFacts())
                .containsExactlyInAnyOrderEntriesOf(Map.of("U1 dispatches", 1, "U1 opened", 1, "U1 overdue_opened", 1));
        assertThat(harness.numKeyedStateEntries()).as("still open: kept").isPositive();
        assertThat(harness.numEventTimeTimers())
                .as("no due time left to wait for")
                .isZero();
    }

    /**
     * Random tickets, their steps sent out of order, late (within the allowed lateness and beyond it) and twice, the
     * watermark moving on and the operator restored from checkpoints on the way: what it emitted sums, fact by fact, to
     * the facts of every step it took replayed from the start as of the end, whatever it had summed up meanwhile; each
     * step is accepted, refused or kept aside once, for the reason the test expects from when it arrived.
     */
    @Test
    void whateverItSumsUpTheFactsAreThoseOfAllItsStepsReplayedFromTheStart() throws Exception {
        Random random = new Random(20261201);
        for (int round = 0; round < 40; round++) {
            harness.close();
            harness = harness();
            harness.open();
            List<TicketEvent> steps = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                steps.addAll(story(new TicketEvents("r" + round + "-" + i), random));
            }
            // arrival: mostly within the watermark's bound, some late within the allowed lateness, some beyond it, some
            // twice
            List<long[]> arrivals = new ArrayList<>(); // {arrival time, index of the step}
            for (int i = 0; i < steps.size(); i++) {
                long time = steps.get(i).eventTimeMs();
                double r = random.nextDouble();
                long delay = r < 0.8
                        ? random.nextInt(30_000)
                        : r < 0.95 ? random.nextInt(50 * 60_000) : random.nextInt(3 * 3_600_000);
                arrivals.add(new long[] {time + delay, i});
                if (random.nextDouble() < 0.08) {
                    arrivals.add(new long[] {time + delay + random.nextInt(3 * 3_600_000), i});
                }
            }
            arrivals.sort(Comparator.comparingLong(a -> a[0]));

            Map<Long, String> expected = new HashMap<>(); // offset -> "taken", "late" or "duplicate"
            Map<Long, TicketEvent> sent = new HashMap<>();
            Set<String> taken = new HashSet<>();
            Set<String> changedPast = new HashSet<>(); // tickets that took a step behind the watermark
            List<TicketEvent> takenSteps = new ArrayList<>();
            List<Fact> facts = new ArrayList<>();
            List<DeadLetter> dead = new ArrayList<>();
            List<Sourced<TicketEvent>> acceptedSteps = new ArrayList<>();
            Map<String, TicketState> lastStates = new HashMap<>();
            long watermark = Long.MIN_VALUE;
            long newest = Long.MIN_VALUE;
            for (long[] arrival : arrivals) {
                TicketEvent e = steps.get((int) arrival[1]);
                long off = offset;
                sent.put(off, e);
                if (taken.contains(e.eventId())) {
                    expected.put(off, "duplicate");
                } else if (e.eventTimeMs() + LATENESS.toMillis() <= watermark) {
                    expected.put(off, "late");
                } else {
                    expected.put(off, "taken");
                    taken.add(e.eventId());
                    takenSteps.add(e);
                    if (e.eventTimeMs() <= watermark) {
                        changedPast.add(e.ticketId());
                    }
                }
                send(e);
                newest = Math.max(newest, e.eventTimeMs());
                if (newest - 30_000 > watermark && random.nextDouble() < 0.3) {
                    watermark = newest - 30_000;
                    harness.processWatermark(watermark);
                }
                if (random.nextDouble() < 0.02) {
                    drain(facts, dead, acceptedSteps, lastStates);
                    var checkpoint = harness.snapshot(1, 1);
                    harness.close();
                    harness = Harnesses.restored(harness(), checkpoint);
                }
            }
            long end = newest + 2 * 24 * 3_600_000L; // past every due time
            harness.processWatermark(end);
            drain(facts, dead, acceptedSteps, lastStates);

            // the truth: each ticket's steps taken, replayed from the start as of the end
            Map<Fact, Integer> truth = new HashMap<>();
            Set<String> refused = new HashSet<>();
            Map<String, TicketState> truthStates = new HashMap<>();
            byTicket(takenSteps).forEach((ticket, events) -> {
                TicketLife.Result r = TicketLife.replay(ticket, events, end);
                r.facts().forEach(f -> truth.merge(f, 1, Integer::sum));
                r.invalid().forEach(i -> refused.add(i.event().eventId()));
                truthStates.put(ticket, r.state());
            });
            Map<Fact, Integer> emitted = new HashMap<>();
            net(facts, emitted);
            assertThat(emitted).as("round %d", round).containsExactlyInAnyOrderEntriesOf(truth);
            assertThat(lastStates).as("round %d", round).containsExactlyInAnyOrderEntriesOf(truthStates);

            Map<Long, String> outcome = new HashMap<>();
            acceptedSteps.forEach(s -> outcome.merge(s.offset(), "taken", (a, b) -> a + "+" + b));
            dead.forEach(d -> outcome.merge(
                    d.offset(), d.reason().equals("invalid_step") ? "taken" : d.reason(), (a, b) -> a + "+" + b));
            assertThat(outcome).as("round %d", round).containsExactlyInAnyOrderEntriesOf(expected);
            // A step is judged once, when the watermark first passes it; a late step can change that judgement
            // afterwards (its facts follow, the step stays where it was sent: not known here), so the refusals are
            // compared on the tickets no late step reached.
            assertThat(dead)
                    .filteredOn(d -> d.reason().equals("invalid_step"))
                    .extracting(d -> sent.get(d.offset()).eventId())
                    .filteredOn(id -> !changedPast.contains(id.substring(0, id.lastIndexOf('-'))))
                    .as("round %d", round)
                    .containsExactlyInAnyOrderElementsOf(refused.stream()
                            .filter(id -> !changedPast.contains(id.substring(0, id.lastIndexOf('-'))))
                            .toList());
        }
    }

    /** Each ticket's steps. */
    static Map<String, List<TicketEvent>> byTicket(List<TicketEvent> steps) {
        Map<String, List<TicketEvent>> byTicket = new TreeMap<>();
        steps.forEach(e ->
                byTicket.computeIfAbsent(e.ticketId(), k -> new ArrayList<>()).add(e));
        return byTicket;
    }

    /** Adds {@code facts}, with their signs, to the counts per fact in {@code sums}, keeping only those not zero. */
    static void net(List<Fact> facts, Map<Fact, Integer> sums) {
        facts.forEach(f -> sums.merge(f.positive(), f.sign(), Integer::sum));
        sums.values().removeIf(v -> v == 0);
    }

    /** Collects what the harness has emitted so far (a restored one starts with nothing). */
    void drain(
            List<Fact> facts,
            List<DeadLetter> dead,
            List<Sourced<TicketEvent>> acceptedSteps,
            Map<String, TicketState> lastStates) {
        facts.addAll(emitted());
        if (harness.getSideOutput(DEAD) != null) {
            harness.getSideOutput(DEAD).forEach(r -> dead.add(r.getValue()));
        }
        if (harness.getSideOutput(ACCEPTED) != null) {
            harness.getSideOutput(ACCEPTED).forEach(r -> acceptedSteps.add(r.getValue()));
        }
        if (harness.getSideOutput(STATES) != null) {
            harness.getSideOutput(STATES)
                    .forEach(r -> lastStates.merge(
                            r.getValue().ticketId(), r.getValue(), (a, b) -> b.version() >= a.version() ? b : a));
        }
    }

    /**
     * A ticket's steps over some hours, minutes to an hour and a half apart: mostly a life the rules allow (dispatches,
     * transfers, rejections, extensions, contacts, callbacks before and after completion), now and then a step they
     * refuse.
     */
    static List<TicketEvent> story(TicketEvents k, Random random) {
        List<TicketEvent> steps = new ArrayList<>();
        long time = t(random.nextInt(120));
        steps.add(k.created(time, random.nextBoolean() ? "路灯" : "噪音", "tag" + random.nextInt(3)));
        String unit = null;
        long due = 0;
        int length = 2 + random.nextInt(7);
        for (int i = 0; i < length; i++) {
            time += 60_000L * (1 + random.nextInt(random.nextDouble() < 0.7 ? 20 : 90));
            String someUnit = random.nextBoolean() ? "U1" : "U2";
            String by = unit != null && random.nextDouble() < 0.9 ? unit : someUnit;
            switch (random.nextInt(8)) {
                case 0, 1 -> {
                    unit = someUnit;
                    due = time + 60_000L * (10 + random.nextInt(120));
                    steps.add(k.dispatched(unit, time, due));
                }
                case 2 -> {
                    steps.add(random.nextBoolean() ? k.rejected(by, time) : k.returned(by, time));
                    unit = null;
                }
                case 3 -> steps.add(k.extension(by, time, due + 60_000L * (random.nextInt(90) - 10)));
                case 4 -> steps.add(k.contacted(by, time));
                case 5 ->
                    steps.add(k.callback(
                            time,
                            random.nextBoolean() ? CallbackSource.SYSTEM : CallbackSource.SPOT_CHECK,
                            random.nextBoolean()));
                case 6 -> steps.add(random.nextDouble() < 0.2 ? k.resolvedOnline(time) : k.completed(by, time));
                default -> steps.add(k.completed(by, time));
            }
        }
        return steps;
    }

    /**
     * A checkpoint of the layout before summaries (every step of a ticket in a list state of its own, the memo without
     * them) restores: the steps the watermark had passed are not passed on again, a step sent again is still a
     * duplicate, and the facts emitted after the restore complete those emitted before to the facts of every step.
     */
    @Test
    void aCheckpointOfTheLayoutBeforeSummariesRestores() throws Exception {
        Random random = new Random(7);
        long before = t(90);
        List<TicketEvent> steps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            List<TicketEvent> story = story(new TicketEvents("b" + i), random);
            if (story.get(story.size() - 1).eventTimeMs() > before) { // a step left to apply after the restore
                steps.addAll(story);
            }
        }
        steps.sort(TicketLife.ORDER);
        var written = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LayoutBefore(before)),
                (Sourced<TicketEvent> s) -> s.event().ticketId(),
                Types.STRING);
        written.open();
        for (TicketEvent e : steps) {
            written.processElement(new StreamRecord<>(new Sourced<>("tickets", 0, offset++, e, null, null)));
        }
        var checkpoint = written.snapshot(1, 1);
        written.close();

        harness.close();
        harness = Harnesses.restored(harness(), checkpoint);
        TicketEvent again = steps.get(0);
        send(again); // applied before the checkpoint
        long end = steps.get(steps.size() - 1).eventTimeMs() + 2 * 24 * 3_600_000L;
        harness.processWatermark(end);

        Map<Fact, Integer> sums = new HashMap<>();
        Map<Fact, Integer> truth = new HashMap<>();
        byTicket(steps).forEach((ticket, events) -> {
            TicketLife.replay(ticket, events, end).facts().forEach(f -> truth.merge(f, 1, Integer::sum));
            List<TicketEvent> applied =
                    events.stream().filter(e -> e.eventTimeMs() <= before).toList();
            TicketLife.replay(ticket, applied, before).facts().forEach(f -> sums.merge(f, 1, Integer::sum));
        });
        net(emitted(), sums);
        assertThat(sums).containsExactlyInAnyOrderEntriesOf(truth);
        assertThat(harness.getSideOutput(DEAD))
                .filteredOn(r -> r.getValue().offset() == offset - 1)
                .extracting(r -> r.getValue().reason())
                .containsExactly("duplicate");
        List<Long> passedOn = new ArrayList<>();
        harness.getSideOutput(ACCEPTED).forEach(r -> passedOn.add(r.getValue().offset()));
        harness.getSideOutput(DEAD).forEach(r -> passedOn.add(r.getValue().offset()));
        List<Long> notBefore =
                new ArrayList<>(List.of(offset - 1L)); // the duplicate, and the steps after the watermark
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).eventTimeMs() > before) {
                notBefore.add((long) i);
            }
        }
        assertThat(passedOn).as("each step not passed on before, once").containsExactlyInAnyOrderElementsOf(notBefore);
    }

    /**
     * The lifecycle's state as it was kept before summaries, by the watermark {@code before}: each ticket's steps in a
     * list state "events", a timer at each step after it, and for a ticket with steps before it a memo that lists
     * them as passed on (with no steps of its own; no count of the facts emitted, so they are worked out again).
     */
    static final class LayoutBefore extends KeyedProcessFunction<String, Sourced<TicketEvent>, Fact> {
        final long before;
        transient ListState<Sourced<TicketEvent>> events;
        transient ValueState<TicketLifecycle.Memo> memo;

        LayoutBefore(long before) {
            this.before = before;
        }

        @Override
        public void open(OpenContext ctx) {
            events = getRuntimeContext().getListState(new ListStateDescriptor<>("events", HotlineJob.TICKETS));
            memo = getRuntimeContext()
                    .getState(new ValueStateDescriptor<>("memo", TypeInformation.of(TicketLifecycle.Memo.class)));
        }

        @Override
        public void processElement(Sourced<TicketEvent> s, Context ctx, Collector<Fact> out) throws Exception {
            events.add(s);
            long t = s.event().eventTimeMs();
            if (t > before) {
                ctx.timerService().registerEventTimeTimer(t);
                return;
            }
            TicketLifecycle.Memo m = memo.value() == null ? new TicketLifecycle.Memo() : memo.value();
            m.asOf = before;
            m.handled = Arrays.copyOf(m.handled, m.handled.length + 1);
            m.handled[m.handled.length - 1] = s.event().eventId();
            memo.update(m);
        }
    }
}
