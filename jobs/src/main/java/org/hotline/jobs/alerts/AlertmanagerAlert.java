package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * An alert as Prometheus Alertmanager takes it (POST /api/v2/alerts): labels that say what it is about, which
 * Alertmanager routes, groups, inhibits and silences by; annotations a person reads (a summary in Chinese and English,
 * the value and threshold, the event time, the wallboard's address); and the wall-clock times of the job's decisions.
 * A severity is part of the labels, so an escalation resolves the warning and fires the critical alert.
 */
public final class AlertmanagerAlert {
    private AlertmanagerAlert() {}

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(CITY);

    /** What the annotations name: units by name as well as id, each unit's assessment group, the wallboard's address. */
    public record Directory(Map<String, String> unitNames, Map<String, String> unitGroups, String wallboardUrl)
            implements Serializable {
        public static final Directory EMPTY = new Directory(Map.of(), Map.of(), "");

        String name(String unit) {
            String n = unitNames.get(unit);
            return n == null || n.isBlank() ? unit : n;
        }
    }

    /** The labels of {@code a}: alertname (the rule), severity, and unit, unit_group, category, topic, line, ticket as they apply. */
    public static ObjectNode labels(Alert a, Directory d) {
        ObjectNode l = JSON.createObjectNode();
        l.put("alertname", a.rule());
        l.put("severity", a.severity());
        put(l, "unit", a.unit());
        if (a.unit() != null) {
            put(l, "unit_group", d.unitGroups().get(a.unit()));
        }
        put(l, "category", a.category());
        put(l, "topic", a.topic());
        if (a.rule().equals("connection_rate") || a.rule().equals("long_wait")) {
            put(l, "line", a.key());
        }
        put(l, "ticket", a.ticketId());
        return l;
    }

    /** The annotations of {@code a}: summary (Chinese, then English), value, threshold, event_time, window, tickets, wallboard. */
    public static ObjectNode annotations(Alert a, Directory d) {
        ObjectNode n = JSON.createObjectNode();
        String[] text = summary(a, d);
        n.put("summary", text[0] + " / " + text[1]);
        n.put("summary_zh", text[0]);
        n.put("summary_en", text[1]);
        n.put("value", number(a.value()));
        n.put("threshold", number(a.threshold()));
        n.put("event_time", EVENT_TIME.format(Instant.ofEpochMilli(a.eventTimeMs())));
        if (a.windowStartMs() != null && a.windowEndMs() != null) {
            n.put(
                    "window",
                    EVENT_TIME.format(Instant.ofEpochMilli(a.windowStartMs())) + " – "
                            + EVENT_TIME.format(Instant.ofEpochMilli(a.windowEndMs())));
        }
        if (a.detail() != null) {
            n.put("tickets", a.detail());
        }
        if (d.wallboardUrl() != null && !d.wallboardUrl().isBlank()) {
            n.put("wallboard", d.wallboardUrl());
        }
        return n;
    }

    /** The summary in Chinese and in English. */
    static String[] summary(Alert a, Directory d) {
        String v = number(a.value());
        String t = number(a.threshold());
        String unit = a.unit() == null ? "" : d.name(a.unit());
        String about = a.topic() != null ? a.topic() : a.category();
        return switch (a.rule()) {
            case "backlog" ->
                new String[] {
                    unit + "：超期未办结工单 " + v + " 件（预警线 " + t + "）",
                    unit + ": " + v + " open tickets past their due time (threshold " + t + ")"
                };
            case "backlog_size" ->
                new String[] {
                    unit + "：在办工单 " + v + " 件（预警线 " + t + "）", unit + ": " + v + " open tickets (threshold " + t + ")"
                };
            case "due_soon" -> {
                String hours = a.windowStartMs() == null || a.windowEndMs() == null
                        ? "24"
                        : number((a.windowEndMs() - a.windowStartMs()) / 3_600_000.0);
                yield new String[] {
                    unit + "：" + v + " 件在办工单将在 " + hours + " 小时内到期（预警线 " + t + "）",
                    unit + ": " + v + " open tickets fall due within " + hours + " hours (threshold " + t + ")"
                };
            }
            case "bouncing_ticket" ->
                new String[] {
                    "工单 " + a.ticketId() + " 已派发 " + v + " 次（现承办：" + unit + "）",
                    "Ticket " + a.ticketId() + " dispatched " + v + " times (now with " + unit + ")"
                };
            case "concentrated_returns" ->
                new String[] {
                    unit + "：「" + a.category() + "」类工单退回或驳回 " + v + " 件（预警线 " + t + "）",
                    unit + ": " + v + " tickets of " + a.category() + " returned or rejected (threshold " + t + ")"
                };
            case "emerging_hotspot" ->
                new String[] {
                    "「" + about + "」新增工单 " + v + " 件，远超平常", about + ": " + v + " new tickets, far above its usual count"
                };
            case "connection_rate" ->
                new String[] {
                    a.key() + " 线路接通率 " + v + "%（预警线 " + t + "%）",
                    "Line " + a.key() + ": connection rate " + v + " % (threshold " + t + " %)"
                };
            case "long_wait" ->
                new String[] {
                    a.key() + " 线路有来电等待 " + v + " 秒（预警线 " + t + " 秒）",
                    "Line " + a.key() + ": a caller waited " + v + " s (threshold " + t + " s)"
                };
            default -> new String[] {a.rule() + "：" + a.key() + " " + v, a.rule() + ": " + a.key() + " " + v};
        };
    }

    /** A whole number without decimals, otherwise two at most. */
    static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return String.valueOf((long) x);
        }
        return String.format(Locale.ROOT, "%.2f", x).replaceAll("0+$", "");
    }

    private static void put(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }
}
