package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.hotline.events.CallbackSource;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Sourced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps naming a unit the reference data does not know wait for it: a unit entered while the job runs lets them
 * (and the ticket's steps behind them) go on in order at the next look; one still unknown after the wait is kept
 * aside. The clock and the units table are the test's.
 */
class UnitGateHarnessTest {

    static final OutputTag<DeadLetter> DEAD = new OutputTag<>("dead") {};
    static final Duration WAIT = Duration.ofMinutes(30);
    static final Duration REFRESH = Duration.ofSeconds(30);
    /** The units table, as the gate reads it. */
    static final Set<String> UNITS = ConcurrentHashMap.newKeySet();

    KeyedOneInputStreamOperatorTestHarness<String, Sourced<TicketEvent>, Sourced<TicketEvent>> harness;
    int offset;

    @BeforeEach
    void open() throws Exception {
        UNITS.clear();
        UNITS.add("A");
        UnitGate gate = new UnitGate(
                () -> Set.copyOf(UNITS),
                DEAD,
                HotlineJob.TICKETS,
                WAIT,
                REFRESH,
                new EventWriter(ZoneId.of("Asia/Shanghai")));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(gate), s -> s.event().ticketId(), Types.STRING);
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void stepsOfKnownUnitsGoOnAtOnce() throws Exception {
        TicketEvents k = new TicketEvents("k1");
        step(k.created(t(0), "路灯"));
        step(k.dispatched("A", t(1), t(60)));
        assertThat(passed()).containsExactly("k1-created", "k1-dispatched");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aUnitEnteredWhileRunningLetsItsWaitingStepsAndThoseBehindThemGoOnInOrder() throws Exception {
        TicketEvents k = new TicketEvents("k1");
        step(k.created(t(0), "路灯"));
        step(k.dispatched("NEW", t(1), t(60)));
        step(k.contacted("NEW", t(2)));
        step(k.completed("A", t(3))); // a known unit, but behind steps that wait: it waits too
        harness.setProcessingTime(REFRESH.toMillis()); // looked at again: still unknown
        assertThat(passed()).containsExactly("k1-created");

        UNITS.add("NEW");
        harness.setProcessingTime(REFRESH.toMillis() + 1); // not yet the next look
        assertThat(passed()).containsExactly("k1-created");
        harness.setProcessingTime(2 * REFRESH.toMillis());
        assertThat(passed()).containsExactly("k1-created", "k1-dispatched", "k1-contacted", "k1-completed");

        step(k.callback(t(4), CallbackSource.SYSTEM, true));
        assertThat(passed()).as("nothing waits any more").endsWith("k1-callback");
        harness.processWatermark(t(1) + WAIT.toMillis());
        assertThat(harness.getSideOutput(DEAD)).isNull();
        assertThat(harness.numKeyedStateEntries()).as("nothing kept").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aUnitStillUnknownAfterTheWaitIsKeptAsideAndTheRestGoesOn() throws Exception {
        TicketEvents k = new TicketEvents("k1");
        step(k.created(t(0), "路灯"));
        step(k.dispatched("GHOST", t(1), t(60)));
        step(k.dispatched("A", t(5), t(60)));
        harness.processWatermark(t(1) + WAIT.toMillis() - 1);
        assertThat(passed()).containsExactly("k1-created");

        harness.processWatermark(t(1) + WAIT.toMillis());

        assertThat(passed()).containsExactly("k1-created", "k1-dispatched");
        assertThat(harness.getSideOutput(DEAD))
                .extracting(r -> r.getValue().reason() + " " + r.getValue().offset())
                .containsExactly("unknown_unit 1");
        assertThat(harness.numKeyedStateEntries()).isZero();
        harness.setProcessingTime(10 * REFRESH.toMillis()); // the pending look finds nothing and is not set again
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    private void step(TicketEvent e) throws Exception {
        harness.processElement(new Sourced<>("tickets", 0, offset++, e, null, null), e.eventTimeMs());
    }

    /** The steps let through, as ticket-type. */
    private List<String> passed() {
        return harness.extractOutputValues().stream()
                .map(s -> s.event().ticketId() + "-" + s.event().type().name().toLowerCase())
                .toList();
    }
}
