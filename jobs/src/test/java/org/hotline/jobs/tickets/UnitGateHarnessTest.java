package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Sourced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps naming a unit the reference data does not know wait for it: a unit added while the job runs lets them
 * (and the ticket's steps behind them) go on in order; one still unknown after the wait is kept aside.
 */
class UnitGateHarnessTest {

    static final OutputTag<DeadLetter> DEAD = new OutputTag<>("dead") {};
    static final Duration WAIT = Duration.ofMinutes(30);

    KeyedBroadcastOperatorTestHarness<String, Sourced<TicketEvent>, Map<String, String>, Sourced<TicketEvent>> harness;
    int offset;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new UnitGate(Set.of("A"), DEAD, HotlineJob.TICKETS, WAIT, new EventWriter(ZoneId.of("Asia/Shanghai"))),
                s -> s.event().ticketId(), Types.STRING, UnitGate.UNITS);
        harness.processBroadcastWatermark(Long.MAX_VALUE); // as the job's units stream: no event time of its own
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
    }

    @Test
    void aUnitAddedWhileRunningLetsItsWaitingStepsAndThoseBehindThemGoOnInOrder() throws Exception {
        TicketEvents k = new TicketEvents("k1");
        step(k.created(t(0), "路灯"));
        step(k.dispatched("NEW", t(1), t(60)));
        step(k.contacted("NEW", t(2)));
        step(k.completed("A", t(3))); // a known unit, but behind steps that wait: it waits too
        assertThat(passed()).containsExactly("k1-created");

        harness.processBroadcastElement(Map.of("B", "company"), 0); // nothing for this ticket
        assertThat(passed()).containsExactly("k1-created");
        harness.processBroadcastElement(Map.of("NEW", "park"), 0);
        assertThat(passed()).containsExactly("k1-created", "k1-dispatched", "k1-contacted", "k1-completed");

        step(k.callback(t(4), org.hotline.events.CallbackSource.SYSTEM, true));
        assertThat(passed()).as("nothing waits any more").endsWith("k1-callback");
        harness.processWatermark(t(1) + WAIT.toMillis());
        assertThat(harness.getSideOutput(DEAD)).isNull();
        assertThat(keyedStateEntries()).as("nothing kept").isZero();
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
        assertThat(harness.getSideOutput(DEAD)).extracting(r -> r.getValue().reason() + " " + r.getValue().offset())
                .containsExactly("unknown_unit 1");
        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** Entries in the operator's keyed state (the harness for broadcast functions does not count them itself). */
    private int keyedStateEntries() {
        var backend = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    private void step(TicketEvent e) throws Exception {
        harness.processElement(new Sourced<>("tickets", 0, offset++, e, null, null), e.eventTimeMs());
    }

    /** The steps let through, as ticket-type. */
    private List<String> passed() {
        return harness.extractOutputValues().stream().map(s -> s.event().ticketId() + "-" + s.event().type().name().toLowerCase()).toList();
    }
}
