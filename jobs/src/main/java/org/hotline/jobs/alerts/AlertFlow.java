package org.hotline.jobs.alerts;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.Exchanges;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Sinks;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.SliceFacts;
import org.hotline.jobs.tickets.TicketLife;

/**
 * The alerts' part of the job: every rule, in event time as the counts change, to ClickHouse, to Kafka and to
 * Alertmanager.
 */
public final class AlertFlow {
    private AlertFlow() {}

    /**
     * Adds the rules over the tickets' facts ({@code slices}) and {@code accepted} steps (both partitioned by ticket, as
     * the lifecycle emits them) and the calls' {@code minutes}, and where their alerts go.
     */
    public static void add(
            DataStream<SliceFacts> slices,
            DataStream<Sourced<TicketEvent>> accepted,
            DataStream<CallMinute> minutes,
            Sinks sinks,
            AlertRules rules,
            AlertmanagerDelivery alertmanager) {
        // A unit's backlog, overdue tickets and tickets due soon, concentrated returns, bouncing tickets, emerging
        // hotspots, the connection rate and long waits.
        // The rules read facts one by one: the kinds they look at (the backlog a unit's openings and closings, the
        // emerging hotspots the tickets created), of the slices they watch.
        Set<FactKind> all = EnumSet.allOf(FactKind.class);
        Set<FactKind> created = EnumSet.of(FactKind.CREATED);
        DataStream<Fact> facts = slices.flatMap(new SliceFacts.Expand(Map.of(
                        TicketLife.UNIT,
                        EnumSet.of(FactKind.OPENED, FactKind.CLOSED, FactKind.OVERDUE_OPENED, FactKind.OVERDUE_CLOSED),
                        TicketLife.DUE,
                        all,
                        TicketLife.UNIT_CATEGORY,
                        all,
                        "category",
                        created,
                        "topic",
                        created)))
                .returns(Fact.class)
                .name("facts for alerts")
                .uid("alerts-facts");
        DataStream<Alert> alerts = facts.filter(f -> f.dimension().equals(TicketLife.UNIT))
                .name("unit facts")
                .uid("alerts-unit-facts")
                .keyBy(Fact::value)
                .process(new UnitBacklog(rules))
                .name("backlog alerts")
                .uid("alerts-backlog")
                .union(
                        facts.filter(f -> f.dimension().equals(TicketLife.DUE))
                                .name("due facts")
                                .uid("alerts-due-facts")
                                .keyBy(DueSoon::unitOf)
                                .process(new DueSoon(rules))
                                .name("due soon alerts")
                                .uid("alerts-due-soon"),
                        facts.filter(f -> f.dimension().equals(TicketLife.UNIT_CATEGORY))
                                .name("returns facts")
                                .uid("alerts-returns-facts")
                                .keyBy(Fact::value)
                                .process(new ConcentratedReturns(rules))
                                .name("returns alerts")
                                .uid("alerts-returns"),
                        // keyed by ticket like the lifecycle: chained to it, the steps do not cross the network
                        DataStreamUtils.reinterpretAsKeyedStream(
                                        accepted, s -> s.event().ticketId())
                                .process(new AlertFunctions.BouncingTicket(rules, HotlineJob.TICKETS))
                                .name("bouncing alerts")
                                .uid("alerts-bouncing"),
                        facts.filter(f -> f.kind() == FactKind.CREATED
                                        && (f.dimension().equals("category")
                                                || f.dimension().equals("topic")))
                                .name("hotspot facts")
                                .uid("alerts-hotspot-facts")
                                .keyBy(f -> f.dimension() + "|" + f.value())
                                .process(new EmergingHotspot(rules))
                                .name("hotspot alerts")
                                .uid("alerts-hotspots"),
                        Exchanges.byKey(minutes, CallMinute::line)
                                .process(new CallLineRules(rules))
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
    }
}
