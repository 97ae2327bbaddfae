package org.hotline.jobs;

import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;
import org.hotline.events.CallEvent;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.alerts.AlertFlow;
import org.hotline.jobs.alerts.AlertRules;
import org.hotline.jobs.alerts.AlertmanagerDelivery;
import org.hotline.jobs.calls.CallFlow;
import org.hotline.jobs.tickets.TicketFlow;

/**
 * The hotline job: call and ticket events in; raw events, figures, ticket states, alerts and dead letters out. It joins
 * the job's parts, each wired in its own class: the calls ({@link CallFlow}), the tickets' lives ({@link TicketFlow}),
 * the tickets' figures ({@link TicketCountFlow}) and the alerts ({@link AlertFlow}). The constructor takes the sources
 * and sinks, so {@link JobLauncher} (for {@link JobMain} and the
 * command line's {@code run}) wires Kafka and ClickHouse while tests wire in-memory ones, and the same topology runs in both.
 */
public final class HotlineJob {

    public static final TypeInformation<Sourced<CallEvent>> CALLS = TypeInformation.of(new TypeHint<>() {});
    public static final TypeInformation<Sourced<TicketEvent>> TICKETS = TypeInformation.of(new TypeHint<>() {});

    /** Where every operator puts what it does not count, with its reason: one tag, one dead-letter sink. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    /** Each event in its wire form, as the dead letters and the raw tables store it. */
    public static final EventWriter CANONICAL = new EventWriter(java.time.ZoneId.of("Asia/Shanghai"));

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

        // The calls: each step once, raw events, counts per minute, history per quarter hour, rolling figures.
        CallFlow.Streams callFlow = CallFlow.add(validCalls, sinks, settings);
        // The tickets: each one's life in event time (facts, where it stands, the raw steps it accepts).
        TicketFlow.Streams ticketFlow = TicketFlow.add(validTickets, units, sinks, settings);
        // The tickets' figures from those facts: per minute and slice, per day, rolling, and the hotspots.
        DataStream<DeadLetter> lateFacts = TicketCountFlow.add(ticketFlow.facts(), sinks, settings);
        // The alerts over both, to ClickHouse, Kafka and Alertmanager.
        AlertFlow.add(ticketFlow.facts(), ticketFlow.accepted(), callFlow.minutes(), sinks, rules, alertmanager);

        // Everything not counted, with its reason: invalid, duplicate or too late.
        validCalls
                .getSideOutput(DEAD_LETTERS)
                .union(
                        validTickets.getSideOutput(DEAD_LETTERS),
                        callFlow.deadLetters(),
                        ticketFlow.deadLetters(),
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

    /**
     * Operators of earlier builds whose state this build cannot take over, and what they held: a checkpoint with one of
     * them is refused (resumed, what it held would be lost without a word).
     */
    public static final java.util.Map<String, String> RETIRED = java.util.Map.of(
            "ticket-minute-slices",
            "the tickets' counts per minute, which this build no longer keeps (each fact goes to the history and the "
                    + "rolling figures as it comes): the facts of the minutes it had not yet written out would be lost");

    public static final java.time.ZoneId CITY_ZONE = java.time.ZoneId.of("Asia/Shanghai");
    /** Bounded out-of-orderness on the event time, with idleness; parse failures carry no event time. */
    static <T> WatermarkStrategy<Sourced<T>> watermarks(JobSettings settings, SerializableFunction<T, Long> eventTime) {
        return WatermarkStrategy.<Sourced<T>>forGenerator(ctx -> new MinuteWatermarks<>(settings.outOfOrderness()))
                .withTimestampAssigner((s, kafkaTs) -> s.event() == null ? Long.MIN_VALUE : eventTime.apply(s.event()))
                .withIdleness(settings.idleness());
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
