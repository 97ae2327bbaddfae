package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Harnesses;
import org.hotline.jobs.HotlineJob;
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
    static final Duration LATENESS = Duration.ofHours(1);
    static final Duration RETENTION = Duration.ofDays(90);

    KeyedOneInputStreamOperatorTestHarness<String, Sourced<TicketEvent>, Fact> harness;
    int offset;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<TicketEvent>, Fact> harness() throws Exception {
        TicketLifecycle life = new TicketLifecycle(
                DEAD,
                STATES,
                ACCEPTED,
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

    /** The unit's facts so far, summed by kind with their signs. */
    Map<String, Integer> unitFacts() {
        Map<String, Integer> sums = new TreeMap<>();
        for (Fact f : harness.extractOutputValues()) {
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
        assertThat(harness.extractOutputValues()).as("no facts").isEmpty();
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
        assertThat(harness.extractOutputValues())
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
}
