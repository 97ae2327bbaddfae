package org.hotline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.util.List;
import org.hotline.sql.ClickHouseSql;

/** A month's alerts from ClickHouse, in event-time order, each with the keys of the alerts topic (null where one does not apply). */
public final class MonthAlerts {
    private MonthAlerts() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.hotline.events.EventWriter TIMES =
            new org.hotline.events.EventWriter(java.time.ZoneId.of("Asia/Shanghai"));
    static final List<String> TEXTS = List.of("rule", "unit", "topic", "category", "ticket_id", "severity", "state");

    public static ArrayNode read(ClickHouseSql ch, String db, YearMonth month) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode r :
                ch.rows("SELECT rule, unit, topic, category, ticket_id, severity, state, detail, value, threshold, "
                        + "toUnixTimestamp(window_start) AS start_s, toUnixTimestamp(window_end) AS end_s, "
                        + "toUnixTimestamp(event_time) AS time_s "
                        + "FROM " + db + ".alerts FINAL WHERE toStartOfMonth(event_time) = toDate('" + month.atDay(1)
                        + "') "
                        + "ORDER BY event_time, rule, alert_key, state")) {
            ObjectNode a = out.addObject();
            for (String k : TEXTS) {
                text(a, r, k);
            }
            a.put("value", r.get("value").asDouble());
            a.put("threshold", r.get("threshold").asDouble());
            String[][] times = {{"window_start", "start_s"}, {"window_end", "end_s"}, {"event_time", "time_s"}};
            for (String[] k : times) {
                JsonNode v = r.path(k[1]);
                if (v.isNull() || v.isMissingNode() || v.asText().isEmpty()) {
                    a.putNull(k[0]);
                } else {
                    a.put(k[0], TIMES.time(v.asLong() * 1000));
                }
            }
            text(a, r, "detail");
        }
        return out;
    }

    /** The text column {@code k} of row {@code r} into {@code a}: null where it is empty, as on the topic. */
    private static void text(ObjectNode a, JsonNode r, String k) {
        String v = r.path(k).asText("");
        if (v.isEmpty()) {
            a.putNull(k);
        } else {
            a.put(k, v);
        }
    }
}
