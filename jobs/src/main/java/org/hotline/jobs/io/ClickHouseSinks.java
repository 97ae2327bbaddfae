package org.hotline.jobs.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.connector.sink2.Sink;
import org.hotline.events.CallEvent;
import org.hotline.events.TicketEvent;
import org.hotline.events.Wire;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.HotspotRanks;
import org.hotline.jobs.Rejudged;
import org.hotline.jobs.Rolling;
import org.hotline.jobs.Rollup;
import org.hotline.jobs.Sinks;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.calls.CallFlow;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.OldestOpen;
import org.hotline.jobs.tickets.TicketState;
import org.hotline.sql.ClusterLayout;

/**
 * The job's sinks into ClickHouse, one {@link ClickHouseSink} per table: batched (thousands of rows
 * every half second or so, never row by row) and flushed at every checkpoint. Every table is keyed
 * deterministically, so a retried batch or a replay never double-counts.
 */
public final class ClickHouseSinks {

    /** How rows reach ClickHouse ({@code clickhouse.writer}); docs/operations.md, "The two writers". */
    public enum Writer {
        /** {@link ClickHouseSink}: TabSeparated over HTTP, the default (the faster one). */
        NATIVE,
        /** {@link ClickHouseJdbcSink}: Flink's JDBC sink with ClickHouse's JDBC driver. */
        JDBC;

        public static Writer of(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("clickhouse.writer must be native or jdbc, not '" + name + "'");
            }
        }
    }

    /** Attempts after the first before a batch fails the task (which then restarts from its checkpoint). */
    private static final int MAX_RETRIES = 5;

    private final Writer writer;
    private final String url;
    private final String db;
    private final String user;
    private final String password;
    private final int batchSize;
    private final long flushIntervalMs;
    /** The tables' layout: a correction deletes from {@code t_local} on every server of a cluster. */
    private ClusterLayout layout = ClusterLayout.SINGLE;

    /** On a cluster: where corrections delete ({@link #rejudged}). */
    public ClickHouseSinks onCluster(ClusterLayout layout) {
        this.layout = layout;
        return this;
    }

    public ClickHouseSinks(
            Writer writer,
            String httpUrl,
            String database,
            String user,
            String password,
            int batchSize,
            long flushIntervalMs) {
        this.writer = writer;
        this.url = httpUrl;
        this.db = database;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
    }

    /** Every output into ClickHouse; alerts also go to {@code alertEvents} (the Kafka topic). */
    public Sinks all(Sink<Alert> alertEvents) {
        return Sinks.builder()
                .callEvents(callEvents())
                .ticketEvents(ticketEvents())
                .callQuarters(callQuarters())
                .ticketDays(ticketDays())
                .ticketStates(ticketStates())
                .deadLetters(deadLetters())
                .alerts(alerts())
                .alertEvents(alertEvents)
                .alertsLatest(alerts("alerts_latest"))
                .callRolling(rolling("call_rolling", CallFlow.VALUE_COLUMNS))
                .ticketRolling(rolling("ticket_rolling", TICKET_VALUE_COLUMNS))
                .hotspots(hotspots())
                .oldestOpen(oldestOpen())
                .rejudged(rejudged())
                .build();
    }

    /** Each unit's oldest open ticket and its open tickets' due times. */
    public Sink<OldestOpen.Row> oldestOpen() {
        return sink(
                "unit_open_since",
                List.of("unit_id", "oldest_open_since", "open_due", "version"),
                (o, r) -> r.string(o.unit()).time(o.sinceMs()).times(o.dueMs()).number(o.version()));
    }

    Sink<Alert> alerts() {
        return alerts("alerts");
    }

    /** Alerts into {@code table}: every change ({@code alerts}), or the latest of each alert ({@code alerts_latest}). */
    Sink<Alert> alerts(String table) {
        return sink(
                table,
                List.of(
                        "rule",
                        "alert_key",
                        "unit",
                        "topic",
                        "category",
                        "ticket_id",
                        "severity",
                        "state",
                        "value",
                        "threshold",
                        "window_start",
                        "window_end",
                        "event_time",
                        "detail"),
                (a, r) -> r.string(a.rule())
                        .string(a.key())
                        .string(orEmpty(a.unit()))
                        .string(orEmpty(a.topic()))
                        .string(orEmpty(a.category()))
                        .string(orEmpty(a.ticketId()))
                        .string(a.severity())
                        .string(a.state())
                        .number(a.value())
                        .number(a.threshold())
                        .time(a.windowStartMs())
                        .time(a.windowEndMs())
                        .time(a.eventTimeMs())
                        .string(orEmpty(a.detail())));
    }

    public Sink<Sourced<CallEvent>> callEvents() {
        return sink(
                "call_events",
                List.of(
                        "event_id",
                        "event_type",
                        "event_time",
                        "call_id",
                        "line",
                        "caller_region",
                        "agent_id",
                        "wait_seconds",
                        "talk_seconds",
                        "schema_version",
                        "event_time_ms"),
                (s, r) -> {
                    CallEvent e = s.event();
                    r.string(e.eventId())
                            .string(e.type().wire())
                            .time(e.eventTimeMs())
                            .string(e.callId())
                            .string(e.line())
                            .string(e.callerRegion())
                            .string(orEmpty(e.agentId()))
                            .nullableNumber(e.waitSeconds())
                            .nullableNumber(e.talkSeconds())
                            .number(e.schemaVersion())
                            .number(e.eventTimeMs());
                });
    }

    /** {@code ticket_events}: a step counted, one row. */
    static final String TICKET_EVENTS = "ticket_events";

    static final List<String> TICKET_EVENT_COLUMNS = List.of(
            "event_id",
            "event_type",
            "event_time",
            "ticket_id",
            "call_id",
            "channel",
            "request_type",
            "category",
            "topic",
            "region",
            "tags",
            "desk",
            "unit_id",
            "due_time",
            "new_due_time",
            "reason",
            "callback_source",
            "satisfied",
            "schema_version",
            "event_time_ms",
            "due_time_ms",
            "new_due_time_ms");
    static final ClickHouseSink.Row<Sourced<TicketEvent>> TICKET_EVENT_ROW = (s, r) -> {
        TicketEvent e = s.event();
        r.string(e.eventId())
                .string(e.type().wire())
                .time(e.eventTimeMs())
                .string(e.ticketId())
                .string(orEmpty(e.callId()))
                .string(wire(e.channel()))
                .string(wire(e.requestType()))
                .string(orEmpty(e.category()))
                .string(orEmpty(e.topic()))
                .string(orEmpty(e.region()))
                .strings(e.tags())
                .string(wire(e.desk()))
                .string(orEmpty(e.unitId()))
                .time(e.dueTimeMs())
                .time(e.newDueTimeMs())
                .string(orEmpty(e.reason()))
                .string(wire(e.callbackSource()))
                .flag(e.satisfied())
                .number(e.schemaVersion())
                .number(e.eventTimeMs())
                .nullableNumber(e.dueTimeMs())
                .nullableNumber(e.newDueTimeMs());
    };

    Sink<Sourced<TicketEvent>> ticketEvents() {
        return sink(TICKET_EVENTS, TICKET_EVENT_COLUMNS, TICKET_EVENT_ROW);
    }

    /** Calls per quarter hour: the slice is the line and the caller region. */
    Sink<Rollup.Out> callQuarters() {
        return sink(
                "call_quarter_metrics",
                countColumns(List.of("quarter", "line", "caller_region"), CallFlow.VALUE_COLUMNS),
                (q, r) -> counts(r.time(q.spanStartMs()).string(q.part(0)).string(q.part(1)), q.values(), q.version()));
    }

    /** One column per {@link FactKind}, in its order, so the table and the code cannot drift apart. */
    static final List<String> TICKET_VALUE_COLUMNS =
            Arrays.stream(FactKind.values()).map(FactKind::column).toList();

    /** Tickets per day: the slice is the dimension and its value; the day is the city's. */
    Sink<Rollup.Out> ticketDays() {
        return sink(
                "ticket_daily_metrics",
                countColumns(List.of("day", "dimension", "value"), TICKET_VALUE_COLUMNS),
                (d, r) -> counts(
                        r.date(java.time.Instant.ofEpochMilli(d.spanStartMs())
                                        .atZone(HotlineJob.CITY_ZONE)
                                        .toLocalDate())
                                .string(d.part(0))
                                .string(d.part(1)),
                        d.values(),
                        d.version()));
    }

    /** A table of counts: its key's columns, then {@code values}, then the version. */
    private static List<String> countColumns(List<String> key, List<String> values) {
        List<String> columns = new ArrayList<>(key);
        columns.addAll(values);
        columns.add("version");
        return columns;
    }

    /** After the key's fields: the counts in their columns' order, then the version. */
    private static void counts(RowOut row, long[] values, long version) {
        for (long v : values) {
            row.number(v);
        }
        row.number(version);
    }

    Sink<TicketState> ticketStates() {
        return sink(
                "ticket_state",
                List.of(
                        "ticket_id",
                        "status",
                        "unit_id",
                        "dispatches",
                        "category",
                        "region",
                        "created_at",
                        "assigned_at",
                        "due_time",
                        "overdue",
                        "completed_at",
                        "on_time",
                        "extended",
                        "contacted",
                        "last_event_at",
                        "version"),
                (t, r) -> r.string(t.ticketId())
                        .string(t.status())
                        .string(orEmpty(t.unitId()))
                        .number(t.dispatches())
                        .string(orEmpty(t.category()))
                        .string(orEmpty(t.region()))
                        .time(t.createdAtMs())
                        .time(t.assignedAtMs())
                        .time(t.dueMs())
                        .flag(t.overdue())
                        .time(t.completedAtMs())
                        .flag(t.onTime())
                        .flag(t.extended())
                        .flag(t.contacted())
                        .time(t.lastEventMs())
                        .number(t.version()));
    }

    /** Rolling figures: the scope, the period, as of when, then {@code values} in the row's order. */
    Sink<Rolling.Row> rolling(String table, List<String> values) {
        return sink(
                table,
                countColumns(List.of("dimension", "value", "period", "as_of"), values),
                (row, r) -> counts(
                        r.string(row.dimension())
                                .string(row.value())
                                .string(row.period())
                                .time(row.asOfMs()),
                        row.values(),
                        row.version()));
    }

    Sink<HotspotRanks.Rank> hotspots() {
        return sink(
                "hotspot_ranks",
                List.of("dimension", "period", "rank", "value", "current", "previous", "as_of", "version"),
                (h, r) -> r.string(h.dimension())
                        .string(h.period())
                        .number(h.rank())
                        .string(h.value())
                        .number(h.current())
                        .number(h.previous())
                        .time(h.asOfMs())
                        .number(h.version()));
    }

    /** {@code dead_letters}: a record not counted, with its reason. */
    static final String DEAD_LETTERS = "dead_letters";

    static final List<String> DEAD_LETTER_COLUMNS = List.of(
            "topic",
            "kafka_partition",
            "kafka_offset",
            "payload",
            "reason",
            "field",
            "message",
            "event_time",
            "seen_at",
            "event_time_ms");
    static final ClickHouseSink.Row<DeadLetter> DEAD_LETTER_ROW = (d, r) -> r.string(d.topic())
            .number(d.partition())
            .number(d.offset())
            .string(d.payload())
            .string(d.reason())
            .string(orEmpty(d.field()))
            .string(orEmpty(d.message()))
            .time(d.eventTimeMs())
            .time(d.seenAtMs())
            .nullableNumber(d.eventTimeMs());

    Sink<DeadLetter> deadLetters() {
        return sink(DEAD_LETTERS, DEAD_LETTER_COLUMNS, DEAD_LETTER_ROW);
    }

    /** The ticket steps judged again after a late step: each moved to the table its judgement now says. */
    Sink<Rejudged> rejudged() {
        return new RejudgedSink(url, user, password, db, layout);
    }

    private <T> Sink<T> sink(String table, List<String> columns, ClickHouseSink.Row<T> row) {
        String qualified = db + "." + table;
        return switch (writer) {
            case NATIVE ->
                new ClickHouseSink<>(
                        url, user, password, qualified, columns, row, batchSize, flushIntervalMs, MAX_RETRIES);
            case JDBC ->
                ClickHouseJdbcSink.create(
                        url, user, password, qualified, columns, row, batchSize, flushIntervalMs, MAX_RETRIES);
        };
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String wire(Wire w) {
        return w == null ? "" : w.wire();
    }
}
