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

    final JsonNode report;
    final List<Assessment.Score> ranking;
    final JsonNode alerts;

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

    /** The bulletin as one self-contained HTML page ({@link BulletinHtml}). */
    public String html() {
        return new BulletinHtml(this).render();
    }

    /** The bulletin as Markdown ({@link BulletinMarkdown}). */
    public String markdown() {
        return new BulletinMarkdown(this).render();
    }
}
