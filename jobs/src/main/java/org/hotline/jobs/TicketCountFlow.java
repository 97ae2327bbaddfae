package org.hotline.jobs;

import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;
import org.hotline.events.Reason;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactCounts;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.TicketLife;
import org.hotline.jobs.tickets.TicketMinute;

/**
 * The tickets' figures from the facts of their lives: counts per minute and slice (a unit, or a city-wide slice such as
 * a channel or a category), their history per day, the rolling figures city-wide and per unit, and the hotspots.
 */
public final class TicketCountFlow {
    private TicketCountFlow() {}

    private static final OutputTag<Fact> LATE_FACTS = new OutputTag<>("late-facts", TypeInformation.of(Fact.class)) {};

    /** The city's rows (for "now") and the dimensions ranked as hotspots; how many of each are ranked. */
    static final Set<String> HOTSPOT_DIMENSIONS = Set.of("all", "category", "topic");

    static final int HOTSPOTS_RANKED = 10;

    /** Adds the counting operators after {@code facts}; returns the facts that came too late to count (none should). */
    public static DataStream<DeadLetter> add(DataStream<Fact> facts, Sinks sinks, JobSettings settings) {
        // Per minute and slice: counts of facts (a ticket's due times are not counted: only the due_soon alert reads
        // them).
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
        Exchanges.byKey(
                        ticketMinutes
                                .map(m -> new Rollup.In(
                                        Rollup.Span.DAY.start(m.minuteStartMs(), HotlineJob.CITY_ZONE),
                                        Keys.join(m.dimension(), m.value()),
                                        m.minuteStartMs(),
                                        m.counts()))
                                .returns(Rollup.In.class)
                                .name("ticket days")
                                .uid("ticket-day-in"),
                        Rollup.In::key)
                .process(
                        new Rollup(
                                Rollup.Span.DAY,
                                new boolean[FactKind.values().length],
                                HotlineJob.CITY_ZONE,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(Rollup.Out.class))
                .name("tickets per day")
                .uid("ticket-day-rollup")
                .sinkTo(sinks.ticketDays())
                .name("ticket days sink")
                .uid("ticket-days-sink");
        // Rolling ticket figures city-wide and per unit (all time: the backlog) for the wallboard.
        Exchanges.byKey(
                        ticketMinutes
                                .filter(m -> m.dimension().equals("all")
                                        || m.dimension().equals(TicketLife.UNIT))
                                .name("city and unit minutes")
                                .uid("ticket-rolling-scopes")
                                .map(m -> new Rolling.In(
                                        m.dimension(),
                                        m.value(),
                                        Rolling.slot(m.minuteStartMs(), ""),
                                        m.minuteStartMs(),
                                        m.counts()))
                                .returns(Rolling.In.class)
                                .name("ticket scopes")
                                .uid("ticket-rolling-in"),
                        Rolling.In::scope)
                .process(
                        new Rolling(
                                new boolean[FactKind.values().length],
                                HotlineJob.CITY_ZONE,
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
        Exchanges.byKey(
                        ticketMinutes
                                .filter(m -> HOTSPOT_DIMENSIONS.contains(m.dimension()))
                                .name("hotspot minutes")
                                .uid("hotspot-scopes")
                                .map(m -> new Rolling.In(
                                        m.dimension(),
                                        m.value(),
                                        Rolling.slot(m.minuteStartMs(), ""),
                                        m.minuteStartMs(),
                                        new long[] {m.counts()[FactKind.CREATED.ordinal()]}))
                                .returns(Rolling.In.class)
                                .name("hotspot counts")
                                .uid("hotspot-rolling-in"),
                        Rolling.In::scope)
                .process(
                        new Rolling(
                                Rolling.HOTSPOT_PERIODS,
                                new boolean[1],
                                HotlineJob.CITY_ZONE,
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
        return ticketMinutes
                .getSideOutput(LATE_FACTS)
                .map(TicketCountFlow::lateFact)
                .returns(DeadLetter.class)
                .name("late facts")
                .uid("ticket-facts-late");
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
}
