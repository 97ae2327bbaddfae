package org.hotline.jobs.tickets;

import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableSupplier;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.JobSettings;
import org.hotline.jobs.Rejudged;
import org.hotline.jobs.Sinks;
import org.hotline.jobs.Sourced;

/**
 * The tickets' part of the job: each ticket's life in event time, which gives the facts the counts are made of, where
 * each ticket stands, each unit's oldest open ticket, and the raw steps it accepts.
 */
public final class TicketFlow {
    private TicketFlow() {}

    private static final OutputTag<Sourced<TicketEvent>> ACCEPTED_TICKETS =
            new OutputTag<>("accepted-tickets", HotlineJob.TICKETS) {};
    private static final OutputTag<Rejudged> REJUDGED =
            new OutputTag<>("rejudged-tickets", TypeInformation.of(Rejudged.class)) {};
    private static final OutputTag<TicketState> TICKET_STATES =
            new OutputTag<>("ticket-states", TicketLifecycle.STATE_TYPE) {};

    /**
     * What the rest of the job reads: the facts, grouped by slice and time (partitioned by ticket), the steps accepted
     * (likewise: what is keyed by ticket after them is chained to the lifecycle) and what was not counted.
     */
    public record Streams(
            DataStream<SliceFacts> facts,
            DataStream<Sourced<TicketEvent>> accepted,
            DataStream<DeadLetter> deadLetters) {}

    /** Adds the tickets' operators after {@code validTickets} (parsed); {@code units}: the units known, read again. */
    public static Streams add(
            DataStream<Sourced<TicketEvent>> validTickets,
            SerializableSupplier<Set<String>> units,
            Sinks sinks,
            JobSettings settings) {
        // Each ticket's life in event time: facts for the counts, where it stands, and the steps it refuses
        // (repeated, too late, or not allowed at that point of its life).
        // A step naming a unit the reference data does not know yet waits for it (read again while the job runs),
        // with the ticket's later steps; still unknown after half the allowed lateness, it is kept aside.
        SingleOutputStreamOperator<Sourced<TicketEvent>> knownUnits = validTickets
                .keyBy(s -> s.event().ticketId())
                .process(
                        new UnitGate(
                                units,
                                HotlineJob.DEAD_LETTERS,
                                HotlineJob.TICKETS,
                                settings.allowedLateness().dividedBy(2),
                                settings.unitsRefresh(),
                                HotlineJob.CANONICAL),
                        HotlineJob.TICKETS)
                .name("known units")
                .uid("tickets-unit-gate");
        SingleOutputStreamOperator<SliceFacts> facts = DataStreamUtils.reinterpretAsKeyedStream(
                        knownUnits, s -> s.event().ticketId())
                .process(
                        new TicketLifecycle(
                                HotlineJob.DEAD_LETTERS,
                                TICKET_STATES,
                                ACCEPTED_TICKETS,
                                REJUDGED,
                                settings.allowedLateness(),
                                settings.ticketRetention(),
                                HotlineJob.CANONICAL,
                                HotlineJob.TICKETS),
                        TypeInformation.of(SliceFacts.class))
                .name("ticket lifecycle")
                .uid("ticket-lifecycle");
        // Where each ticket stands, at most once per flush (the side output keeps the lifecycle's partitioning by
        // ticket).
        SingleOutputStreamOperator<TicketState> states = DataStreamUtils.reinterpretAsKeyedStream(
                        facts.getSideOutput(TICKET_STATES), TicketState::ticketId)
                .process(new LatestState(settings.earlyUpdates()), TicketLifecycle.STATE_TYPE)
                .name("latest ticket states")
                .uid("ticket-states-latest");
        states.sinkTo(sinks.ticketStates()).name("ticket states sink").uid("ticket-states-sink");
        // Since when each unit's oldest open ticket has waited (for the wallboard): the assignments tickets enter and
        // leave, counted per unit.
        DataStreamUtils.reinterpretAsKeyedStream(states, TicketState::ticketId)
                .process(new OldestOpen.Changes(), TypeInformation.of(OldestOpen.Change.class))
                .name("open assignments")
                .uid("open-assignments")
                .keyBy(OldestOpen.Change::unit)
                .process(new OldestOpen.Since(settings.earlyUpdates()), TypeInformation.of(OldestOpen.Row.class))
                .name("oldest open ticket")
                .uid("oldest-open")
                .sinkTo(sinks.oldestOpen())
                .name("oldest open sink")
                .uid("oldest-open-sink");
        // Raw accepted steps, for analysts' drill-down.
        DataStream<Sourced<TicketEvent>> accepted = facts.getSideOutput(ACCEPTED_TICKETS);
        accepted.sinkTo(sinks.ticketEvents()).name("ticket events sink").uid("ticket-events-sink");
        // Steps whose judgement a late step changed, moved between the raw steps and the dead letters once the
        // checkpoint holding the change completes (by then both hold what was sent before it).
        facts.getSideOutput(REJUDGED)
                .sinkTo(sinks.rejudged())
                .name("rejudged steps sink")
                .uid("rejudged-steps-sink");
        return new Streams(
                facts,
                accepted,
                knownUnits.getSideOutput(HotlineJob.DEAD_LETTERS).union(facts.getSideOutput(HotlineJob.DEAD_LETTERS)));
    }
}
