package org.hotline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A month's published figures: {@code month.json} for the city and {@code units.csv} for each
 * assessed unit. A profile is data: a shipped one is named (e.g. {@code xiangtan-2023-09}), any
 * other is a folder holding the two files in the same shape.
 */
public record Profile(
        String name,
        String city,
        YearMonth month,
        ZoneId zone,
        long callsAnswered,
        BigDecimal connectionRatePct,
        Map<String, Long> callsByRegion,
        long ticketsValid,
        long resolvedOnline,
        long dispatched,
        long completedOnTime,
        BigDecimal callbackSatisfactionPct,
        Map<String, Long> byChannel,
        Map<String, Long> byRequestType,
        Map<String, Long> hotspotCategories,
        Map<String, Long> tags,
        Map<String, Long> desks,
        List<Incident> incidents,
        JsonNode previousMonth,
        List<UnitFigures> units) {

    /** The same figures for another month (a benchmark plays several months of the same city). */
    public Profile withMonth(YearMonth other) {
        return new Profile(
                name,
                city,
                other,
                zone,
                callsAnswered,
                connectionRatePct,
                callsByRegion,
                ticketsValid,
                resolvedOnline,
                dispatched,
                completedOnTime,
                callbackSatisfactionPct,
                byChannel,
                byRequestType,
                hotspotCategories,
                tags,
                desks,
                incidents,
                previousMonth,
                units);
    }

    /** One unit's row of units.csv. */
    public record UnitFigures(
            String unit,
            String group,
            long tickets,
            long onTime,
            long extensions,
            long contacted,
            BigDecimal sysSatisfactionPct,
            BigDecimal spotSatisfactionPct,
            long rejects,
            BigDecimal knowledgeBase,
            BigDecimal cooperation,
            BigDecimal bonus) {}

    /** An incident of the month: its kind and the fields of its kind. */
    public record Incident(String kind, JsonNode fields) {
        public String text(String field) {
            JsonNode n = fields.get(field);
            if (n == null || !n.isTextual()) {
                throw new IllegalArgumentException("incident '" + kind + "' needs a text field '" + field + "'");
            }
            return n.asText();
        }

        public int number(String field) {
            JsonNode n = fields.get(field);
            if (n == null || !n.canConvertToInt()) {
                throw new IllegalArgumentException("incident '" + kind + "' needs a whole number '" + field + "'");
            }
            return n.intValue();
        }

        public List<String> texts(String field) {
            JsonNode n = fields.get(field);
            if (n == null || !n.isArray() || n.isEmpty()) {
                throw new IllegalArgumentException("incident '" + kind + "' needs a list '" + field + "'");
            }
            List<String> out = new ArrayList<>();
            n.forEach(x -> out.add(x.asText()));
            return out;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A shipped profile by name, or the folder at {@code nameOrPath}. */
    public static Profile load(String nameOrPath) {
        Path dir = Path.of(nameOrPath);
        try {
            if (Files.isDirectory(dir)) {
                try (InputStream month = Files.newInputStream(dir.resolve("month.json"));
                        InputStream units = Files.newInputStream(dir.resolve("units.csv"))) {
                    return parse(dir.getFileName().toString(), month, units);
                }
            }
            InputStream month = Profile.class.getResourceAsStream("/profiles/" + nameOrPath + "/month.json");
            InputStream units = Profile.class.getResourceAsStream("/profiles/" + nameOrPath + "/units.csv");
            if (month == null || units == null) {
                throw new IllegalArgumentException("no profile '" + nameOrPath
                        + "': neither a shipped profile nor a folder " + "with month.json and units.csv");
            }
            try (month;
                    units) {
                return parse(nameOrPath, month, units);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read profile " + nameOrPath + ": " + e.getMessage(), e);
        }
    }

    static Profile parse(String name, InputStream monthJson, InputStream unitsCsv) throws IOException {
        JsonNode m = JSON.readTree(monthJson);
        JsonNode calls = required(m, "calls");
        JsonNode tickets = required(m, "tickets");
        List<Incident> incidents = new ArrayList<>();
        for (JsonNode i : m.path("incidents")) {
            incidents.add(new Incident(required(i, "kind").asText(), i));
        }
        return new Profile(
                name,
                m.path("city").asText(name),
                YearMonth.parse(required(m, "month").asText()),
                ZoneId.of(m.path("timezone").asText("Asia/Shanghai")),
                required(calls, "answered").asLong(),
                required(calls, "connection_rate_pct").decimalValue(),
                counts(calls.path("by_caller_region")),
                required(tickets, "valid").asLong(),
                required(tickets, "resolved_online").asLong(),
                required(tickets, "dispatched").asLong(),
                required(tickets, "dispatched_completed_on_time").asLong(),
                required(tickets, "callback_satisfaction_pct").decimalValue(),
                counts(tickets.path("by_channel")),
                counts(tickets.path("by_request_type")),
                counts(tickets.path("hotspot_categories")),
                counts(tickets.path("tags")),
                counts(tickets.path("desks")),
                incidents,
                m.path("previous_month"),
                units(unitsCsv));
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("month.json: missing '" + field + "'");
        }
        return v;
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().asLong());
            }
        }
        return out;
    }

    private static List<UnitFigures> units(InputStream csv) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<UnitFigures> out = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(csv)) {
            int line = 1;
            while (rows.hasNext()) {
                line++;
                Map<String, String> r = rows.next();
                try {
                    out.add(new UnitFigures(
                            r.get("unit"),
                            r.get("group"),
                            whole(r, "tickets"),
                            whole(r, "on_time"),
                            whole(r, "extensions"),
                            whole(r, "contacted"),
                            decimal(r, "sys_satisfaction_pct"),
                            decimal(r, "spot_satisfaction_pct"),
                            whole(r, "rejects"),
                            decimal(r, "knowledge_base"),
                            decimal(r, "cooperation"),
                            decimal(r, "bonus")));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("units.csv line " + line + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static long whole(Map<String, String> r, String column) {
        return Long.parseLong(value(r, column));
    }

    private static BigDecimal decimal(Map<String, String> r, String column) {
        return new BigDecimal(value(r, column));
    }

    private static String value(Map<String, String> r, String column) {
        String v = r.get(column);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("column '" + column + "' is missing or empty");
        }
        return v.trim();
    }

    public long unitTickets() {
        return units.stream().mapToLong(UnitFigures::tickets).sum();
    }
}
