package org.hotline.wallboard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hotline.assessment.Assessment;
import org.hotline.events.UnitGroup;
import org.hotline.events.Wire;
import org.hotline.figures.Rates;
import org.hotline.sql.ClickHouseSql;

/**
 * What the wallboard shows, read from ClickHouse with the queries in {@code wallboard/queries/} and
 * put together as one JSON document. Rates are computed here from the counts, half-up like the
 * bulletin. The board is stale when its figures have not changed for {@code staleAfter} (wall clock)
 * or ClickHouse cannot be read; then the last figures read are kept and marked so.
 */
public final class Board {

    /** The page's queries, in {@code wallboard/queries/}: one refresh runs each once. */
    public static final List<String> QUERIES =
            List.of("calls", "quarters", "tickets", "units", "hotspots", "alerts", "standing");

    /** Rows shown in the unit table; the rest are counted. */
    static final int UNIT_ROWS = 15;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClickHouseSql reader;
    private final Duration staleAfter;
    private final Clock clock;
    private final String callsSql;
    private final String quartersSql;
    private final String ticketsSql;
    private final String unitsSql;
    private final String hotspotsSql;
    private final String alertsSql;
    private final String standingSql;

    private ObjectNode lastFigures;
    private String lastFingerprint;
    private Instant lastChange;

    public Board(ClickHouseSql reader, String database, Duration staleAfter, Clock clock) {
        ClickHouseSql.database(database);
        this.reader = reader;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.callsSql = query("calls", database);
        this.quartersSql = query("quarters", database);
        this.ticketsSql = query("tickets", database);
        this.unitsSql = query("units", database);
        this.hotspotsSql = query("hotspots", database);
        this.alertsSql = query("alerts", database);
        this.standingSql = query("standing", database);
    }

    /** One of the page's queries, with the database filled in (the only thing that varies: no input reaches SQL). */
    public static String query(String name, String database) {
        try (InputStream in = Board.class.getResourceAsStream("/wallboard/queries/" + name + ".sql")) {
            if (in == null) {
                throw new IllegalStateException("missing wallboard query " + name);
            }
            return new String(in.readAllBytes(), UTF_8).replace("${db}", database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the figures now, and says whether they are fresh. */
    public synchronized ObjectNode read() {
        Instant now = clock.instant();
        String error = null;
        try {
            ObjectNode figures = figures();
            String fingerprint = figures.toString();
            if (!fingerprint.equals(lastFingerprint)) {
                lastFingerprint = fingerprint;
                lastChange = now;
            }
            lastFigures = figures;
        } catch (RuntimeException e) {
            error = "ClickHouse cannot be read: "
                    + firstLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        ObjectNode board = lastFigures == null ? JSON.createObjectNode() : lastFigures.deepCopy();
        ObjectNode status = board.putObject("status");
        long unchanged =
                lastChange == null ? -1 : Duration.between(lastChange, now).toSeconds();
        status.put("stale", error != null || lastChange == null || unchanged >= staleAfter.toSeconds());
        status.put("unchanged_for_s", unchanged);
        status.put("stale_after_s", staleAfter.toSeconds());
        status.put("read_at", now.toString());
        status.put("error", error);
        return board;
    }

    private ObjectNode figures() {
        ObjectNode board = JSON.createObjectNode();
        JsonNode c = single(callsSql);
        JsonNode t = single(ticketsSql);
        String callsAsOf = c.path("as_of").asText();
        String ticketsAsOf = t.path("as_of").asText();
        board.put("as_of", callsAsOf.compareTo(ticketsAsOf) >= 0 ? callsAsOf : ticketsAsOf);

        ObjectNode calls = board.putObject("calls");
        calls(calls.putObject("today"), c, "today", false);
        calls(calls.putObject("last_15_min"), c, "15m", true);
        quarters(calls.putArray("quarters"));

        ObjectNode tickets = board.putObject("tickets");
        ObjectNode today = tickets.putObject("today");
        today.put("created", c(t, "created_today"));
        today.put("resolved_online", c(t, "resolved_online_today"));
        today.put("dispatched", c(t, "dispatched_today"));
        ObjectNode month = tickets.putObject("month");
        month.put("completed", c(t, "completed_month"));
        month.put("on_time", c(t, "on_time_month"));
        rate(month, "on_time_pct", c(t, "on_time_month"), c(t, "completed_month"));
        month.put("callbacks", c(t, "callbacks_month"));
        month.put("satisfied", c(t, "satisfied_month"));
        rate(month, "satisfaction_pct", c(t, "satisfied_month"), c(t, "callbacks_month"));

        List<JsonNode> units = reader.rows(unitsSql);
        board.put("units_with_backlog", units.size());
        ArrayNode shown = board.putArray("units");
        for (JsonNode u : units.subList(0, Math.min(UNIT_ROWS, units.size()))) {
            shown.addObject()
                    .put("unit_id", u.path("unit_id").asText())
                    .put("name", u.path("unit_name").asText())
                    .put("open_backlog", c(u, "open_backlog"))
                    .put("overdue", c(u, "overdue"))
                    .put("due_within_24h", c(u, "due_within_24h"))
                    .put("oldest_open_age_s", c(u, "oldest_open_age_s"));
        }

        ObjectNode hotspots = board.putObject("hotspots");
        hotspots.putArray("category");
        hotspots.putArray("topic");
        for (JsonNode h : reader.rows(hotspotsSql)) {
            ((ArrayNode) hotspots.get(h.path("dimension").asText()))
                    .addObject()
                    .put("value", h.path("value").asText())
                    .put("current", c(h, "current"))
                    .put("previous", c(h, "previous"))
                    .put("rise", c(h, "rise"));
        }

        standing(board.putArray("standing"));

        ArrayNode alerts = board.putArray("alerts");
        for (JsonNode a : reader.rows(alertsSql)) {
            alerts.addObject()
                    .put("rule", a.path("rule").asText())
                    .put("severity", a.path("severity").asText())
                    .put("subject", subject(a))
                    .put("value", a.path("value").asDouble())
                    .put("threshold", a.path("threshold").asDouble())
                    .put("since", a.path("since").asText());
        }
        return board;
    }

    /**
     * A period's calls. Each step counts in its own minute, so over a quarter hour the calls answered
     * include some offered before it and the offered include some still waiting: there the rate is taken
     * over the calls that stopped waiting in it (answered + abandoned), which stays a true share. Over a
     * day it is the official answered / offered.
     */
    private static void calls(ObjectNode out, JsonNode row, String suffix, boolean ofCallsThatStoppedWaiting) {
        long offered = c(row, "offered_" + suffix);
        long answered = c(row, "answered_" + suffix);
        long abandoned = c(row, "abandoned_" + suffix);
        out.put("offered", offered);
        out.put("answered", answered);
        out.put("abandoned", abandoned);
        rate(out, "connection_rate_pct", answered, ofCallsThatStoppedWaiting ? answered + abandoned : offered);
        out.put("longest_wait_s", c(row, "longest_wait_" + suffix));
    }

    /**
     * Today's and yesterday's calls per quarter hour, side by side on the clock (00:00 to 23:45): offered, and the
     * connection rate over the calls that stopped waiting in it (as for the last 15 minutes); null where a day has no
     * calls at that time (today after now).
     */
    private void quarters(ArrayNode out) {
        Map<String, ObjectNode> byTime = new java.util.TreeMap<>();
        for (int q = 0; q < 96; q++) {
            String time = String.format("%02d:%02d", q / 4, q % 4 * 15);
            byTime.put(time, out.addObject().put("time", time).putNull("today").putNull("yesterday"));
        }
        for (JsonNode r : reader.rows(quartersSql)) {
            ObjectNode slot = byTime.get(r.path("at").asText().substring(11, 16));
            ObjectNode day = slot.putObject(r.path("today").asInt() == 1 ? "today" : "yesterday");
            long answered = c(r, "answered");
            day.put("offered", c(r, "offered"));
            rate(day, "connection_rate_pct", answered, answered + c(r, "abandoned"));
        }
    }

    /**
     * The month's standing so far: every unit of a known group scored and ranked within its group and tier by the
     * assessment's rules, from its figures for the month so far and the office's inputs where entered.
     */
    private void standing(ArrayNode out) {
        List<Assessment.UnitMonth> units = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (JsonNode u : reader.rows(standingSql)) {
            UnitGroup group =
                    Wire.parse(UnitGroup.class, u.path("unit_group").asText().toLowerCase(Locale.ROOT));
            if (group == null) {
                continue; // not assessed, as by the assessment
            }
            names.put(u.path("unit_id").asText(), u.path("name").asText());
            units.add(new Assessment.UnitMonth(
                    u.path("unit_id").asText(),
                    group,
                    c(u, "tickets"),
                    c(u, "on_time"),
                    c(u, "extensions"),
                    c(u, "contacted"),
                    Rates.pct(c(u, "sys_satisfied"), c(u, "sys_callbacks")),
                    Rates.pct(c(u, "spot_satisfied"), c(u, "spot_callbacks")),
                    c(u, "rejects"),
                    decimal(u, "knowledge_base"),
                    decimal(u, "cooperation"),
                    decimal(u, "bonus")));
        }
        for (Assessment.Score s : Assessment.rank(units)) {
            String name = names.get(s.unit().unit());
            out.addObject()
                    .put("group", s.unit().group().wire())
                    .put("tier", s.tier())
                    .put("rank", s.rank())
                    .put("unit_id", s.unit().unit())
                    .put("name", name == null || name.isEmpty() ? s.unit().unit() : name)
                    .put("tickets", s.unit().tickets())
                    .put("total", s.total());
        }
    }

    private static BigDecimal decimal(JsonNode row, String field) {
        JsonNode v = row.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? BigDecimal.ZERO : new BigDecimal(v.asText());
    }

    /** A rate in percent, or null when there is nothing to divide (0 of 0 is no rate at all: the page shows "—"). */
    private static void rate(ObjectNode out, String field, long part, long whole) {
        if (whole == 0) {
            out.putNull(field);
        } else {
            out.put(field, Rates.pct(part, whole));
        }
    }

    /** What an alert is about, in words: the unit (and category), the topic, the ticket, or the line. */
    private static String subject(JsonNode a) {
        StringBuilder s = new StringBuilder();
        for (String field : new String[] {"unit", "category", "topic", "ticket_id"}) {
            String v = a.path(field).asText();
            if (!v.isEmpty()) {
                s.append(s.length() == 0 ? "" : " · ").append(v);
            }
        }
        return s.length() == 0 ? a.path("alert_key").asText() : s.toString();
    }

    private JsonNode single(String sql) {
        List<JsonNode> rows = reader.rows(sql);
        return rows.isEmpty() ? JSON.createObjectNode() : rows.get(0);
    }

    /** A count: ClickHouse sends 64-bit integers as strings. */
    private static long c(JsonNode row, String field) {
        return row.path(field).asLong();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
