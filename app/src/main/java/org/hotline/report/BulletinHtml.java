package org.hotline.report;

import static org.hotline.report.Bulletin.ALERT_COLUMNS;
import static org.hotline.report.Bulletin.count;
import static org.hotline.report.Bulletin.counts;
import static org.hotline.report.Bulletin.label;
import static org.hotline.report.Bulletin.pct;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotline.assessment.Assessment;
import org.hotline.report.Bulletin.Figure;

/** The bulletin as one self-contained HTML page: charts drawn inline as SVG, no network, every data value escaped. */
final class BulletinHtml {

    private final Bulletin b;

    BulletinHtml(Bulletin b) {
        this.b = b;
    }

    String render() {
        StringBuilder h = new StringBuilder();
        String title = b.report.path("city").asText("") + " 12345 热线 "
                + b.report.get("month").asText() + " 通报 · Monthly bulletin";
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
        b.summary().forEach(p -> h.append("<p>").append(esc(p)).append("</p>\n"));
        h.append("</section>\n");

        h.append("<section id=\"overview\"><h2>总体情况 Overview</h2><table><tr><th>Figure</th><th class=\"n\">Value</th>"
                + "<th class=\"n\">Month over month</th></tr>\n");
        for (Figure f : b.overview()) {
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

        countsSection(h, "channels", "受理渠道 Channels", counts(b.report.at("/tickets/by_channel")));
        countsSection(h, "regions", "来电地区 Calls by caller region", counts(b.report.at("/calls/by_caller_region")));
        countsSection(h, "request-types", "诉求类型 Request types", counts(b.report.at("/tickets/by_request_type")));
        countsSection(h, "hotspots", "热点问题 Hotspot categories", counts(b.report.at("/tickets/hotspot_categories")));
        countsSection(h, "topics", "热点话题 Hotspot topics", counts(b.report.at("/tickets/hotspot_topics")));
        Map<String, Long> special = new LinkedHashMap<>();
        counts(b.report.at("/tickets/tags")).forEach((k, v) -> special.put("tag: " + k, v));
        counts(b.report.at("/tickets/desks")).forEach((k, v) -> special.put("desk: " + k, v));
        countsSection(h, "special-lines", "专线 Civilised city and desks", special);

        // the days' rates, each drawn between the month's lowest (less a point) and highest
        Map<String, BigDecimal> daily = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        b.report.at("/calls/by_day").fields();
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
        b.rankingTables().forEach((title2, scores) -> {
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
        List<List<String>> rows = b.alertRows();
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
}
