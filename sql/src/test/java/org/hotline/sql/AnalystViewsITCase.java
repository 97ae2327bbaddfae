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

    static void minute(String at, String dimension, String value, String columns, String values, int version) {
        ch.execute("INSERT INTO v.ticket_minute_metrics (minute, dimension, value, " + columns + ", version) VALUES (toDateTime('"
                + at + "', 'Asia/Shanghai'), '" + dimension + "', '" + value + "', " + values + ", " + version + ")");
    }

    static List<String> rows(String sql) {
        return ch.rows(sql).stream().map(JsonNode::toString).toList();
    }

    /** Every query that sql/README.md and the README offer analysts runs, as written, on this server. */
    @Test
    void theDocumentedQueriesRun() throws Exception {
        new Migrator(ch, "docs").migrate(s -> {});
        int ran = 0;
        for (Path doc : List.of(Path.of("README.md"), Path.of("../README.md"))) {
            String text = Files.readString(doc);
            Matcher block = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL).matcher(text);
            while (block.find()) {
                for (String statement : block.group(1).split(";\\s*\n")) {
                    String sql = statement.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n")).strip();
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
    void hotspotsCompareEachWindowWithTheOneBeforeIt() {
        minute("2023-09-30 10:00:00", "all", "", "created", "9", 1); // "now" is the last minute with data
        minute("2023-09-30 10:00:00", "category", "路灯", "created", "4", 1);
        minute("2023-09-30 09:20:00", "category", "路灯", "created", "1", 1);
        minute("2023-09-30 08:30:00", "category", "路灯", "created", "2", 1); // the hour before
        minute("2023-09-30 00:10:00", "category", "路灯", "created", "3", 1); // earlier today
        minute("2023-09-29 09:00:00", "category", "路灯", "created", "5", 1); // yesterday, before 10:00
        minute("2023-09-29 11:00:00", "category", "路灯", "created", "6", 1); // yesterday, after 10:00: not compared
        minute("2023-09-01 00:00:00", "category", "路灯", "created", "7", 1); // the first minute of the month
        minute("2023-08-31 23:59:00", "category", "路灯", "created", "8", 1); // last month in the city, after 30 Aug 10:00
        minute("2023-08-15 12:00:00", "category", "路灯", "created", "9", 1); // last month, compared
        minute("2023-09-30 10:00:00", "topic", "认房不认贷", "created", "70", 1);
        minute("2023-09-30 10:00:00", "topic", "认房不认贷", "created", "71", 2); // a later version of the same minute
        assertThat(rows("SELECT period, value, current, previous FROM v.hotspots WHERE dimension = 'category' ORDER BY period"))
                .containsExactly(
                        "{\"period\":\"hour\",\"value\":\"路灯\",\"current\":\"5\",\"previous\":\"2\"}",
                        "{\"period\":\"month\",\"value\":\"路灯\",\"current\":\"28\",\"previous\":\"9\"}",
                        "{\"period\":\"today\",\"value\":\"路灯\",\"current\":\"10\",\"previous\":\"5\"}");
        assertThat(rows("SELECT current FROM v.hotspots WHERE dimension = 'topic' AND period = 'hour'"))
                .containsExactly("{\"current\":\"71\"}");
    }

    @Test
    void theBacklogSeriesAccumulatesEachUnitsChangesInOrder() {
        minute("2023-09-02 09:00:00", "unit", "A", "opened, closed, overdue_opened", "0, 1, 1", 1);
        minute("2023-09-01 10:00:00", "unit", "A", "opened", "2", 1);
        minute("2023-09-01 09:00:00", "unit", "A", "opened", "1", 1);
        minute("2023-09-01 09:30:00", "unit", "B", "opened", "1", 1);
        assertThat(rows("SELECT unit_id, toString(minute) AS at, open_backlog, overdue FROM v.unit_backlog_series "
                + "ORDER BY unit_id, minute")).containsExactly(
                        "{\"unit_id\":\"A\",\"at\":\"2023-09-01 09:00:00\",\"open_backlog\":\"1\",\"overdue\":\"0\"}",
                        "{\"unit_id\":\"A\",\"at\":\"2023-09-01 10:00:00\",\"open_backlog\":\"3\",\"overdue\":\"0\"}",
                        "{\"unit_id\":\"A\",\"at\":\"2023-09-02 09:00:00\",\"open_backlog\":\"2\",\"overdue\":\"1\"}",
                        "{\"unit_id\":\"B\",\"at\":\"2023-09-01 09:30:00\",\"open_backlog\":\"1\",\"overdue\":\"0\"}");
    }

    @Test
    void monthlyRatesAreSumsOverSumsInTheCitysMonths() {
        minute("2023-09-01 00:00:00", "unit", "C", "completed, completed_on_time, sys_callbacks, sys_satisfied", "2, 2, 3, 2", 1);
        minute("2023-09-30 23:59:00", "unit", "C", "completed, completed_on_time, sys_callbacks, sys_satisfied", "1, 0, 0, 0", 1);
        minute("2023-10-01 00:00:00", "unit", "C", "completed", "5", 1); // October in the city, still September in UTC
        assertThat(rows("SELECT toString(month) AS m, tickets, on_time, on_time_pct, sys_satisfaction_pct, spot_satisfaction_pct "
                + "FROM v.unit_monthly WHERE unit_id = 'C' ORDER BY month")).containsExactly(
                        "{\"m\":\"2023-09-01\",\"tickets\":\"3\",\"on_time\":\"2\",\"on_time_pct\":66.67,"
                                + "\"sys_satisfaction_pct\":66.67,\"spot_satisfaction_pct\":0}",
                        "{\"m\":\"2023-10-01\",\"tickets\":\"5\",\"on_time\":\"0\",\"on_time_pct\":0,"
                                + "\"sys_satisfaction_pct\":0,\"spot_satisfaction_pct\":0}");
    }
}
