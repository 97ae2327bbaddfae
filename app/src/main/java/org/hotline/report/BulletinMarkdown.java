package org.hotline.report;

import static org.hotline.report.Bulletin.ALERT_COLUMNS;
import static org.hotline.report.Bulletin.count;
import static org.hotline.report.Bulletin.counts;
import static org.hotline.report.Bulletin.label;
import static org.hotline.report.Bulletin.pct;
import static org.hotline.report.BulletinHtml.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotline.assessment.Assessment;
import org.hotline.report.Bulletin.Figure;

/** The bulletin as Markdown, every data value escaped for a table cell. */
final class BulletinMarkdown {

    private final Bulletin b;

    BulletinMarkdown(Bulletin b) {
        this.b = b;
    }

    String render() {
        StringBuilder m = new StringBuilder();
        m.append("# ")
                .append(md(b.report.path("city").asText("")))
                .append(" 12345 热线 ")
                .append(b.report.get("month").asText())
                .append(
                        " 通报 · Monthly bulletin\n\n## 总体情况 Overview\n\n| Figure | Value | Month over month |\n|---|---:|---:|\n");
        for (Figure f : b.overview()) {
            m.append("| ")
                    .append(f.label())
                    .append(" | ")
                    .append(f.value())
                    .append(" | ")
                    .append(f.change())
                    .append(" |\n");
        }
        m.append("\n## 综述 Summary\n\n");
        b.summary().forEach(p -> m.append(md(p)).append("\n\n"));
        mdCounts(m, "受理渠道 Channels", counts(b.report.at("/tickets/by_channel")));
        mdCounts(m, "来电地区 Calls by caller region", counts(b.report.at("/calls/by_caller_region")));
        mdCounts(m, "诉求类型 Request types", counts(b.report.at("/tickets/by_request_type")));
        mdCounts(m, "热点问题 Hotspot categories", counts(b.report.at("/tickets/hotspot_categories")));
        mdCounts(m, "热点话题 Hotspot topics", counts(b.report.at("/tickets/hotspot_topics")));
        Map<String, Long> special = new LinkedHashMap<>();
        counts(b.report.at("/tickets/tags")).forEach((k, v) -> special.put("tag: " + k, v));
        counts(b.report.at("/tickets/desks")).forEach((k, v) -> special.put("desk: " + k, v));
        mdCounts(m, "专线 Civilised city and desks", special);
        m.append("\n## 每日接通率 Connection rate by day\n\n| Day | Connection rate |\n|---|---:|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        b.report.at("/calls/by_day").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(pct(e.getValue().get("connection_rate_pct")))
                    .append(" |\n");
        }
        m.append("\n## 考核排名 Assessment ranking\n");
        b.rankingTables().forEach((title, scores) -> {
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
        List<List<String>> rows = b.alertRows();
        if (rows.isEmpty()) {
            m.append("No alert this month.\n");
        } else {
            m.append("| ").append(String.join(" | ", ALERT_COLUMNS)).append(" |\n|---|---|---|---|---|---:|\n");
            rows.forEach(r -> m.append("| ")
                    .append(String.join(
                            " | ", r.stream().map(BulletinMarkdown::md).toList()))
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
