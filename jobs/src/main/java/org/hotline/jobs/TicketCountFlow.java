package org.hotline.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;
import org.hotline.events.Reason;
import org.hotline.jobs.tickets.FactCounts;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.SliceFacts;
import org.hotline.jobs.tickets.TicketLife;
import org.hotline.jobs.tickets.TicketMinute;

/**
 * The tickets' figures from the facts of their lives: counts per minute and slice (a unit, or a city-wide slice such as
 * a channel or a category), their history per day, the rolling figures city-wide and per unit, and the hotspots.
 */
public final class TicketCountFlow {
    private TicketCountFlow() {}

    private static final OutputTag<SliceFacts> LATE_FACTS =
            new OutputTag<>("late-facts", TypeInformation.of(SliceFacts.class)) {};

    /** The city's rows (for "now") and the dimensions ranked as hotspots; how many of each are ranked. */
    static final Set<String> HOTSPOT_DIMENSIONS = Set.of("all", "category", "topic");

    static final int HOTSPOTS_RANKED = 10;

    /** Adds the counting operators after {@code facts}; returns the facts that came too late to count (none should). */
    public static DataStream<DeadLetter> add(DataStream<SliceFacts> facts, Sinks sinks, JobSettings settings) {
        // The facts counted (a ticket's due times are not: only the due_soon alert reads them).
        DataStream<SliceFacts> counted = facts.filter(f -> !f.dimension().equals(TicketLife.DUE))
                .name("counted facts")
                .uid("ticket-counted-facts");
        // One hand-over from the lifecycle's task to the counting task. A fact for a minute already final (its end
        // plus the allowed lateness behind the watermark) is kept aside: it cannot happen (a late step only changes
        // facts at or after its own time), but counted it would start a final day or minute again from nothing.
        SingleOutputStreamOperator<SliceFacts> onTime = counted.keyBy(f -> MinuteSlices.minuteOf(f.timeMs()))
                .process(new OnTime(settings.allowedLateness()), TypeInformation.of(SliceFacts.class))
                .name("facts on time")
                .uid("ticket-facts-on-time");
        // Per minute and slice, only where the minute rows are stored (tests look at them): the figures below take
        // each fact as it comes, so a fact is not counted into its minute and then again from the minute's row.
        DataStream<SliceFacts> lateForMinutes = null;
        if (sinks.ticketMinutes() != null) {
            SingleOutputStreamOperator<TicketMinute> ticketMinutes = Exchanges.byKey(
                            onTime, f -> MinuteSlices.minuteOf(f.timeMs()))
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
            ticketMinutes
                    .sinkTo(sinks.ticketMinutes())
                    .name("ticket minutes sink")
                    .uid("ticket-minutes-sink");
            lateForMinutes = ticketMinutes.getSideOutput(LATE_FACTS);
        }
        // History for analysts: per day and slice, each fact added to its day.
        Exchanges.byKey(
                        onTime.map(f -> new Rollup.In(
                                        Rollup.Span.DAY.start(f.timeMs(), HotlineJob.CITY_ZONE),
                                        Keys.join(f.dimension(), f.value()),
                                        MinuteSlices.minuteOf(f.timeMs()),
                                        f.counts()))
                                .returns(Rollup.In.class)
                                .name("ticket days")
                                .uid("ticket-day-in"),
                        Rollup.In::key)
                .process(
                        Rollup.additions(
                                Rollup.Span.DAY,
                                FactKind.values().length,
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
                        onTime.filter(f -> f.dimension().equals("all")
                                        || f.dimension().equals(TicketLife.UNIT))
                                .name("city and unit facts")
                                .uid("ticket-rolling-scopes")
                                .map(f -> new Rolling.In(
                                        f.dimension(), f.value(), null, MinuteSlices.minuteOf(f.timeMs()), f.counts()))
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
        // city's last minute with tickets, as the analysts' views have it. Every fact of these slices reaches it (a
        // slice with none created is still one of the slices seen).
        Exchanges.byKey(
                        onTime.filter(f -> HOTSPOT_DIMENSIONS.contains(f.dimension()))
                                .name("hotspot facts")
                                .uid("hotspot-scopes")
                                .map(f -> new Rolling.In(
                                        f.dimension(), f.value(), null, MinuteSlices.minuteOf(f.timeMs()), new long[] {
                                            f.count(FactKind.CREATED)
                                        }))
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
        // Cannot happen (see above), but never drop silently.
        DataStream<SliceFacts> late = onTime.getSideOutput(LATE_FACTS);
        return (lateForMinutes == null ? late : late.union(lateForMinutes))
                .map(TicketCountFlow::lateFact)
                .returns(DeadLetter.class)
                .name("late facts")
                .uid("ticket-facts-late");
    }

    /**
     * Passes on the facts whose minute is not final, by the watermark judged as {@link MinuteSlices} judges it (after a
     * restore too); keeps the others aside. Keyed by minute: it holds no keyed state, only the watermark reached.
     */
    static final class OnTime extends LatenessJudging<Long, SliceFacts, SliceFacts> {
        private final long latenessMs;

        OnTime(java.time.Duration allowedLateness) {
            this.latenessMs = allowedLateness.toMillis();
        }

        @Override
        public void processElement(SliceFacts f, Context ctx, org.apache.flink.util.Collector<SliceFacts> out) {
            if (MinuteSlices.closed(f.timeMs(), latenessMs, watermark(ctx.timerService()))) {
                ctx.output(LATE_FACTS, f);
            } else {
                out.collect(f);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static DeadLetter lateFact(SliceFacts f) {
        ObjectNode json = JSON.createObjectNode()
                .put("dimension", f.dimension())
                .put("value", f.value())
                .put("time_ms", f.timeMs());
        ObjectNode counts = json.putObject("counts");
        for (FactKind k : FactKind.values()) {
            if (f.count(k) != 0) {
                counts.put(k.column(), f.count(k));
            }
        }
        String payload = json.toString();
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
