package org.hotline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hotline.assessment.Assessment;
import org.hotline.events.UnitGroup;

/**
 * The monthly bulletin (通报) as a self-contained HTML page (charts drawn inline as SVG, no network)
 * or as Markdown, from a {@link MonthReport} and the month's assessment. Every value that comes
 * from the data is escaped.
 */
public final class Bulletin {

    private final JsonNode report;
    private final List<Assessment.Score> ranking;
    private final JsonNode alerts;

    /** {@code alerts}: the month's alerts as {@link MonthAlerts} reads them (an empty array when there are none). */
    public Bulletin(JsonNode report, List<Assessment.Score> ranking, JsonNode alerts) {
        this.report = report;
        this.ranking = ranking;
        this.alerts = alerts;
    }

    /** The alerts that started or got worse in the month (resolutions are left out), as table rows. */
    List<List<String>> alertRows() {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode a : alerts) {
            if (a.get("state").asText().equals("resolved")) {
                continue;
            }
            String about = String.join(
                    " ",
                    java.util.stream.Stream.of("unit", "category", "topic", "ticket_id")
                            .map(k -> a.path(k).asText(""))
                            .filter(v -> !v.isEmpty())
                            .toList());
            rows.add(List.of(
                    a.get("event_time").asText(),
                    a.get("rule").asText(),
                    about,
                    a.get("severity").asText(),
                    a.get("state").asText(),
                    BigDecimal.valueOf(a.get("value").asDouble())
                            .setScale(2, RoundingMode.HALF_UP)
                            .stripTrailingZeros()
                            .toPlainString()));
        }
        return rows;
    }

    static final List<String> ALERT_COLUMNS = List.of("Time", "Rule", "About", "Severity", "State", "Value");

    /** The codes of channels, request types, tags and desks as the published bulletin writes them, English beside. */
    static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("phone", "电话 Phone"),
            Map.entry("provincial_12345_transfer", "省12345转办 Provincial 12345 transfers"),
            Map.entry("mayor_mailbox", "市长信箱 Mayor's mailbox"),
            Map.entry("governor_mailbox", "省长信箱 Governor's mailbox"),
            Map.entry("city_app_12345", "12345 App 市级 City 12345 app"),
            Map.entry("national_gov_website", "国务院网站 National government website"),
            Map.entry("national_gov_service_platform", "国家政务服务平台 National government service platform"),
            Map.entry("help", "求助 Help"),
            Map.entry("consultation", "咨询 Consultation"),
            Map.entry("complaint", "投诉 Complaint"),
            Map.entry("suggestion", "建议 Suggestion"),
            Map.entry("other", "其他 Other"),
            Map.entry("invalid", "无效 Invalid"),
            Map.entry("tag: civilised_city", "文明城市创建 Civilised city"),
            Map.entry("desk: deputy_desk", "人大代表专线 Deputies' desk"),
            Map.entry("desk: business_desk", "营商环境专线 Business desk"));

    /** A code as the bulletin writes it (a code it does not know, and every name from the data, as it is). */
    static String label(String code) {
        return LABELS.getOrDefault(code, code);
    }

    /**
     * The month in a few sentences, in the published bulletin's manner (Chinese, then English): calls and the connection
     * rate, tickets, on-time completion and satisfaction with their changes, the top categories, and the units that did
     * best and worst in each group.
     */
    List<String> summary() {
        Map<String, Figure> by = new LinkedHashMap<>();
        overview().forEach(x -> by.put(x.id(), x));
        List<String> top = new ArrayList<>(
                        counts(report.at("/tickets/hotspot_categories")).keySet())
                .subList(0, Math.min(3, report.at("/tickets/hotspot_categories").size()));
        // the same figures in both languages: value, then its change (if any) in the language's words
        Function<String, String> v = id -> by.get(id).value();
        Function<String, String> zhChange = id -> change(by.get(id).change().replace(" points", " 个百分点"), "环比");
        Function<String, String> enChange = id -> change(by.get(id).change(), "month over month");
        String zh = String.format(
                "本月共接听来电 %s 个%s，接通率 %s%s；受理有效工单 %s 件%s，其中网上派单 %s 件，按时办结 %s；" + "回访满意率 %s%s。",
                v.apply("calls-answered"),
                zhChange.apply("calls-answered"),
                v.apply("connection-rate"),
                zhChange.apply("connection-rate"),
                v.apply("tickets-valid"),
                zhChange.apply("tickets-valid"),
                v.apply("dispatched"),
                v.apply("on-time"),
                v.apply("satisfaction"),
                zhChange.apply("satisfaction"));
        String en = String.format(
                "This month %s calls were answered%s at a connection rate of %s%s; %s valid tickets were "
                        + "taken%s, %s dispatched to units, completed on time %s; callback satisfaction %s%s.",
                v.apply("calls-answered"),
                enChange.apply("calls-answered"),
                v.apply("connection-rate"),
                enChange.apply("connection-rate"),
                v.apply("tickets-valid"),
                enChange.apply("tickets-valid"),
                v.apply("dispatched"),
                v.apply("on-time"),
                v.apply("satisfaction"),
                enChange.apply("satisfaction"));
        List<String> out = new ArrayList<>(List.of(zh, en));
        if (!top.isEmpty()) {
            out.add("热点问题前列为" + String.join("、", top) + "。 The top categories: " + String.join(", ", top) + ".");
        }
        rankingTables().forEach((cohort, scores) -> {
            if (scores.size() > 1) {
                Assessment.Score first = scores.get(0);
                Assessment.Score last = scores.get(scores.size() - 1);
                out.add(String.format(
                        "%1$s：第一名 %2$s（%3$s 分），末位 %4$s（%5$s 分）。 %1$s: first %2$s (%3$s), last %4$s (%5$s).",
                        cohort,
                        first.unit().unit(),
                        first.total().setScale(2, RoundingMode.HALF_UP).toPlainString(),
                        last.unit().unit(),
                        last.total().setScale(2, RoundingMode.HALF_UP).toPlainString()));
            }
        });
        return out;
    }

    /** " (环比 +1.20 %)", or nothing when there is no previous month. */
    private static String change(String change, String word) {
        return change.isEmpty() ? "" : " (" + word + " " + change + ")";
    }

    /** One row of the overview: a figure, its value and its change from the previous month. */
    record Figure(String id, String label, String value, String change) {}

    List<Figure> overview() {
        JsonNode calls = report.get("calls");
        JsonNode t = report.get("tickets");
        JsonNode prev = report.path("previous_month");
        long valid = t.get("valid").asLong();
        long dispatched = t.get("dispatched").asLong();
        List<Figure> rows = new ArrayList<>();
        rows.add(new Figure(
                "calls-answered",
                "接听来电 Calls answered",
                count(calls.get("answered").asLong()),
                percentChange(calls.get("answered").asLong(), prev.path("calls_answered"))));
        rows.add(new Figure(
                "connection-rate",
                "接通率 Connection rate",
                pct(calls.get("connection_rate_pct")),
                pointChange(calls.get("connection_rate_pct"), prev.path("connection_rate_pct"))));
        rows.add(new Figure(
                "tickets-valid", "有效工单 Valid tickets", count(valid), percentChange(valid, prev.path("tickets_valid"))));
        rows.add(new Figure(
                "resolved-online",
                "在线办结 Resolved online",
                count(t.get("resolved_online").asLong()) + " ("
                        + share(t.get("resolved_online").asLong(), valid) + ")",
                ""));
        rows.add(new Figure(
                "dispatched",
                "网上派单 Dispatched to units",
                count(dispatched),
                percentChange(dispatched, prev.path("tickets_dispatched"))));
        rows.add(new Figure(
                "on-time",
                "按时办结 Completed on time",
                count(t.get("dispatched_completed_on_time").asLong()) + " ("
                        + share(t.get("dispatched_completed_on_time").asLong(), dispatched) + ")",
                ""));
        rows.add(new Figure(
                "satisfaction",
                "回访满意率 Callback satisfaction",
                pct(t.get("callback_satisfaction_pct")),
                pointChange(t.get("callback_satisfaction_pct"), prev.path("callback_satisfaction_pct"))));
        return rows;
    }

    static String count(long n) {
        return String.format("%,d", n);
    }

    static String pct(JsonNode v) {
        return pct(v.decimalValue());
    }

    static String pct(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    static String share(long part, long whole) {
        return org.hotline.figures.Rates.pct(part, whole).toPlainString() + " %";
    }

    static String percentChange(long now, JsonNode before) {
        if (!before.isNumber() || before.asLong() == 0) {
            return "";
        }
        BigDecimal change = BigDecimal.valueOf(now - before.asLong())
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(before.asLong()), 2, RoundingMode.HALF_UP);
        return signed(change) + " %";
    }

    static String pointChange(JsonNode now, JsonNode before) {
        if (!before.isNumber()) {
            return "";
        }
        return signed(now.decimalValue().subtract(before.decimalValue()).setScale(2, RoundingMode.HALF_UP)) + " points";
    }

    private static String signed(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "") + v.toPlainString();
    }

    static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    /** The ranking tables: one per group, and per tier for departments and companies. */
    Map<String, List<Assessment.Score>> rankingTables() {
        Map<String, List<Assessment.Score>> tables = new LinkedHashMap<>();
        for (Assessment.Score s : ranking) {
            String title = groupTitle(s.unit().group()) + (s.tier().isEmpty() ? "" : " · tier " + s.tier());
            tables.computeIfAbsent(title, k -> new ArrayList<>()).add(s);
        }
        return tables;
    }

    static String groupTitle(UnitGroup g) {
        return switch (g) {
            case DISTRICT -> "县市区 Districts and counties";
            case PARK -> "园区 Parks";
            case DEPARTMENT -> "市直部门 City departments";
            case ENTERPRISE -> "公共企业 Public-service companies";
        };
    }

    // ---- HTML ------------------------------------------------------------------------------------------

    public String html() {
        StringBuilder h = new StringBuilder();
        String title = report.path("city").asText("") + " 12345 热线 "
                + report.get("month").asText() + " 通报 · Monthly bulletin";
        h.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title>\n")
                .append(
                        "<style>body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                                + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em}"
                                + "td.n,th.n{text-align:right}h2{border-bottom:2px solid #c00;padding-bottom:.2em}"
                                + "tr.critical td{background:#fdd}tr.warning td{background:#ffd}"
                                // each figure once: a table whose last column draws the row's value as a bar
                                + "table.bars{width:100%}td.bar{border:none;width:50%}td.bar span{display:block;height:.9em;background:#c33;"
                                + "-webkit-print-color-adjust:exact;print-color-adjust:exact}td.bar span.rate{background:#36c}"
                                // printed (or saved as a PDF) on A4: full width, no section split across pages where it
                                // fits
                                + "@media print{@page{size:A4;margin:14mm}body{max-width:none;margin:0;font-size:10.5pt}"
                                + "section{break-inside:avoid}h2{break-after:avoid}}"
                                + "</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<section id=\"summary\"><h2>综述 Summary</h2>\n");
        summary().forEach(p -> h.append("<p>").append(esc(p)).append("</p>\n"));
        h.append("</section>\n");

        h.append("<section id=\"overview\"><h2>总体情况 Overview</h2><table><tr><th>Figure</th><th class=\"n\">Value</th>"
                + "<th class=\"n\">Month over month</th></tr>\n");
        for (Figure f : overview()) {
            h.append("<tr id=\"")
                    .append(f.id())
                    .append("\"><td>")
                    .append(esc(f.label()))
                    .append("</td><td class=\"n value\">")
                    .append(esc(f.value()))
                    .append("</td><td class=\"n change\">")
                    .append(esc(f.change()))
                    .append("</td></tr>\n");
        }
        h.append("</table></section>\n");

        countsSection(h, "channels", "受理渠道 Channels", counts(report.at("/tickets/by_channel")));
        countsSection(h, "regions", "来电地区 Calls by caller region", counts(report.at("/calls/by_caller_region")));
        countsSection(h, "request-types", "诉求类型 Request types", counts(report.at("/tickets/by_request_type")));
        countsSection(h, "hotspots", "热点问题 Hotspot categories", counts(report.at("/tickets/hotspot_categories")));
        countsSection(h, "topics", "热点话题 Hotspot topics", counts(report.at("/tickets/hotspot_topics")));
        Map<String, Long> special = new LinkedHashMap<>();
        counts(report.at("/tickets/tags")).forEach((k, v) -> special.put("tag: " + k, v));
        counts(report.at("/tickets/desks")).forEach((k, v) -> special.put("desk: " + k, v));
        countsSection(h, "special-lines", "专线 Civilised city and desks", special);

        // the days' rates, each drawn between the month's lowest (less a point) and highest
        Map<String, BigDecimal> daily = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        report.at("/calls/by_day").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            daily.put(e.getKey(), e.getValue().get("connection_rate_pct").decimalValue());
        }
        double top = daily.values().stream()
                .mapToDouble(BigDecimal::doubleValue)
                .max()
                .orElse(100);
        double floor = Math.max(
                0,
                daily.values().stream()
                                .mapToDouble(BigDecimal::doubleValue)
                                .min()
                                .orElse(0)
                        - 1);
        h.append("<section id=\"connection-by-day\"><h2>每日接通率 Connection rate by day</h2>\n")
                .append("<table class=\"bars\"><tr><th>Day</th><th class=\"n\">Connection rate</th><th></th></tr>\n");
        daily.forEach((day, rate) -> h.append("<tr><td>")
                .append(esc(day))
                .append("</td><td class=\"n value\">")
                .append(esc(pct(rate)))
                .append("</td>")
                .append(bar(rate.doubleValue() - floor, top - floor, "rate"))
                .append("</tr>\n"));
        h.append("</table><p>Bars from ")
                .append(String.format("%.2f", floor))
                .append(" % (the lowest day less a point).</p>" + "</section>\n");

        h.append("<section id=\"ranking\"><h2>考核排名 Assessment ranking</h2>\n");
        rankingTables().forEach((title2, scores) -> {
            h.append("<h3>")
                    .append(esc(title2))
                    .append(
                            "</h3><table class=\"ranking\"><tr><th>Rank</th><th>Unit</th>"
                                    + "<th class=\"n\">Tickets</th><th class=\"n\">On time</th><th class=\"n\">Delay</th><th class=\"n\">Contact</th>"
                                    + "<th class=\"n\">Satisfaction</th><th class=\"n\">Rejections</th><th class=\"n\">Knowledge base</th>"
                                    + "<th class=\"n\">Cooperation</th><th class=\"n\">Bonus</th><th class=\"n\">Total</th></tr>\n");
            for (Assessment.Score s : scores) {
                h.append("<tr><td class=\"n\">")
                        .append(s.rank())
                        .append("</td><td class=\"unit\">")
                        .append(esc(s.unit().unit()))
                        .append("</td><td class=\"n\">")
                        .append(s.unit().tickets());
                for (BigDecimal v : s.figures()) {
                    h.append("</td><td class=\"n\">")
                            .append(v.setScale(2, RoundingMode.HALF_UP).toPlainString());
                }
                h.append("</td></tr>\n");
            }
            h.append("</table>\n");
        });
        h.append("</section>\n");

        h.append("<section id=\"alerts\"><h2>预警 Alerts</h2>\n");
        List<List<String>> rows = alertRows();
        if (rows.isEmpty()) {
            h.append("<p>No alert this month.</p>\n");
        } else {
            h.append("<table><tr>");
            ALERT_COLUMNS.forEach(c -> h.append("<th>").append(c).append("</th>"));
            h.append("</tr>\n");
            for (List<String> r : rows) {
                h.append("<tr class=\"").append(esc(r.get(3))).append("\">");
                r.forEach(v -> h.append("<td>").append(esc(v)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</section>\n</body></html>\n");
        return h.toString();
    }

    private static void countsSection(StringBuilder h, String id, String title, Map<String, Long> counts) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        h.append("<section id=\"")
                .append(id)
                .append("\"><h2>")
                .append(esc(title))
                .append("</h2>\n")
                .append("<table class=\"bars\"><tr><th>")
                .append("Item")
                .append("</th><th class=\"n\">Count</th><th></th></tr>\n");
        counts.forEach((k, v) -> h.append("<tr><td class=\"label\" data-code=\"")
                .append(esc(k))
                .append("\">")
                .append(esc(label(k)))
                .append("</td><td class=\"n value\">")
                .append(count(v))
                .append("</td>")
                .append(bar(v, max, "count"))
                .append("</tr>\n"));
        h.append("</table></section>\n");
    }

    /** A row's value drawn as a bar, as wide as its share of {@code max}: the chart is the table's last column. */
    static String bar(double value, double max, String kind) {
        double share = max <= 0 ? 0 : Math.max(0, Math.min(1, value / max));
        return "<td class=\"bar\"><span class=\"" + kind + "\" style=\"width:"
                + String.format(java.util.Locale.ROOT, "%.1f", 100 * share) + "%\"></span></td>";
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    // ---- Markdown --------------------------------------------------------------------------------------

    public String markdown() {
        StringBuilder m = new StringBuilder();
        m.append("# ")
                .append(md(report.path("city").asText("")))
                .append(" 12345 热线 ")
                .append(report.get("month").asText())
                .append(
                        " 通报 · Monthly bulletin\n\n## 总体情况 Overview\n\n| Figure | Value | Month over month |\n|---|---:|---:|\n");
        for (Figure f : overview()) {
            m.append("| ")
                    .append(f.label())
                    .append(" | ")
                    .append(f.value())
                    .append(" | ")
                    .append(f.change())
                    .append(" |\n");
        }
        m.append("\n## 综述 Summary\n\n");
        summary().forEach(p -> m.append(md(p)).append("\n\n"));
        mdCounts(m, "受理渠道 Channels", counts(report.at("/tickets/by_channel")));
        mdCounts(m, "来电地区 Calls by caller region", counts(report.at("/calls/by_caller_region")));
        mdCounts(m, "诉求类型 Request types", counts(report.at("/tickets/by_request_type")));
        mdCounts(m, "热点问题 Hotspot categories", counts(report.at("/tickets/hotspot_categories")));
        mdCounts(m, "热点话题 Hotspot topics", counts(report.at("/tickets/hotspot_topics")));
        Map<String, Long> special = new LinkedHashMap<>();
        counts(report.at("/tickets/tags")).forEach((k, v) -> special.put("tag: " + k, v));
        counts(report.at("/tickets/desks")).forEach((k, v) -> special.put("desk: " + k, v));
        mdCounts(m, "专线 Civilised city and desks", special);
        m.append("\n## 每日接通率 Connection rate by day\n\n| Day | Connection rate |\n|---|---:|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        report.at("/calls/by_day").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(pct(e.getValue().get("connection_rate_pct")))
                    .append(" |\n");
        }
        m.append("\n## 考核排名 Assessment ranking\n");
        rankingTables().forEach((title, scores) -> {
            m.append("\n### ")
                    .append(title)
                    .append(
                            "\n\n| Rank | Unit | Tickets | On time | Delay | Contact | Satisfaction | "
                                    + "Rejections | Knowledge base | Cooperation | Bonus | Total |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Assessment.Score s : scores) {
                m.append("| ")
                        .append(s.rank())
                        .append(" | ")
                        .append(md(s.unit().unit()))
                        .append(" | ")
                        .append(s.unit().tickets());
                for (BigDecimal v : s.figures()) {
                    m.append(" | ").append(v.setScale(2, RoundingMode.HALF_UP).toPlainString());
                }
                m.append(" |\n");
            }
        });
        m.append("\n## 预警 Alerts\n\n");
        List<List<String>> rows = alertRows();
        if (rows.isEmpty()) {
            m.append("No alert this month.\n");
        } else {
            m.append("| ").append(String.join(" | ", ALERT_COLUMNS)).append(" |\n|---|---|---|---|---|---:|\n");
            rows.forEach(r -> m.append("| ")
                    .append(String.join(" | ", r.stream().map(Bulletin::md).toList()))
                    .append(" |\n"));
        }
        return m.toString();
    }

    private static void mdCounts(StringBuilder m, String title, Map<String, Long> counts) {
        m.append("\n## ").append(title).append("\n\n| Item | Count |\n|---|---:|\n");
        counts.forEach((k, v) -> m.append("| ")
                .append(md(label(k)))
                .append(" | ")
                .append(count(v))
                .append(" |\n"));
    }

    /** Text from the data in a Markdown table: no pipes, no HTML. */
    static String md(String s) {
        return esc(s).replace("|", "\\|");
    }
}
