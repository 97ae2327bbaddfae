package org.hotline.jobs;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.hotline.events.CallEvent;
import org.hotline.events.TicketEvent;
import org.hotline.events.Wire;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.TicketMinute;
import org.hotline.jobs.tickets.TicketState;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's sinks into ClickHouse: flink-connector-jdbc with the ClickHouse JDBC driver, batched
 * (thousands of rows about once a second, never row by row) and flushed at every checkpoint.
 * Every table is keyed deterministically, so a retried batch or a replay never double-counts.
 * DateTime columns are bound as epoch seconds, which works on old and new servers alike.
 */
public final class ClickHouseSinks {

    private final JdbcConnectionOptions connection;
    private final JdbcExecutionOptions execution;
    private final String db;

    public ClickHouseSinks(String httpUrl, String database, String user, String password, int batchSize, long flushIntervalMs) {
        this.db = database;
        this.connection = new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(jdbcUrl(httpUrl, database))
                .withDriverName("com.clickhouse.jdbc.Driver")
                .withUsername(user)
                .withPassword(password)
                .build();
        this.execution = JdbcExecutionOptions.builder()
                .withBatchSize(batchSize)
                .withBatchIntervalMs(flushIntervalMs)
                .withMaxRetries(5)
                .build();
    }

    /** {@code http://host:port} to the driver's {@code jdbc:clickhouse:http://host:port/db}. */
    static String jdbcUrl(String httpUrl, String database) {
        String base = httpUrl.endsWith("/") ? httpUrl.substring(0, httpUrl.length() - 1) : httpUrl;
        return "jdbc:clickhouse:" + base + "/" + database;
    }

    /** Every output into ClickHouse; alerts also go to {@code alertEvents} (the Kafka topic). */
    public HotlineJob.Sinks all(org.apache.flink.api.connector.sink2.Sink<Alert> alertEvents) {
        return new HotlineJob.Sinks(callEvents(), ticketEvents(), callMinutes(), ticketMinutes(), ticketStates(), deadLetters(),
                alerts(), alertEvents);
    }

    JdbcSink<Alert> alerts() {
        return sink("alerts", new String[] {"rule", "alert_key", "unit", "topic", "category", "ticket_id", "severity", "state",
                "value", "threshold", "window_start", "window_end", "event_time"}, (ps, a) -> {
                    ps.setString(1, a.rule());
                    ps.setString(2, a.key());
                    ps.setString(3, orEmpty(a.unit()));
                    ps.setString(4, orEmpty(a.topic()));
                    ps.setString(5, orEmpty(a.category()));
                    ps.setString(6, orEmpty(a.ticketId()));
                    ps.setString(7, a.severity());
                    ps.setString(8, a.state());
                    ps.setDouble(9, a.value());
                    ps.setDouble(10, a.threshold());
                    setNullableTime(ps, 11, a.windowStartMs());
                    setNullableTime(ps, 12, a.windowEndMs());
                    ps.setLong(13, seconds(a.eventTimeMs()));
                });
    }

    JdbcSink<Sourced<CallEvent>> callEvents() {
        return sink("call_events", new String[] {"event_id", "event_type", "event_time", "call_id", "line", "caller_region",
                "agent_id", "wait_seconds", "talk_seconds", "schema_version"}, (ps, s) -> {
                    CallEvent e = s.event();
                    ps.setString(1, e.eventId());
                    ps.setString(2, e.type().wire());
                    ps.setLong(3, seconds(e.eventTimeMs()));
                    ps.setString(4, e.callId());
                    ps.setString(5, e.line());
                    ps.setString(6, e.callerRegion());
                    ps.setString(7, orEmpty(e.agentId()));
                    setNullableInt(ps, 8, e.waitSeconds());
                    setNullableInt(ps, 9, e.talkSeconds());
                    ps.setInt(10, e.schemaVersion());
                });
    }

    JdbcSink<Sourced<TicketEvent>> ticketEvents() {
        return sink("ticket_events", new String[] {"event_id", "event_type", "event_time", "ticket_id", "call_id", "channel",
                "request_type", "category", "topic", "region", "tags", "desk", "unit_id", "due_time", "new_due_time", "reason",
                "callback_source", "satisfied", "schema_version"}, (ps, s) -> {
                    TicketEvent e = s.event();
                    ps.setString(1, e.eventId());
                    ps.setString(2, e.type().wire());
                    ps.setLong(3, seconds(e.eventTimeMs()));
                    ps.setString(4, e.ticketId());
                    ps.setString(5, orEmpty(e.callId()));
                    ps.setString(6, wire(e.channel()));
                    ps.setString(7, wire(e.requestType()));
                    ps.setString(8, orEmpty(e.category()));
                    ps.setString(9, orEmpty(e.topic()));
                    ps.setString(10, orEmpty(e.region()));
                    ps.setObject(11, e.tags());
                    ps.setString(12, wire(e.desk()));
                    ps.setString(13, orEmpty(e.unitId()));
                    setNullableTime(ps, 14, e.dueTimeMs());
                    setNullableTime(ps, 15, e.newDueTimeMs());
                    ps.setString(16, orEmpty(e.reason()));
                    ps.setString(17, wire(e.callbackSource()));
                    if (e.satisfied() == null) {
                        ps.setNull(18, Types.TINYINT);
                    } else {
                        ps.setInt(18, e.satisfied() ? 1 : 0);
                    }
                    ps.setInt(19, e.schemaVersion());
                });
    }

    JdbcSink<CallMinute> callMinutes() {
        return sink("call_minute_metrics", new String[] {"minute", "line", "caller_region", "offered", "answered", "abandoned",
                "answered_wait_sum", "answered_wait_max", "abandoned_wait_sum", "abandoned_wait_max", "talk_seconds_sum",
                "version"}, (ps, m) -> {
                    ps.setLong(1, seconds(m.minuteStartMs()));
                    ps.setString(2, m.line());
                    ps.setString(3, m.callerRegion());
                    ps.setLong(4, m.offered());
                    ps.setLong(5, m.answered());
                    ps.setLong(6, m.abandoned());
                    ps.setLong(7, m.answeredWaitSum());
                    ps.setInt(8, m.answeredWaitMax());
                    ps.setLong(9, m.abandonedWaitSum());
                    ps.setInt(10, m.abandonedWaitMax());
                    ps.setLong(11, m.talkSecondsSum());
                    ps.setLong(12, m.version());
                });
    }

    /** One column per {@link FactKind}, in its order, so the table and the code cannot drift apart. */
    static List<String> ticketMinuteColumns() {
        List<String> columns = new ArrayList<>(List.of("minute", "dimension", "value"));
        for (FactKind k : FactKind.values()) {
            columns.add(k.column());
        }
        columns.add("version");
        return columns;
    }

    JdbcSink<TicketMinute> ticketMinutes() {
        return sink("ticket_minute_metrics", ticketMinuteColumns().toArray(String[]::new), (ps, m) -> {
            ps.setLong(1, seconds(m.minuteStartMs()));
            ps.setString(2, m.dimension());
            ps.setString(3, m.value());
            long[] counts = m.counts();
            for (int i = 0; i < counts.length; i++) {
                ps.setLong(4 + i, counts[i]);
            }
            ps.setLong(4 + counts.length, m.version());
        });
    }

    JdbcSink<TicketState> ticketStates() {
        return sink("ticket_state", new String[] {"ticket_id", "status", "unit_id", "dispatches", "category", "region",
                "created_at", "assigned_at", "due_time", "overdue", "completed_at", "on_time", "extended", "contacted",
                "last_event_at", "version"}, (ps, t) -> {
                    ps.setString(1, t.ticketId());
                    ps.setString(2, t.status());
                    ps.setString(3, orEmpty(t.unitId()));
                    ps.setInt(4, t.dispatches());
                    ps.setString(5, orEmpty(t.category()));
                    ps.setString(6, orEmpty(t.region()));
                    setNullableTime(ps, 7, t.createdAtMs());
                    setNullableTime(ps, 8, t.assignedAtMs());
                    setNullableTime(ps, 9, t.dueMs());
                    ps.setInt(10, t.overdue() ? 1 : 0);
                    setNullableTime(ps, 11, t.completedAtMs());
                    if (t.onTime() == null) {
                        ps.setNull(12, Types.TINYINT);
                    } else {
                        ps.setInt(12, t.onTime() ? 1 : 0);
                    }
                    ps.setInt(13, t.extended() ? 1 : 0);
                    ps.setInt(14, t.contacted() ? 1 : 0);
                    ps.setLong(15, seconds(t.lastEventMs()));
                    ps.setLong(16, t.version());
                });
    }

    JdbcSink<DeadLetter> deadLetters() {
        return sink("dead_letters", new String[] {"topic", "kafka_partition", "kafka_offset", "payload", "reason", "field",
                "message", "event_time", "seen_at"}, (ps, d) -> {
                    ps.setString(1, d.topic());
                    ps.setInt(2, d.partition());
                    ps.setLong(3, d.offset());
                    ps.setString(4, d.payload());
                    ps.setString(5, d.reason());
                    ps.setString(6, orEmpty(d.field()));
                    ps.setString(7, orEmpty(d.message()));
                    setNullableTime(ps, 8, d.eventTimeMs());
                    ps.setLong(9, seconds(d.seenAtMs()));
                });
    }

    private <T> JdbcSink<T> sink(String table, String[] columns, JdbcStatementBuilder<T> binder) {
        String sql = "INSERT INTO " + db + "." + table + " (" + String.join(", ", columns) + ") VALUES ("
                + "?, ".repeat(columns.length - 1) + "?)";
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(execution)
                .buildAtLeastOnce(connection);
    }

    private static long seconds(long epochMs) {
        return Math.floorDiv(epochMs, 1000L);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String wire(Wire w) {
        return w == null ? "" : w.wire();
    }

    private static void setNullableInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static void setNullableTime(PreparedStatement ps, int i, Long epochMs) throws SQLException {
        if (epochMs == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, seconds(epochMs));
        }
    }
}
