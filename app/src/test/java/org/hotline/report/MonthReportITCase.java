package org.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.YearMonth;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Month over month: from the published totals until the stream holds the previous month, then from the stream. */
@ExtendWith(SharedServices.class)
class MonthReportITCase {

    @Test
    void thePreviousMonthComesFromTheStreamWhenItHasIt() {
        HotlineConfig c = SharedServices.config("month_report");
        JobLauncher.migrate(c.clickhouse, s -> {});
        String db = c.clickhouse.database;
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            ch.execute(
                    "INSERT INTO " + db
                            + ".published_months (month, city, calls_answered, connection_rate_pct, tickets_valid, "
                            + "tickets_dispatched, callback_satisfaction_pct, updated_at) VALUES ('2023-08-01', 'X', 999, 91.5, 800, 300, 55.5, now())");
            JsonNode published =
                    new MonthReport(ch, db).build(YearMonth.of(2023, 9), 5).get("previous_month");
            assertThat(published.get("source").asText()).isEqualTo("published");
            assertThat(published.get("calls_answered").asLong()).isEqualTo(999);
            assertThat(published.get("tickets_valid").asLong()).isEqualTo(800);

            ch.execute("INSERT INTO " + db
                    + ".call_quarter_metrics (quarter, line, caller_region, offered, answered, abandoned, version) "
                    + "VALUES ('2023-08-10 09:00:00', '12345', 'A', 8, 6, 2, 1), ('2023-08-31 23:45:00', '12345', 'B', 2, 2, 0, 1), "
                    + "('2023-09-01 00:00:00', '12345', 'A', 50, 50, 0, 1)");
            ch.execute(
                    "INSERT INTO " + db + ".ticket_daily_metrics (day, dimension, value, created, dispatched_tickets, "
                            + "sys_callbacks, sys_satisfied, spot_callbacks, spot_satisfied, version) VALUES "
                            + "('2023-08-10', 'all', '', 7, 3, 3, 2, 1, 1, 1), ('2023-08-10', 'unit', 'U1', 70, 30, 0, 0, 0, 0, 1)");
            JsonNode stream =
                    new MonthReport(ch, db).build(YearMonth.of(2023, 9), 5).get("previous_month");

            assertThat(stream.get("source").asText()).isEqualTo("stream");
            assertThat(stream.get("calls_answered").asLong()).isEqualTo(8);
            assertThat(stream.get("connection_rate_pct").decimalValue()).isEqualByComparingTo("80.00");
            assertThat(stream.get("tickets_valid").asLong()).isEqualTo(7);
            assertThat(stream.get("tickets_dispatched").asLong()).isEqualTo(3);
            assertThat(stream.get("callback_satisfaction_pct").decimalValue()).isEqualByComparingTo("75.00");
        }
    }
}
