package org.hotline.wallboard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.Migrator;
import org.hotline.sql.TestClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wallboard's figures and the Grafana dashboard's panels over a small, hand-written state of
 * ClickHouse (on 18.16): each figure equals what the rows add up to, counted by hand, and every panel of
 * the dashboard is built on the wallboard's own query and shows the same figures.
 */
@ExtendWith(TestClickHouse.class)
class WallboardQueriesITCase {

    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "hotline-wallboard.json");
    static final ObjectMapper JSON = new ObjectMapper();
    static String db;
    static ClickHouseSql ch;
    static ObjectNode board;

    @BeforeAll
    static void state() {
        db = "wallboard_queries";
        new Migrator(TestClickHouse.sql(), db).migrate(s -> {});
        ch = new ClickHouseSql(TestClickHouse.httpUrl(), "default", "");
        // Calls, as the job's rolling figures: today and the last quarter hour city-wide (each rewritten: the highest
        // version counts), and a line's (not read).
        insert(
                "call_rolling (dimension, value, period, as_of, offered, answered, abandoned, answered_wait_max, abandoned_wait_max, "
                        + "version)",
                "('all', '', 'today', '2024-05-10 14:29:00', 26, 23, 3, 100, 400, 1)",
                "('all', '', 'today', '2024-05-10 14:30:00', 30, 27, 3, 100, 400, 2)",
                "('all', '', '15m', '2024-05-10 14:30:00', 10, 9, 1, 40, 70, 2)",
                "('all', '', 'month', '2024-05-10 14:30:00', 40, 36, 4, 100, 900, 2)",
                "('line', '12345', 'today', '2024-05-10 14:30:00', 99, 99, 0, 1, 1, 2)");
        // Calls per quarter hour: today's and yesterday's, lines and regions summed; not the day before, nor after now.
        insert(
                "call_quarter_metrics (quarter, line, caller_region, offered, answered, abandoned, version)",
                "('2024-05-10 14:15:00', '12345', 'A', 1, 1, 0, 1)",
                "('2024-05-10 14:15:00', '12345', 'A', 5, 4, 1, 2)",
                "('2024-05-10 14:15:00', '12345', 'B', 3, 3, 0, 1)",
                "('2024-05-10 14:45:00', '12345', 'A', 9, 9, 0, 1)",
                "('2024-05-09 14:15:00', '12345', 'A', 8, 6, 2, 1)",
                "('2024-05-09 00:00:00', '12345', 'A', 2, 0, 0, 1)",
                "('2024-05-08 14:15:00', '12345', 'A', 50, 50, 0, 1)");
        // Tickets city-wide: today and the month so far.
        insert(
                "ticket_rolling (dimension, value, period, as_of, created, resolved_online, dispatched_tickets, completed, "
                        + "completed_on_time, sys_callbacks, sys_satisfied, spot_callbacks, spot_satisfied, version)",
                "('all', '', 'today', '2024-05-10 14:29:00', 6, 4, 2, 4, 3, 2, 1, 1, 1, 1)",
                "('all', '', 'month', '2024-05-10 14:29:00', 15, 9, 6, 6, 5, 3, 1, 1, 1, 1)",
                "('all', '', 'total', '2024-05-10 14:29:00', 65, 39, 26, 106, 15, 12, 1, 1, 1, 1)");
        // Hotspots as the job ranks them: today's two categories and a topic, and an older ranking (a lower version).
        insert(
                "hotspot_ranks (dimension, period, rank, value, current, previous, as_of, version)",
                "('category', 'today', 1, '供水', 1, 0, '2024-05-10 09:00:00', 1)",
                "('category', 'today', 1, '路灯', 4, 1, '2024-05-10 14:29:00', 2)",
                "('category', 'today', 2, '供水', 2, 5, '2024-05-10 14:29:00', 2)",
                "('category', 'today', 3, '', 0, 0, '2024-05-10 14:29:00', 2)",
                "('category', 'hour', 1, '停车管理', 9, 0, '2024-05-10 14:29:00', 2)",
                "('topic', 'today', 1, '认房不认贷', 3, 0, '2024-05-10 14:29:00', 2)");
        // Backlog, all time: U1 4 open (2 overdue, the oldest open two days), U2 3 open, U3 none.
        insert(
                "ticket_rolling (dimension, value, period, as_of, opened, closed, overdue_opened, overdue_closed, version)",
                "('unit', 'U1', 'total', '2024-05-10 14:29:00', 5, 1, 2, 0, 1)",
                "('unit', 'U1', 'today', '2024-05-10 14:29:00', 0, 0, 0, 0, 1)",
                "('unit', 'U2', 'total', '2024-05-10 14:29:00', 3, 0, 0, 0, 1)",
                "('unit', 'U3', 'total', '2024-05-10 14:29:00', 2, 2, 1, 1, 1)");
        // and when their open tickets fall due: U1 two overdue, one within 24 hours of now (14:29), one after; U2
        // one due now and one 24 hours on (both within), one a minute later
        insert(
                "unit_open_since (unit_id, oldest_open_since, open_due, version)",
                "('U1', '2024-05-10 10:00:00', ['2024-05-10 15:00:00'], 1)",
                "('U1', '2024-05-08 14:29:00', ['2024-05-09 10:00:00', '2024-05-10 12:00:00', "
                        + "'2024-05-10 18:00:00', '2024-05-12 09:00:00'], 2)",
                "('U2', '2024-05-10 12:29:00', ['2024-05-10 14:29:00', '2024-05-11 14:29:00', '2024-05-11 14:30:00'], 1)",
                "('U3', NULL, [], 1)");
        insert(
                "units (unit_id, name, unit_group, updated_at)",
                "('U1', '市城管局', 'department', now())",
                "('U2', '<b>岳塘区</b>', 'district', now())");
        // Alerts: one in force per rule below, and one that fired and resolved.
        insert(
                "alerts_latest (rule, alert_key, unit, topic, category, ticket_id, severity, state, value, threshold, event_time)",
                "('long_wait', '12345', '', '', '', '', 'critical', 'firing', 1320, 1200, '2024-05-10 14:21:00')",
                "('backlog', 'U2', 'U2', '', '', '', 'warning', 'firing', 5, 5, '2024-05-10 11:00:00')",
                "('backlog', 'U2', 'U2', '', '', '', 'warning', 'resolved', 2, 5, '2024-05-10 12:00:00')",
                "('concentrated_returns', 'U1|路灯', 'U1', '', '路灯', '', 'warning', 'firing', 10, 10, '2024-05-10 13:00:00')");
        try (ClickHouseSql reader = new ClickHouseSql(TestClickHouse.httpUrl(), "hotline_reader", "")) {
            board = new Board(reader, db, Duration.ofMinutes(5), Clock.systemUTC()).read();
        }
    }

    @AfterAll
    static void close() {
        ch.close();
    }

    @Test
    void callFiguresAreTheRowsOfTodayAndTheLastQuarterHour() {
        assertThat(board.get("as_of").asText()).isEqualTo("2024-05-10 14:30:00");
        assertThat(board.at("/calls/today").toString())
                .isEqualTo(
                        "{\"offered\":30,\"answered\":27,\"abandoned\":3,\"connection_rate_pct\":90.00,\"longest_wait_s\":400}");
        assertThat(board.at("/calls/last_15_min").toString())
                .isEqualTo(
                        "{\"offered\":10,\"answered\":9,\"abandoned\":1,\"connection_rate_pct\":90.00,\"longest_wait_s\":70}");
    }

    @Test
    void callsPerQuarterHourTodayBesideYesterday() {
        JsonNode quarters = board.at("/calls/quarters");
        assertThat(quarters).hasSize(96);
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        quarters.forEach(q -> {
            if (!q.get("today").isNull() || !q.get("yesterday").isNull()) {
                shown.put(q.get("time").asText(), q.toString());
            }
        });
        assertThat(shown)
                .containsExactly(
                        Map.entry(
                                "00:00",
                                "{\"time\":\"00:00\",\"today\":null,\"yesterday\":{\"offered\":2,\"connection_rate_pct\":null}}"),
                        Map.entry(
                                "14:15",
                                "{\"time\":\"14:15\",\"today\":{\"offered\":8,\"connection_rate_pct\":87.50},"
                                        + "\"yesterday\":{\"offered\":8,\"connection_rate_pct\":75.00}}"));
    }

    @Test
    void ticketFiguresAreTodayAndTheMonthSoFar() {
        assertThat(board.at("/tickets/today").toString())
                .isEqualTo("{\"created\":6,\"resolved_online\":4,\"dispatched\":2}");
        assertThat(board.at("/tickets/month").toString())
                .isEqualTo("{\"completed\":6,\"on_time\":5,\"on_time_pct\":83.33,"
                        + "\"callbacks\":4,\"satisfied\":2,\"satisfaction_pct\":50.00}");
    }

    @Test
    void unitsWithOpenTicketsWorstFirstWithTheirNames() {
        assertThat(board.get("units_with_backlog").asInt()).isEqualTo(2);
        assertThat(board.get("units").toString())
                .isEqualTo(
                        "["
                                + "{\"unit_id\":\"U1\",\"name\":\"市城管局\",\"open_backlog\":4,\"overdue\":2,\"due_within_24h\":1,\"oldest_open_age_s\":172800},"
                                + "{\"unit_id\":\"U2\",\"name\":\"<b>岳塘区</b>\",\"open_backlog\":3,\"overdue\":0,\"due_within_24h\":2,\"oldest_open_age_s\":7200}]");
    }

    @Test
    void hotspotsTodayWithTheirRise() {
        assertThat(board.get("hotspots").toString())
                .isEqualTo("{\"category\":["
                        + "{\"value\":\"路灯\",\"current\":4,\"previous\":1,\"rise\":3},"
                        + "{\"value\":\"供水\",\"current\":2,\"previous\":5,\"rise\":-3}],"
                        + "\"topic\":[{\"value\":\"认房不认贷\",\"current\":3,\"previous\":0,\"rise\":3}]}");
    }

    @Test
    void alertsInForceNewestFirst() {
        List<String> alerts = new ArrayList<>();
        board.get("alerts")
                .forEach(a -> alerts.add(a.get("rule").asText() + "/"
                        + a.get("severity").asText() + "/" + a.get("subject").asText() + "/"
                        + a.get("since").asText()));
        assertThat(alerts)
                .containsExactly(
                        "long_wait/critical/12345/2024-05-10 14:21:00",
                        "concentrated_returns/warning/U1 · 路灯/2024-05-10 13:00:00");
    }

    /** An empty database: every count 0, and no rate at all (0 of 0 is shown as "—", not 0.00 %). */
    @Test
    void ratesOfNothingAreNoRates() {
        new Migrator(TestClickHouse.sql(), "wallboard_empty").migrate(s -> {});
        ObjectNode empty;
        try (ClickHouseSql reader = new ClickHouseSql(TestClickHouse.httpUrl(), "default", "")) {
            empty = new Board(reader, "wallboard_empty", Duration.ofMinutes(5), Clock.systemUTC()).read();
        }
        assertThat(empty.at("/calls/today/offered").asLong()).isZero();
        assertThat(empty.at("/calls/today/connection_rate_pct").isNull()).isTrue();
        assertThat(empty.at("/calls/last_15_min/connection_rate_pct").isNull()).isTrue();
        assertThat(empty.at("/tickets/month/on_time_pct").isNull()).isTrue();
        assertThat(empty.at("/tickets/month/satisfaction_pct").isNull()).isTrue();
    }

    @Test
    void boardIsFreshWhileFiguresAreNew() {
        assertThat(board.at("/status/stale").asBoolean()).isFalse();
        assertThat(board.at("/status/error").isNull()).isTrue();
    }

    @Test
    void grafanaPanelsAreBuiltOnTheWallboardQueriesAndShowTheSameFigures() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD, UTF_8));
        Map<String, List<String>> panels = new java.util.LinkedHashMap<>();
        for (JsonNode p : dashboard.get("panels")) {
            JsonNode target = p.get("targets").get(0);
            assertThat(target.at("/datasource/type").asText()).isEqualTo("grafana-clickhouse-datasource");
            String sql = target.get("rawSql").asText();
            String source = List.of("calls", "tickets", "units", "hotspots", "alerts").stream()
                    .filter(q -> sql.contains(Board.query(q, "${database}")))
                    .findFirst()
                    .orElse(null);
            assertThat(source)
                    .as(
                            "panel '%s' is built on a wallboard query, word for word",
                            p.get("title").asText())
                    .isNotNull();
            List<String> rows = new ArrayList<>();
            for (JsonNode r : ch.rows(sql.replace("${database}", db))) {
                List<String> values = new ArrayList<>();
                r.forEach(v -> values.add(v.asText()));
                rows.add(String.join("|", values));
            }
            panels.put(p.get("title").asText(), rows);
        }
        assertThat(panels.values())
                .containsExactly(
                        List.of("30|27|90|3|400"),
                        List.of("10|9|90|1|70"),
                        List.of("6|4|2|83.33|50"),
                        List.of("市城管局|4|2|1|48", "<b>岳塘区</b>|3|0|2|2"),
                        List.of("category|路灯|4|3", "category|供水|2|-3", "topic|认房不认贷|3|3"),
                        List.of(
                                "critical|long_wait|12345|1320|1200|2024-05-10 14:21:00",
                                "warning|concentrated_returns|U1 · 路灯|10|10|2024-05-10 13:00:00"));
    }

    private static void insert(String table, String... rows) {
        ch.execute("INSERT INTO " + db + "." + table + " VALUES " + String.join(", ", rows));
    }
}
