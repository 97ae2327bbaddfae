package org.hotline.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The analysts' views on a real ClickHouse (18.16 here), over rows written as the job writes them. */
@ExtendWith(TestClickHouse.class)
class AnalystViewsITCase {

    static ClickHouseSql ch;

    @BeforeAll
    static void start() {
        ch = TestClickHouse.sql();
        new Migrator(ch, "v").migrate(s -> {});
    }

    static void day(String day, String dimension, String value, String columns, String values, int version) {
        ch.execute("INSERT INTO v.ticket_daily_metrics (day, dimension, value, " + columns + ", version) VALUES ('"
                + day + "', '" + dimension + "', '" + value + "', " + values + ", " + version + ")");
    }

    static List<String> rows(String sql) {
        return ch.rows(sql).stream().map(JsonNode::toString).toList();
    }

    /** Every query that sql/README.md, the README and docs/ offer analysts runs, as written, on this server. */
    @Test
    void theDocumentedQueriesRun() throws Exception {
        new Migrator(ch, "docs").migrate(s -> {});
        int ran = 0;
        List<Path> docs = new java.util.ArrayList<>(List.of(Path.of("README.md"), Path.of("../README.md")));
        try (var files = Files.list(Path.of("../docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher block = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(text);
            while (block.find()) {
                for (String statement : block.group(1).split(";\\s*\n")) {
                    String sql = statement
                            .lines()
                            .filter(l -> !l.strip().startsWith("--"))
                            .collect(Collectors.joining("\n"))
                            .strip();
                    if (!sql.isEmpty()) {
                        ch.rows(sql.replace("hotline.", "docs."));
                        ran++;
                    }
                }
            }
        }
        assertThat(ran).isGreaterThanOrEqualTo(12);
    }

    @Test
    void hotspotsAreTheRanksTheJobWroteLast() {
        String columns =
                "INSERT INTO v.hotspot_ranks (dimension, period, rank, value, current, previous, as_of, version) VALUES ";
        ch.execute(
                columns + "('category', 'hour', 1, '路灯', 4, 2, toDateTime('2023-09-30 10:00:00', 'Asia/Shanghai'), 1), "
                        + "('category', 'hour', 2, '', 0, 0, toDateTime('2023-09-30 10:00:00', 'Asia/Shanghai'), 1), "
                        + "('category', 'today', 1, '供水', 9, 3, toDateTime('2023-09-30 10:00:00', 'Asia/Shanghai'), 1)");
        ch.execute(
                columns + "('category', 'hour', 1, '路灯', 5, 2, toDateTime('2023-09-30 10:01:00', 'Asia/Shanghai'), 2)");
        assertThat(
                        rows(
                                "SELECT period, rank, value, current, previous FROM v.hotspots WHERE dimension = 'category' ORDER BY period"))
                .containsExactly(
                        "{\"period\":\"hour\",\"rank\":1,\"value\":\"路灯\",\"current\":\"5\",\"previous\":\"2\"}",
                        "{\"period\":\"today\",\"rank\":1,\"value\":\"供水\",\"current\":\"9\",\"previous\":\"3\"}");
    }

    @Test
    void eachUnitsBacklogIsItsRollingTotalWithItsOldestOpenTicketAndThoseDueWithin24Hours() {
        ch.execute(
                "INSERT INTO v.ticket_rolling (dimension, value, period, as_of, opened, closed, overdue_opened, overdue_closed, "
                        + "version) VALUES ('unit', 'A', 'total', now(), 5, 2, 1, 0, 1), ('unit', 'A', 'today', now(), 9, 0, 0, 0, 1), "
                        + "('unit', 'B', 'total', now(), 3, 3, 0, 0, 1), ('unit', 'A', 'total', now(), 6, 2, 1, 0, 2), "
                        + "('all', '', 'total', toDateTime('2023-09-01 10:00:00', 'Asia/Shanghai'), 9, 5, 1, 0, 1)");
        // "now" is the last minute with tickets (10:00): one overdue, one due exactly 24 hours on, one a second later
        ch.execute("INSERT INTO v.unit_open_since (unit_id, oldest_open_since, open_due, version) VALUES "
                + "('A', toDateTime('2023-09-01 08:00:00', 'Asia/Shanghai'), ['2023-09-01 09:00:00', "
                + "'2023-09-02 10:00:00', '2023-09-02 10:00:01'], 1), ('B', NULL, [], 1)");
        assertThat(rows("SELECT unit_id, open_backlog, overdue, due_within_24h, toString(oldest_open_since) AS since "
                        + "FROM v.unit_backlog WHERE unit_id != '' ORDER BY unit_id"))
                .containsExactly(
                        "{\"unit_id\":\"A\",\"open_backlog\":\"4\",\"overdue\":\"1\",\"due_within_24h\":1,"
                                + "\"since\":\"2023-09-01 08:00:00\"}",
                        "{\"unit_id\":\"B\",\"open_backlog\":\"0\",\"overdue\":\"0\",\"due_within_24h\":0,\"since\":null}");
    }

    @Test
    void theBacklogSeriesAccumulatesEachUnitsChangesInOrder() {
        day("2023-09-03", "unit", "A", "opened, closed, overdue_opened", "0, 1, 1", 1);
        day("2023-09-02", "unit", "A", "opened", "2", 1);
        day("2023-09-01", "unit", "A", "opened", "1", 1);
        day("2023-09-01", "unit", "B", "opened", "1", 1);
        day("2023-09-01", "unit", "B", "opened", "4", 2); // the day written again, later in the day
        assertThat(rows("SELECT unit_id, toString(day) AS at, open_backlog, overdue FROM v.unit_backlog_series "
                        + "ORDER BY unit_id, day"))
                .containsExactly(
                        "{\"unit_id\":\"A\",\"at\":\"2023-09-01\",\"open_backlog\":\"1\",\"overdue\":\"0\"}",
                        "{\"unit_id\":\"A\",\"at\":\"2023-09-02\",\"open_backlog\":\"3\",\"overdue\":\"0\"}",
                        "{\"unit_id\":\"A\",\"at\":\"2023-09-03\",\"open_backlog\":\"2\",\"overdue\":\"1\"}",
                        "{\"unit_id\":\"B\",\"at\":\"2023-09-01\",\"open_backlog\":\"4\",\"overdue\":\"0\"}");
    }

    @Test
    void monthlyRatesAreSumsOverSumsInTheCitysMonths() {
        day("2023-09-01", "unit", "C", "completed, completed_on_time, sys_callbacks, sys_satisfied", "2, 2, 3, 2", 1);
        day("2023-09-30", "unit", "C", "completed, completed_on_time, sys_callbacks, sys_satisfied", "1, 0, 0, 0", 1);
        day("2023-10-01", "unit", "C", "completed", "5", 1);
        assertThat(rows(
                        "SELECT toString(month) AS m, tickets, on_time, on_time_pct, sys_satisfaction_pct, spot_satisfaction_pct "
                                + "FROM v.unit_monthly WHERE unit_id = 'C' ORDER BY month"))
                .containsExactly(
                        "{\"m\":\"2023-09-01\",\"tickets\":\"3\",\"on_time\":\"2\",\"on_time_pct\":66.67,"
                                + "\"sys_satisfaction_pct\":66.67,\"spot_satisfaction_pct\":0}",
                        "{\"m\":\"2023-10-01\",\"tickets\":\"5\",\"on_time\":\"0\",\"on_time_pct\":0,"
                                + "\"sys_satisfaction_pct\":0,\"spot_satisfaction_pct\":0}");
    }
}
