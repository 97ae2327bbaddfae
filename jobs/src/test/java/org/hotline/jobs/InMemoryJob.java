package org.hotline.jobs;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.alerts.AlertRules;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.tickets.TicketMinute;
import org.hotline.jobs.tickets.TicketState;

/**
 * The job's topology with in-memory sources and sinks, on the MiniCluster of the test. Parallelism 1
 * and in-order input make lateness depend on the order of events only, not on timing.
 */
final class InMemoryJob {

    final CollectingSink<Sourced<CallEvent>> callEvents = new CollectingSink<>();
    final CollectingSink<Sourced<TicketEvent>> ticketEvents = new CollectingSink<>();
    final CollectingSink<CallMinute> callMinutes = new CollectingSink<>();
    final CollectingSink<TicketMinute> ticketMinutes = new CollectingSink<>();
    final CollectingSink<Rollup.Out> callQuarters = new CollectingSink<>();
    final CollectingSink<Rollup.Out> ticketDays = new CollectingSink<>();
    final CollectingSink<TicketState> ticketStates = new CollectingSink<>();
    final CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    final CollectingSink<Rejudged> rejudged = new CollectingSink<>();
    final CollectingSink<Alert> alerts = new CollectingSink<>();
    final CollectingSink<Rolling.Row> callRolling = new CollectingSink<>();
    final CollectingSink<Rolling.Row> ticketRolling = new CollectingSink<>();
    final CollectingSink<HotspotRanks.Rank> hotspots = new CollectingSink<>();
    final CollectingSink<org.hotline.jobs.tickets.OldestOpen.Row> oldestOpen = new CollectingSink<>();

    /** A call and a ticket that stand in for no events (a generator source cannot be empty). */
    static final Sourced<CallEvent> PROBE_CALL = new Sourced<>(
            "calls",
            0,
            0,
            new CallEvent("probe-o", 1, CallEventType.OFFERED, 0L, "probe", "12345", "probe", null, null, null),
            null,
            null);

    static final Sourced<TicketEvent> PROBE_TICKET = new Sourced<>(
            "tickets",
            0,
            0,
            new TicketEvent(
                    "probe-1",
                    1,
                    org.hotline.events.TicketEventType.CREATED,
                    0L,
                    "probe",
                    null,
                    org.hotline.events.Channel.PHONE,
                    org.hotline.events.RequestType.OTHER,
                    "probe",
                    null,
                    "probe",
                    new String[0],
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null),
            null,
            null);

    /** Only complete minutes, so the rows written depend on the events alone, not on how fast the test runs. */
    JobSettings settings = JobSettings.defaults().withEarlyUpdates(Duration.ZERO);

    void run(List<Sourced<CallEvent>> calls, List<Sourced<TicketEvent>> tickets) throws Exception {
        if (calls.isEmpty()) {
            // A generator source cannot be empty: one call that only the call outputs see.
            calls = List.of(PROBE_CALL);
        }
        if (tickets.isEmpty()) {
            tickets = List.of(PROBE_TICKET);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, calls, tickets);
        env.execute("in-memory hotline job");
    }

    /** The job's topology on {@code env}, with these events as its sources and the collecting sinks. */
    void build(StreamExecutionEnvironment env, List<Sourced<CallEvent>> calls, List<Sourced<TicketEvent>> tickets) {
        env.setParallelism(1);
        new HotlineJob(
                        fromList(env, calls, HotlineJob.CALLS),
                        fromList(env, tickets, HotlineJob.TICKETS),
                        Sinks.builder()
                                .callEvents(callEvents)
                                .ticketEvents(ticketEvents)
                                .callMinutes(callMinutes)
                                .ticketMinutes(ticketMinutes)
                                .callQuarters(callQuarters)
                                .ticketDays(ticketDays)
                                .ticketStates(ticketStates)
                                .deadLetters(deadLetters)
                                .alerts(alerts)
                                .alertEvents(new CollectingSink<>())
                                .alertsLatest(new CollectingSink<>())
                                .callRolling(callRolling)
                                .ticketRolling(ticketRolling)
                                .hotspots(hotspots)
                                .oldestOpen(oldestOpen)
                                .rejudged(rejudged)
                                .build(),
                        settings,
                        AlertRules.load(null, Map.of()))
                .build(env);
    }

    static <T> Source<T, ?, ?> fromList(StreamExecutionEnvironment env, List<T> items, TypeInformation<T> type) {
        return new DataGeneratorSource<>(
                new FromElementsGeneratorFunction<>(type, env.getConfig(), items),
                items.size(),
                RateLimiterStrategy.noOp(),
                type);
    }

    /** What a ReplacingMergeTree keeps: for each key, the row with the highest version. */
    static <T, K> Map<K, T> latest(List<T> rows, Function<T, K> key, Function<T, Long> version) {
        return rows.stream()
                .collect(Collectors.toMap(key, r -> r, (a, b) -> version.apply(a) >= version.apply(b) ? a : b));
    }

    static final Comparator<TicketState> BY_VERSION = Comparator.comparingLong(TicketState::version);
}
