package org.hotline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.jobs.SharedServices;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark's Flink SQL peer, on a real broker and ClickHouse: a few calls and tickets written by hand reach its
 * tables as the windows they fall in, through Flink's JDBC connector and the ClickHouse dialect made for it, so the
 * benchmark measures a peer that does the work it is compared for.
 */
@ExtendWith(SharedServices.class)
class SqlPeerITCase {

    @Test
    void countsEachMinuteAndQuarterHourOfCallsAndTickets() throws Exception {
        HotlineConfig c = SharedServices.config("peer");
        try (CheckedProducer producer = new CheckedProducer(
                c.kafka.clientProperties(),
                c.kafka.bootstrapServers,
                List.of(c.kafka.callsTopic, c.kafka.ticketsTopic))) {
            // minute 08:00: two calls, one answered after 10 s and talked 100 s, one abandoned after 30 s
            call(producer, c, "a", "offered", "08:00:05", "");
            call(producer, c, "a", "answered", "08:00:15", ",\"agent_id\":\"g1\",\"wait_seconds\":10");
            call(producer, c, "a", "ended", "08:01:55", ",\"talk_seconds\":100");
            call(producer, c, "b", "offered", "08:00:20", "");
            call(producer, c, "b", "abandoned", "08:00:50", ",\"wait_seconds\":30");
            // the next quarter hour, answered after 4 s
            call(producer, c, "c", "offered", "08:16:00", "");
            call(producer, c, "c", "answered", "08:16:04", ",\"agent_id\":\"g2\",\"wait_seconds\":4");
            ticket(producer, c, "t1", "created", "08:00:30", ",\"channel\":\"phone\",\"category\":\"环境\"");
            ticket(
                    producer,
                    c,
                    "t1",
                    "dispatched",
                    "08:05:00",
                    ",\"unit_id\":\"u1\",\"due_time\":\"2023-09-08T08:05:00+08:00\"");
            ticket(producer, c, "t2", "created", "08:02:10", ",\"channel\":\"phone\",\"category\":\"交通\"");
            ticket(
                    producer,
                    c,
                    "t2",
                    "dispatched",
                    "08:05:40",
                    ",\"unit_id\":\"u1\",\"due_time\":\"2023-09-08T08:05:00+08:00\"");
            producer.finish();
        }

        SqlPeer peer = new SqlPeer(c, c.clickhouse.database + "_peer");
        peer.run(false);

        String db = c.clickhouse.database + "_peer";
        assertThat(rows(
                        c,
                        "SELECT toString(window_start), line, caller_region, offered, answered, abandoned,"
                                + " answered_wait_sum, answered_wait_max, abandoned_wait_sum, abandoned_wait_max,"
                                + " talk_seconds_sum FROM " + db + ".call_minutes"))
                .containsExactlyInAnyOrder(
                        "2023-09-01 08:00:00 12345 雨湖区 2 1 1 10 10 30 30 0",
                        "2023-09-01 08:01:00 12345 雨湖区 0 0 0 0 0 0 0 100",
                        "2023-09-01 08:16:00 12345 雨湖区 1 1 0 4 4 0 0 0");
        assertThat(rows(
                        c,
                        "SELECT toString(window_start), offered, answered, abandoned, talk_seconds_sum FROM " + db
                                + ".call_quarters"))
                .containsExactlyInAnyOrder("2023-09-01 08:00:00 2 1 1 100", "2023-09-01 08:15:00 1 1 0 0");
        assertThat(rows(c, "SELECT toString(window_start), category, created FROM " + db + ".tickets_created"))
                .containsExactlyInAnyOrder("2023-09-01 08:00:00 环境 1", "2023-09-01 08:02:00 交通 1");
        assertThat(rows(c, "SELECT toString(window_start), unit_id, dispatched FROM " + db + ".unit_dispatches"))
                .containsExactlyInAnyOrder("2023-09-01 08:05:00 u1 2");
        assertThat(peer.totals()).containsExactly(3, 2, 1, 14, 100, 2, 2);
    }

    private static void call(CheckedProducer p, HotlineConfig c, String id, String type, String time, String more) {
        p.send(
                c.kafka.callsTopic,
                id,
                "{\"event_id\":\"" + id + "-" + type + "\",\"schema_version\":1,\"event_type\":\"" + type
                        + "\",\"event_time\":\"2023-09-01T" + time + "+08:00\",\"call_id\":\"" + id
                        + "\",\"line\":\"12345\",\"caller_region\":\"雨湖区\"" + more + "}");
    }

    private static void ticket(CheckedProducer p, HotlineConfig c, String id, String type, String time, String more) {
        p.send(
                c.kafka.ticketsTopic,
                id,
                "{\"event_id\":\"" + id + "-" + type + "\",\"schema_version\":1,\"event_type\":\"" + type
                        + "\",\"event_time\":\"2023-09-01T" + time + "+08:00\",\"ticket_id\":\"" + id + "\"" + more
                        + "}");
    }

    /** Each row's values joined by a space. */
    private static List<String> rows(HotlineConfig c, String query) {
        List<String> out = new ArrayList<>();
        try (ClickHouseSql sql = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            for (var row : sql.rows(query)) {
                List<String> values = new ArrayList<>();
                row.elements().forEachRemaining(v -> values.add(v.asText()));
                out.add(String.join(" ", values));
            }
        }
        return out;
    }
}
