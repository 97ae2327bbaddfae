package org.hotline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotline.figures.Rates;
import org.hotline.sql.ClickHouseSql;

/**
 * A month's figures read from ClickHouse, in the shape of a published profile: {@code month.json}'s
 * keys for the city, and {@code units.csv}'s columns under {@code units}. Every rate is computed
 * here from the stored counts, two decimals rounded half-up, as the bulletin does.
 */
public final class MonthReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClickHouseSql ch;
    private final String db;

    public MonthReport(ClickHouseSql ch, String database) {
        this.ch = ch;
        this.db = database;
    }

    public ObjectNode build(YearMonth month, int topCategories) {
        String m = "toDate('" + month.atDay(1) + "')";
        ObjectNode out = JSON.createObjectNode();
        // the city of the published month nearest to this one (a database may hold more than one city's replays)
        JsonNode city = first(ch.rows("SELECT city FROM " + db + ".published_months FINAL WHERE city != '' ORDER BY "
                + "abs(toInt32(month) - toInt32(" + m + ")), month DESC LIMIT 1"));
        if (city != null) {
            out.put("city", city.get("city").asText());
        }
        out.put("month", month.toString());
        out.put("timezone", "Asia/Shanghai");

        // Calls: answered, connection rate, by caller region.
        ObjectNode calls = out.putObject("calls");
        long offered = 0;
        long answered = 0;
        Map<String, Long> byRegion = new LinkedHashMap<>();
        for (JsonNode r : ch.rows("SELECT caller_region, sum(offered) AS offered, sum(answered) AS answered FROM " + db
                + ".call_quarter_metrics FINAL WHERE toStartOfMonth(quarter) = " + m + " GROUP BY caller_region")) {
            offered += r.get("offered").asLong();
            answered += r.get("answered").asLong();
            byRegion.put(r.get("caller_region").asText(), r.get("answered").asLong());
        }
        calls.put("answered", answered);
        calls.put("connection_rate_pct", Rates.pct(answered, offered));
        putCounts(calls.putObject("by_caller_region"), byRegion, Integer.MAX_VALUE);
        ObjectNode byDay = calls.putObject("by_day");
        for (JsonNode r : ch.rows(
                "SELECT toString(toDate(quarter)) AS day, sum(offered) AS offered, sum(answered) AS answered FROM " + db
                        + ".call_quarter_metrics FINAL WHERE toStartOfMonth(quarter) = " + m
                        + " GROUP BY day ORDER BY day")) {
            ObjectNode d = byDay.putObject(r.get("day").asText());
            d.put("offered", r.get("offered").asLong());
            d.put("answered", r.get("answered").asLong());
            d.put(
                    "connection_rate_pct",
                    Rates.pct(r.get("answered").asLong(), r.get("offered").asLong()));
        }

        // Tickets, city-wide and by slice.
        Map<String, Map<String, Long>> created = new LinkedHashMap<>();
        JsonNode all = null;
        for (JsonNode r : ch.rows("SELECT * FROM " + db + ".city_monthly WHERE month = " + m)) {
            String dimension = r.get("dimension").asText();
            if (dimension.equals("all")) {
                all = r;
            } else {
                created.computeIfAbsent(dimension, k -> new LinkedHashMap<>())
                        .put(r.get("value").asText(), r.get("created").asLong());
            }
        }
        ObjectNode tickets = out.putObject("tickets");
        long valid = all == null ? 0 : all.get("created").asLong();
        tickets.put("valid", valid);
        tickets.put(
                "resolved_online", all == null ? 0 : all.get("resolved_online").asLong());
        tickets.put("dispatched", all == null ? 0 : all.get("dispatched").asLong());
        tickets.put(
                "dispatched_completed_on_time",
                all == null ? 0 : all.get("completed_on_time").asLong());
        tickets.put("callback_satisfaction_pct", satisfactionPct(all));
        putCounts(tickets.putObject("by_channel"), created.getOrDefault("channel", Map.of()), Integer.MAX_VALUE);
        putCounts(
                tickets.putObject("by_request_type"),
                created.getOrDefault("request_type", Map.of()),
                Integer.MAX_VALUE);
        putCounts(tickets.putObject("hotspot_categories"), created.getOrDefault("category", Map.of()), topCategories);
        putCounts(tickets.putObject("hotspot_topics"), created.getOrDefault("topic", Map.of()), topCategories);
        putCounts(tickets.putObject("tags"), created.getOrDefault("tag", Map.of()), Integer.MAX_VALUE);
        putCounts(tickets.putObject("desks"), created.getOrDefault("desk", Map.of()), Integer.MAX_VALUE);

        putPreviousMonth(out, month.minusMonths(1));
        out.set("units", units(m));
        return out;
    }

    /**
     * The previous month's headline figures, for month over month: from the stream when it holds that month,
     * else from the published totals loaded for it; {@code source} says which.
     */
    private void putPreviousMonth(ObjectNode out, YearMonth previous) {
        String m = "toDate('" + previous.atDay(1) + "')";
        JsonNode calls = first(ch.rows("SELECT sum(offered) AS offered, sum(answered) AS answered FROM " + db
                + ".call_quarter_metrics FINAL WHERE toStartOfMonth(quarter) = " + m));
        JsonNode all =
                first(ch.rows("SELECT * FROM " + db + ".city_monthly WHERE month = " + m + " AND dimension = 'all'"));
        long offered = calls == null ? 0 : calls.get("offered").asLong();
        long answered = calls == null ? 0 : calls.get("answered").asLong();
        if (offered > 0 || all != null && all.get("created").asLong() > 0) {
            ObjectNode p = out.putObject("previous_month");
            p.put("source", "stream");
            p.put("calls_answered", answered);
            p.put("connection_rate_pct", Rates.pct(answered, offered));
            p.put("tickets_valid", all == null ? 0 : all.get("created").asLong());
            p.put("tickets_dispatched", all == null ? 0 : all.get("dispatched").asLong());
            p.put("callback_satisfaction_pct", satisfactionPct(all));
            return;
        }
        JsonNode published = first(ch.rows("SELECT * FROM " + db + ".published_months FINAL WHERE month = " + m));
        if (published != null) {
            ObjectNode p = out.putObject("previous_month");
            p.put("source", "published");
            p.put("calls_answered", published.get("calls_answered").asLong());
            p.put(
                    "connection_rate_pct",
                    new BigDecimal(published.get("connection_rate_pct").asText()));
            p.put("tickets_valid", published.get("tickets_valid").asLong());
            p.put("tickets_dispatched", published.get("tickets_dispatched").asLong());
            p.put(
                    "callback_satisfaction_pct",
                    new BigDecimal(published.get("callback_satisfaction_pct").asText()));
        }
    }

    /** One object per unit with the columns of units.csv: the stream's figures and the office's inputs. */
    private ArrayNode units(String m) {
        Map<String, ObjectNode> units = new LinkedHashMap<>();
        for (JsonNode r : ch.rows("SELECT unit_id, unit_group FROM " + db + ".units FINAL ORDER BY unit_id")) {
            units.put(
                    r.get("unit_id").asText(),
                    unit(r.get("unit_id").asText(), r.get("unit_group").asText()));
        }
        for (JsonNode r : ch.rows("SELECT * FROM " + db + ".unit_monthly WHERE month = " + m)) {
            ObjectNode u = units.computeIfAbsent(r.get("unit_id").asText(), id -> unit(id, ""));
            u.put("tickets", r.get("tickets").asLong());
            u.put("on_time", r.get("on_time").asLong());
            u.put("extensions", r.get("extended").asLong());
            u.put("contacted", r.get("contacted").asLong());
            u.put(
                    "sys_satisfaction_pct",
                    Rates.pct(
                            r.get("sys_satisfied").asLong(),
                            r.get("sys_callbacks").asLong()));
            u.put(
                    "spot_satisfaction_pct",
                    Rates.pct(
                            r.get("spot_satisfied").asLong(),
                            r.get("spot_callbacks").asLong()));
            u.put("rejects", r.get("rejects").asLong());
        }
        for (JsonNode r : ch.rows("SELECT * FROM " + db + ".office_inputs FINAL WHERE month = " + m)) {
            ObjectNode u = units.computeIfAbsent(r.get("unit_id").asText(), id -> unit(id, ""));
            u.put("knowledge_base", new BigDecimal(r.get("knowledge_base").asText()));
            u.put("cooperation", new BigDecimal(r.get("cooperation").asText()));
            u.put("bonus", new BigDecimal(r.get("bonus").asText()));
        }
        ArrayNode out = JSON.createArrayNode();
        units.values().forEach(out::add);
        return out;
    }

    private static ObjectNode unit(String id, String group) {
        ObjectNode u = JSON.createObjectNode();
        u.put("unit", id);
        u.put("group", group);
        for (String c : List.of("tickets", "on_time", "extensions", "contacted")) {
            u.put(c, 0);
        }
        u.put("sys_satisfaction_pct", BigDecimal.ZERO.setScale(2));
        u.put("spot_satisfaction_pct", BigDecimal.ZERO.setScale(2));
        u.put("rejects", 0);
        u.putNull("knowledge_base");
        u.putNull("cooperation");
        u.putNull("bonus");
        return u;
    }

    /** Counts, largest first (then by name), at most {@code limit} of them. */
    private static void putCounts(ObjectNode node, Map<String, Long> counts, int limit) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> e.getValue() == 0);
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        entries.stream().limit(limit).forEach(e -> node.put(e.getKey(), e.getValue()));
    }

    private static JsonNode first(List<JsonNode> rows) {
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Callback satisfaction of a city_monthly row (0 with no row). */
    private static BigDecimal satisfactionPct(JsonNode all) {
        return all == null
                ? BigDecimal.ZERO
                : Rates.pct(all.get("satisfied").asLong(), all.get("callbacks").asLong());
    }
}
