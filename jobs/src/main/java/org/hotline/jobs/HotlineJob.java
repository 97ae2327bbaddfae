package org.hotline.jobs;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventWriter;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.alerts.AlertFunctions;
import org.hotline.jobs.alerts.AlertRules;
import org.hotline.jobs.alerts.AlertmanagerDelivery;
import org.hotline.jobs.calls.CallCounts;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactCounts;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.LatestState;
import org.hotline.jobs.tickets.OldestOpen;
import org.hotline.jobs.tickets.TicketLife;
import org.hotline.jobs.tickets.TicketLifecycle;
import org.hotline.jobs.tickets.TicketMinute;
import org.hotline.jobs.tickets.TicketState;
import org.hotline.jobs.tickets.UnitGate;

/**
 * The hotline job: call and ticket events in, raw events, per-minute call metrics and dead letters
 * out. The constructor takes the sources and sinks, so {@link JobLauncher} (for {@link JobMain} and the
 * command line's {@code run}) wires Kafka and ClickHouse while tests wire in-memory ones, and the same topology runs in both.
 */
public final class HotlineJob {

    public static final TypeInformation<Sourced<CallEvent>> CALLS = TypeInformation.of(new TypeHint<>() {});
    public static final TypeInformation<Sourced<TicketEvent>> TICKETS = TypeInformation.of(new TypeHint<>() {});

    /**
     * Where every output goes, built by name ({@link #builder}): several sinks share a type, so a positional list would let
     * two be swapped without a word. {@code callMinutes} and {@code ticketMinutes} may be left out: the per-minute rows
     * that the rolling figures and the history are made of are not stored (tests look at them).
     */
    public record Sinks(
            Sink<Sourced<CallEvent>> callEvents,
            Sink<Sourced<TicketEvent>> ticketEvents,
            Sink<CallMinute> callMinutes,
            Sink<TicketMinute> ticketMinutes,
            Sink<Rollup.Out> callQuarters,
            Sink<Rollup.Out> ticketDays,
            Sink<TicketState> ticketStates,
            Sink<DeadLetter> deadLetters,
            Sink<Alert> alerts,
            Sink<Alert> alertEvents,
            Sink<Rolling.Row> callRolling,
            Sink<Rolling.Row> ticketRolling,
            Sink<HotspotRanks.Rank> hotspots,
            Sink<OldestOpen.Row> oldestOpen,
            Sink<Alert> alertsLatest) {

        public static Builder builder() {
            return new Builder();
        }
    }

    /** Builds {@link Sinks}: every sink by its name; all but the per-minute rows required. */
    public static final class Builder {
        private Sink<Sourced<CallEvent>> callEvents;
        private Sink<Sourced<TicketEvent>> ticketEvents;
        private Sink<CallMinute> callMinutes;
        private Sink<TicketMinute> ticketMinutes;
        private Sink<Rollup.Out> callQuarters;
        private Sink<Rollup.Out> ticketDays;
        private Sink<TicketState> ticketStates;
        private Sink<DeadLetter> deadLetters;
        private Sink<Alert> alerts;
        private Sink<Alert> alertEvents;
        private Sink<Rolling.Row> callRolling;
        private Sink<Rolling.Row> ticketRolling;
        private Sink<HotspotRanks.Rank> hotspots;
        private Sink<OldestOpen.Row> oldestOpen;
        private Sink<Alert> alertsLatest;

        public Builder callEvents(Sink<Sourced<CallEvent>> sink) {
            this.callEvents = sink;
            return this;
        }

        public Builder ticketEvents(Sink<Sourced<TicketEvent>> sink) {
            this.ticketEvents = sink;
            return this;
        }

        public Builder callMinutes(Sink<CallMinute> sink) {
            this.callMinutes = sink;
            return this;
        }

        public Builder ticketMinutes(Sink<TicketMinute> sink) {
            this.ticketMinutes = sink;
            return this;
        }

        public Builder callQuarters(Sink<Rollup.Out> sink) {
            this.callQuarters = sink;
            return this;
        }

        public Builder ticketDays(Sink<Rollup.Out> sink) {
            this.ticketDays = sink;
            return this;
        }

        public Builder ticketStates(Sink<TicketState> sink) {
            this.ticketStates = sink;
            return this;
        }

        public Builder deadLetters(Sink<DeadLetter> sink) {
            this.deadLetters = sink;
            return this;
        }

        public Builder alerts(Sink<Alert> sink) {
            this.alerts = sink;
            return this;
        }

        public Builder alertEvents(Sink<Alert> sink) {
            this.alertEvents = sink;
            return this;
        }

        public Builder callRolling(Sink<Rolling.Row> sink) {
            this.callRolling = sink;
            return this;
        }

        public Builder ticketRolling(Sink<Rolling.Row> sink) {
            this.ticketRolling = sink;
            return this;
        }

        public Builder hotspots(Sink<HotspotRanks.Rank> sink) {
            this.hotspots = sink;
            return this;
        }

        public Builder oldestOpen(Sink<OldestOpen.Row> sink) {
            this.oldestOpen = sink;
            return this;
        }

        public Builder alertsLatest(Sink<Alert> sink) {
            this.alertsLatest = sink;
            return this;
        }

        public Sinks build() {
            require(callEvents, "callEvents");
            require(ticketEvents, "ticketEvents");
            require(callQuarters, "callQuarters");
            require(ticketDays, "ticketDays");
            require(ticketStates, "ticketStates");
            require(deadLetters, "deadLetters");
            require(alerts, "alerts");
            require(alertEvents, "alertEvents");
            require(callRolling, "callRolling");
            require(ticketRolling, "ticketRolling");
            require(hotspots, "hotspots");
            require(oldestOpen, "oldestOpen");
            require(alertsLatest, "alertsLatest");
            return new Sinks(
                    callEvents,
                    ticketEvents,
                    callMinutes,
                    ticketMinutes,
                    callQuarters,
                    ticketDays,
                    ticketStates,
                    deadLetters,
                    alerts,
                    alertEvents,
                    callRolling,
                    ticketRolling,
                    hotspots,
                    oldestOpen,
                    alertsLatest);
        }

        private static void require(Object sink, String name) {
            if (sink == null) {
                throw new IllegalStateException("no sink given for " + name);
            }
        }
    }

    private static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    private static final OutputTag<Sourced<CallEvent>> LATE_CALLS = new OutputTag<>("late-calls", CALLS) {};
    private static final OutputTag<Fact> LATE_FACTS = new OutputTag<>("late-facts", TypeInformation.of(Fact.class)) {};
    private static final OutputTag<Sourced<TicketEvent>> ACCEPTED_TICKETS =
            new OutputTag<>("accepted-tickets", TICKETS) {};
    private static final OutputTag<TicketState> TICKET_STATES =
            new OutputTag<>("ticket-states", TicketLifecycle.STATE_TYPE) {};
    private static final EventWriter CANONICAL = new EventWriter(java.time.ZoneId.of("Asia/Shanghai"));

    private final Source<Sourced<CallEvent>, ?, ?> calls;
    private final Source<Sourced<TicketEvent>, ?, ?> tickets;
    private final Sinks sinks;
    private final JobSettings settings;
    private final AlertRules rules;
    private final SerializableSupplier<Set<String>> units;
    private AlertmanagerDelivery alertmanager = AlertmanagerDelivery.off();

    public HotlineJob(
            Source<Sourced<CallEvent>, ?, ?> calls,
            Source<Sourced<TicketEvent>, ?, ?> tickets,
            Sinks sinks,
            JobSettings settings,
            AlertRules rules) {
        this(calls, tickets, rules::units, sinks, settings, rules);
    }

    /** With {@code units}: the reference data's units, read again while the job runs. */
    public HotlineJob(
            Source<Sourced<CallEvent>, ?, ?> calls,
            Source<Sourced<TicketEvent>, ?, ?> tickets,
            SerializableSupplier<Set<String>> units,
            Sinks sinks,
            JobSettings settings,
            AlertRules rules) {
        this.calls = calls;
        this.tickets = tickets;
        this.units = units;
        this.sinks = sinks;
        this.settings = settings;
        this.rules = rules;
    }

    /** Posts the alerts in force to Alertmanager (without it: kept in state, posted nowhere). */
    public HotlineJob alertmanager(AlertmanagerDelivery delivery) {
        this.alertmanager = delivery;
        return this;
    }

    /** Adds the whole topology to {@code env}; the caller executes it. */
    public void build(StreamExecutionEnvironment env) {
        // Records pass between chained operators without a copy: every record type here is immutable, and what an
        // operator keeps (in state or in a buffer) it copies or encodes first.
        org.apache.flink.configuration.Configuration pipeline = new org.apache.flink.configuration.Configuration();
        pipeline.set(org.apache.flink.configuration.PipelineOptions.OBJECT_REUSE, true);
        // and every record and state has a serializer of its own kind: none falls back to Kryo's (JobTypesTest)
        pipeline.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        env.configure(pipeline);
        // Read both topics in event time; a quiet partition (a hotline at night) does not hold the watermark back.
        DataStream<Sourced<CallEvent>> callRecords = env.fromSource(
                        calls, watermarks(settings, CallEvent::eventTimeMs), "calls")
                .uid("calls-source");
        DataStream<Sourced<TicketEvent>> ticketRecords = env.fromSource(
                        tickets, watermarks(settings, TicketEvent::eventTimeMs), "tickets")
                .uid("tickets-source");

        // Parse failures leave the main flow for the dead letters, with their reason.
        SingleOutputStreamOperator<Sourced<CallEvent>> validCalls = callRecords
                .process(new SplitInvalid<CallEvent>(), CALLS)
                .name("valid calls")
                .uid("calls-valid");
        SingleOutputStreamOperator<Sourced<TicketEvent>> validTickets = ticketRecords
                .process(new SplitInvalid<TicketEvent>(), TICKETS)
                .name("valid tickets")
                .uid("tickets-valid");

        // Each step of a call counts once: a repeated step is a duplicate, kept aside (a ticket's life does the same
        // for its steps, below).
        SingleOutputStreamOperator<Sourced<CallEvent>> uniqueCalls = validCalls
                .keyBy(s -> s.event().callId())
                .process(
                        new DeduplicateSteps<CallEvent, CallEventType>(
                                        CallEvent::type,
                                        CANONICAL::write,
                                        CallEvent::eventTimeMs,
                                        DEAD_LETTERS,
                                        settings.dedupRetention())
                                .lateAfter(settings.allowedLateness()),
                        CALLS)
                .name("unique call steps")
                .uid("calls-dedup");
        // Raw validated events, for analysts' drill-down (tickets' once their life has accepted them, below).
        uniqueCalls.sinkTo(sinks.callEvents()).name("call events sink").uid("call-events-sink");

        // Per minute, line and caller region: counts, updated every few seconds while the minute is in progress
        // and again for late events within the allowed lateness.
        SingleOutputStreamOperator<CallMinute> minutes = uniqueCalls
                .keyBy(s -> MinuteSlices.minuteOf(s.event().eventTimeMs()))
                .process(
                        new MinuteSlices<>(
                                new CallCounts(),
                                s -> Keys.join(s.event().line(), s.event().callerRegion()),
                                CallCounts::toMinute,
                                TypeInformation.of(CallCounts.Acc.class),
                                LATE_CALLS,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(CallMinute.class))
                .name("calls per minute")
                .uid("call-minute-slices");
        if (sinks.callMinutes() != null) {
            minutes.sinkTo(sinks.callMinutes()).name("call minutes sink").uid("call-minutes-sink");
        }
        // History for analysts: per quarter hour, line and caller region.
        minutes.map(m -> new Rollup.In(
                        Rollup.Span.QUARTER_HOUR.start(m.minuteStartMs(), CITY_ZONE),
                        Keys.join(m.line(), m.callerRegion()),
                        m.minuteStartMs(),
                        callValues(m)))
                .returns(Rollup.In.class)
                .name("call quarter hours")
                .uid("call-quarter-in")
                .keyBy(Rollup.In::key)
                .process(
                        new Rollup(
                                Rollup.Span.QUARTER_HOUR,
                                CALL_MAXIMA,
                                CITY_ZONE,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(Rollup.Out.class))
                .name("calls per quarter hour")
                .uid("call-quarter-rollup")
                .sinkTo(sinks.callQuarters())
                .name("call quarter hours sink")
                .uid("call-quarters-sink");
        // Rolling call figures city-wide and per line (last 15 minutes, hour, today, month, all time) for the
        // wallboard.
        minutes.flatMap(HotlineJob::callScopes)
                .returns(Rolling.In.class)
                .name("call scopes")
                .uid("call-rolling-scopes")
                .keyBy(Rolling.In::scope)
                .process(
                        new Rolling(CALL_MAXIMA, CITY_ZONE, settings.earlyUpdates(), settings.allowedLateness()),
                        TypeInformation.of(Rolling.Row.class))
                .name("rolling call figures")
                .uid("call-rolling")
                .sinkTo(sinks.callRolling())
                .name("call rolling sink")
                .uid("call-rolling-sink");

        // Each ticket's life in event time: facts for the counts, where it stands, and the steps it refuses
        // (repeated, too late, or not allowed at that point of its life).
        // A step naming a unit the reference data does not know yet waits for it (read again while the job runs),
        // with the ticket's later steps; still unknown after half the allowed lateness, it is kept aside.
        SingleOutputStreamOperator<Sourced<TicketEvent>> knownUnits = validTickets
                .keyBy(s -> s.event().ticketId())
                .process(
                        new UnitGate(
                                units,
                                DEAD_LETTERS,
                                TICKETS,
                                settings.allowedLateness().dividedBy(2),
                                settings.unitsRefresh(),
                                CANONICAL),
                        TICKETS)
                .name("known units")
                .uid("tickets-unit-gate");
        SingleOutputStreamOperator<Fact> facts = DataStreamUtils.reinterpretAsKeyedStream(
                        knownUnits, s -> s.event().ticketId())
                .process(
                        new TicketLifecycle(
                                DEAD_LETTERS,
                                TICKET_STATES,
                                ACCEPTED_TICKETS,
                                settings.allowedLateness(),
                                settings.ticketRetention(),
                                CANONICAL,
                                TICKETS),
                        TypeInformation.of(Fact.class))
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
        facts.getSideOutput(ACCEPTED_TICKETS)
                .sinkTo(sinks.ticketEvents())
                .name("ticket events sink")
                .uid("ticket-events-sink");

        // Per minute and slice (a unit, or a city-wide slice such as a channel or a category): counts of facts.
        // (a ticket's due times are not counted: only the due_soon alert reads them)
        SingleOutputStreamOperator<TicketMinute> ticketMinutes = facts.filter(
                        f -> !f.dimension().equals(TicketLife.DUE))
                .name("counted facts")
                .uid("ticket-counted-facts")
                .keyBy(f -> MinuteSlices.minuteOf(f.timeMs()))
                .process(
                        new MinuteSlices<>(
                                new FactCounts(),
                                f -> Keys.join(f.dimension(), f.value()),
                                FactCounts::row,
                                TypeInformation.of(FactCounts.Acc.class),
                                LATE_FACTS,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(TicketMinute.class))
                .name("tickets per minute")
                .uid("ticket-minute-slices");
        if (sinks.ticketMinutes() != null) {
            ticketMinutes
                    .sinkTo(sinks.ticketMinutes())
                    .name("ticket minutes sink")
                    .uid("ticket-minutes-sink");
        }
        // History for analysts: per day and slice.
        ticketMinutes
                .map(m -> new Rollup.In(
                        Rollup.Span.DAY.start(m.minuteStartMs(), CITY_ZONE),
                        Keys.join(m.dimension(), m.value()),
                        m.minuteStartMs(),
                        m.counts()))
                .returns(Rollup.In.class)
                .name("ticket days")
                .uid("ticket-day-in")
                .keyBy(Rollup.In::key)
                .process(
                        new Rollup(
                                Rollup.Span.DAY,
                                new boolean[FactKind.values().length],
                                CITY_ZONE,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(Rollup.Out.class))
                .name("tickets per day")
                .uid("ticket-day-rollup")
                .sinkTo(sinks.ticketDays())
                .name("ticket days sink")
                .uid("ticket-days-sink");
        // Rolling ticket figures city-wide and per unit (all time: the backlog) for the wallboard.
        ticketMinutes
                .filter(m -> m.dimension().equals("all") || m.dimension().equals(TicketLife.UNIT))
                .name("city and unit minutes")
                .uid("ticket-rolling-scopes")
                .map(m -> new Rolling.In(
                        m.dimension(), m.value(), Rolling.slot(m.minuteStartMs(), ""), m.minuteStartMs(), m.counts()))
                .returns(Rolling.In.class)
                .name("ticket scopes")
                .uid("ticket-rolling-in")
                .keyBy(Rolling.In::scope)
                .process(
                        new Rolling(
                                new boolean[FactKind.values().length],
                                CITY_ZONE,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(Rolling.Row.class))
                .name("rolling ticket figures")
                .uid("ticket-rolling")
                .sinkTo(sinks.ticketRolling())
                .name("ticket rolling sink")
                .uid("ticket-rolling-sink");
        // Hotspots: per category and topic the new tickets of the last hour, today and the month, each with the window
        // before, ranked in Flink. One subtask: the counts are few, and with the city's rows beside them "now" is the
        // city's last minute with tickets, as the analysts' views have it.
        ticketMinutes
                .filter(m -> HOTSPOT_DIMENSIONS.contains(m.dimension()))
                .name("hotspot minutes")
                .uid("hotspot-scopes")
                .map(m -> new Rolling.In(
                        m.dimension(), m.value(), Rolling.slot(m.minuteStartMs(), ""), m.minuteStartMs(), new long[] {
                            m.counts()[FactKind.CREATED.ordinal()]
                        }))
                .returns(Rolling.In.class)
                .name("hotspot counts")
                .uid("hotspot-rolling-in")
                .keyBy(Rolling.In::scope)
                .process(
                        new Rolling(
                                Rolling.HOTSPOT_PERIODS,
                                new boolean[1],
                                CITY_ZONE,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(Rolling.Row.class))
                .setParallelism(1)
                .name("rolling hotspot counts")
                .uid("hotspot-rolling")
                .filter(r -> !r.dimension().equals("all"))
                .setParallelism(1)
                .name("hotspot rows")
                .uid("hotspot-rows")
                .keyBy(Rolling.Row::dimension)
                .process(
                        new HotspotRanks(HOTSPOTS_RANKED, settings.earlyUpdates()),
                        TypeInformation.of(HotspotRanks.Rank.class))
                .setParallelism(1)
                .name("hotspot ranks")
                .uid("hotspot-ranks")
                .sinkTo(sinks.hotspots())
                .name("hotspots sink")
                .uid("hotspots-sink");
        // Cannot happen (a late event only changes facts at or after its own time), but never drop silently.
        DataStream<DeadLetter> lateFacts = ticketMinutes
                .getSideOutput(LATE_FACTS)
                .map(HotlineJob::lateFact)
                .returns(DeadLetter.class)
                .name("late facts")
                .uid("ticket-facts-late");

        // Alerts, in event time as the counts change: a unit's backlog, overdue tickets and tickets due soon,
        // concentrated returns, bouncing tickets, emerging hotspots, the connection rate and long waits; to ClickHouse
        // and to Kafka.
        DataStream<Alert> alerts = facts.filter(f -> f.dimension().equals(TicketLife.UNIT))
                .name("unit facts")
                .uid("alerts-unit-facts")
                .keyBy(Fact::value)
                .process(new AlertFunctions.UnitBacklog(rules))
                .name("backlog alerts")
                .uid("alerts-backlog")
                .union(
                        facts.filter(f -> f.dimension().equals(TicketLife.DUE))
                                .name("due facts")
                                .uid("alerts-due-facts")
                                .keyBy(AlertFunctions.DueSoon::unitOf)
                                .process(new AlertFunctions.DueSoon(rules))
                                .name("due soon alerts")
                                .uid("alerts-due-soon"),
                        facts.filter(f -> f.dimension().equals(TicketLife.UNIT_CATEGORY))
                                .name("returns facts")
                                .uid("alerts-returns-facts")
                                .keyBy(Fact::value)
                                .process(new AlertFunctions.ConcentratedReturns(rules))
                                .name("returns alerts")
                                .uid("alerts-returns"),
                        // keyed by ticket like the lifecycle: chained to it, the steps do not cross the network
                        DataStreamUtils.reinterpretAsKeyedStream(
                                        facts.getSideOutput(ACCEPTED_TICKETS),
                                        s -> s.event().ticketId())
                                .process(new AlertFunctions.BouncingTicket(rules, TICKETS))
                                .name("bouncing alerts")
                                .uid("alerts-bouncing"),
                        facts.filter(f -> f.kind() == FactKind.CREATED
                                        && (f.dimension().equals("category")
                                                || f.dimension().equals("topic")))
                                .name("hotspot facts")
                                .uid("alerts-hotspot-facts")
                                .keyBy(f -> f.dimension() + "|" + f.value())
                                .process(new AlertFunctions.EmergingHotspot(rules))
                                .name("hotspot alerts")
                                .uid("alerts-hotspots"),
                        minutes.keyBy(CallMinute::line)
                                .process(new AlertFunctions.Calls(rules))
                                .name("call alerts")
                                .uid("alerts-calls"));
        alerts.sinkTo(sinks.alerts()).name("alerts sink").uid("alerts-sink");
        alerts.sinkTo(sinks.alertEvents()).name("alerts topic").uid("alerts-topic");
        // and the latest change of each alert, which the wallboard reads (a row per alert, not per change)
        alerts.sinkTo(sinks.alertsLatest()).name("latest alerts sink").uid("alerts-latest-sink");
        // and what is in force to the people who act on it, through Alertmanager (once its checkpoint completes)
        alerts.process(alertmanager)
                .name("alertmanager")
                .uid("alerts-alertmanager")
                .setParallelism(1)
                .setMaxParallelism(1);

        // Everything not counted, with its reason: invalid, duplicate or too late.
        String lateMessage = "later than the allowed lateness of " + settings.allowedLateness() + " for its minute";
        DataStream<DeadLetter> tooLate = minutes.getSideOutput(LATE_CALLS)
                .map(s -> DeadLetter.rejected(
                        s, CANONICAL.write(s.event()), s.event().eventTimeMs(), Reason.LATE, lateMessage))
                .returns(DeadLetter.class)
                .name("late calls")
                .uid("calls-late");
        validCalls
                .getSideOutput(DEAD_LETTERS)
                .union(
                        validTickets.getSideOutput(DEAD_LETTERS),
                        knownUnits.getSideOutput(DEAD_LETTERS),
                        uniqueCalls.getSideOutput(DEAD_LETTERS),
                        facts.getSideOutput(DEAD_LETTERS),
                        tooLate,
                        lateFacts)
                .sinkTo(sinks.deadLetters())
                .name("dead letters sink")
                .uid("dead-letters-sink");
    }

    /**
     * The operators whose state holds what came before (counts over history, tickets' lives, what was seen): a job
     * resumed from a checkpoint without one of them would start it empty and count on from there, silently wrong.
     */
    public static final Set<String> KEEPS_HISTORY = Set.of(
            "calls-dedup",
            "call-minute-slices",
            "tickets-unit-gate",
            "ticket-lifecycle",
            "ticket-minute-slices",
            "call-quarter-rollup",
            "ticket-day-rollup",
            "ticket-states-latest",
            "call-rolling",
            "ticket-rolling",
            "hotspot-rolling",
            "hotspot-ranks",
            "open-assignments",
            "oldest-open",
            "alerts-backlog",
            "alerts-due-soon",
            "alerts-returns",
            "alerts-bouncing",
            "alerts-hotspots",
            "alerts-calls");

    /** The call values as {@link Rolling} keeps them, in {@link #callValues} order; the waits' maxima combine by the greatest. */
    static final boolean[] CALL_MAXIMA = {false, false, false, false, true, false, true, false};

    public static final java.time.ZoneId CITY_ZONE = java.time.ZoneId.of("Asia/Shanghai");
    /** The city's rows (for "now") and the dimensions ranked as hotspots; how many of each are ranked. */
    static final Set<String> HOTSPOT_DIMENSIONS = Set.of("all", "category", "topic");

    static final int HOTSPOTS_RANKED = 10;

    /** The columns of {@link #callValues}, in its order: what the call tables store after their key. */
    public static final List<String> CALL_VALUE_COLUMNS = List.of(
            "offered",
            "answered",
            "abandoned",
            "answered_wait_sum",
            "answered_wait_max",
            "abandoned_wait_sum",
            "abandoned_wait_max",
            "talk_seconds_sum");

    /** offered, answered, abandoned, answered wait sum and max, abandoned wait sum and max, talk seconds. */
    static long[] callValues(CallMinute m) {
        return new long[] {
            m.offered(),
            m.answered(),
            m.abandoned(),
            m.answeredWaitSum(),
            m.answeredWaitMax(),
            m.abandonedWaitSum(),
            m.abandonedWaitMax(),
            m.talkSecondsSum()
        };
    }

    /** A minute row of one line and region counts city-wide and for its line. */
    static void callScopes(CallMinute m, Collector<Rolling.In> out) {
        String slot = Rolling.slot(m.minuteStartMs(), Keys.join(m.line(), m.callerRegion()));
        out.collect(new Rolling.In("all", "", slot, m.minuteStartMs(), callValues(m)));
        out.collect(new Rolling.In("line", m.line(), slot, m.minuteStartMs(), callValues(m)));
    }

    /** Bounded out-of-orderness on the event time, with idleness; parse failures carry no event time. */
    static <T> WatermarkStrategy<Sourced<T>> watermarks(JobSettings settings, SerializableFunction<T, Long> eventTime) {
        return WatermarkStrategy.<Sourced<T>>forGenerator(ctx -> new MinuteWatermarks<>(settings.outOfOrderness()))
                .withTimestampAssigner((s, kafkaTs) -> s.event() == null ? Long.MIN_VALUE : eventTime.apply(s.event()))
                .withIdleness(settings.idleness());
    }

    static DeadLetter lateFact(Fact f) {
        String payload = String.format(
                "{\"kind\":\"%s\",\"dimension\":\"%s\",\"value\":\"%s\",\"time_ms\":%d,\"sign\":%d}",
                f.kind().column(), f.dimension(), f.value(), f.timeMs(), f.sign());
        return new DeadLetter(
                "(ticket facts)",
                0,
                Integer.toUnsignedLong(payload.hashCode()),
                payload,
                Reason.LATE.code(),
                null,
                "a derived fact for a minute already final",
                f.timeMs(),
                System.currentTimeMillis());
    }

    /** Routes records that failed to parse to the dead letters. */
    static final class SplitInvalid<T> extends ProcessFunction<Sourced<T>, Sourced<T>> {
        @Override
        public void processElement(Sourced<T> s, Context ctx, Collector<Sourced<T>> out) {
            if (s.isValid()) {
                out.collect(s);
            } else {
                ctx.output(DEAD_LETTERS, DeadLetter.unparsed(s));
            }
        }
    }
}
