package org.hotline.report;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.hotline.assessment.AssessmentCsv;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;

/** Loads what the office enters for a month (and the reference data) into ClickHouse, as a replay does. */
public final class OfficeInputs {
    private OfficeInputs() {}

    /** The profile's units, their knowledge-base, cooperation and bonus scores, and the previous month's published totals. */
    public static void load(ClickHouseSql ch, String db, Profile profile) {
        StringBuilder units = new StringBuilder();
        StringBuilder inputs = new StringBuilder();
        String month = "toDate('" + profile.month().atDay(1) + "')";
        for (Profile.UnitFigures u : profile.units()) {
            units.append(units.isEmpty() ? "" : ", ")
                    .append("(")
                    .append(ClickHouseSql.literal(u.unit()))
                    .append(", ")
                    .append(ClickHouseSql.literal(u.unit()))
                    .append(", ")
                    .append(ClickHouseSql.literal(u.group()))
                    .append(", now())");
            inputs.append(inputs.isEmpty() ? "" : ", ")
                    .append("(")
                    .append(month)
                    .append(", ")
                    .append(ClickHouseSql.literal(u.unit()))
                    .append(", ")
                    .append(u.knowledgeBase().toPlainString())
                    .append(", ")
                    .append(u.cooperation().toPlainString())
                    .append(", ")
                    .append(u.bonus().toPlainString())
                    .append(", '', now())");
        }
        if (!units.isEmpty()) {
            ch.execute("INSERT INTO " + db + ".units (unit_id, name, unit_group, updated_at) VALUES " + units);
            ch.execute("INSERT INTO " + db
                    + ".office_inputs (month, unit_id, knowledge_base, cooperation, bonus, bonus_reason, "
                    + "updated_at) VALUES " + inputs);
        }
        var p = profile.previousMonth();
        if (p != null && p.isObject() && p.size() > 0) {
            YearMonth previous = profile.month().minusMonths(1);
            ch.execute("INSERT INTO " + db
                    + ".published_months (month, city, calls_answered, connection_rate_pct, tickets_valid, "
                    + "tickets_dispatched, callback_satisfaction_pct, updated_at) VALUES (toDate('" + previous.atDay(1)
                    + "'), "
                    + ClickHouseSql.literal(profile.city()) + ", "
                    + p.path("calls_answered").asLong() + ", "
                    + p.path("connection_rate_pct").decimalValue().toPlainString() + ", "
                    + p.path("tickets_valid").asLong() + ", "
                    + p.path("tickets_dispatched").asLong() + ", "
                    + p.path("callback_satisfaction_pct").decimalValue().toPlainString() + ", now())");
        }
    }

    /**
     * Loads a month's office inputs from CSV: columns {@code unit, knowledge_base, cooperation, bonus} and an
     * optional {@code bonus_reason} (a profile's units.csv has them too; other columns are ignored). Returns
     * how many units were loaded; bad input is refused with its line and column.
     */
    public static int loadCsv(ClickHouseSql ch, String db, YearMonth month, java.io.Reader csv)
            throws java.io.IOException {
        List<Map<String, String>> rows;
        try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> it =
                new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                        .readerForMapOf(String.class)
                        .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema()
                                .withHeader())
                        .readValues(csv)) {
            rows = it.readAll();
        }
        StringBuilder values = new StringBuilder();
        int line = 1;
        for (Map<String, String> row : rows) {
            line++;
            values.append(values.isEmpty() ? "" : ", ")
                    .append("(toDate('")
                    .append(month.atDay(1))
                    .append("'), ")
                    .append(ClickHouseSql.literal(required(row, "unit", line)))
                    .append(", ")
                    .append(number(row, "knowledge_base", line))
                    .append(", ")
                    .append(number(row, "cooperation", line))
                    .append(", ")
                    .append(number(row, "bonus", line))
                    .append(", ")
                    .append(ClickHouseSql.literal(row.getOrDefault("bonus_reason", "")))
                    .append(", now())");
        }
        if (!values.isEmpty()) {
            ch.execute("INSERT INTO " + db
                    + ".office_inputs (month, unit_id, knowledge_base, cooperation, bonus, bonus_reason, "
                    + "updated_at) VALUES " + values);
        }
        return rows.size();
    }

    private static String required(Map<String, String> row, String column, int line) {
        String v = row.get(column);
        if (v == null || v.isBlank()) {
            throw new AssessmentCsv.BadInput(line, column, row.containsKey(column) ? "empty" : "missing column");
        }
        return v.trim();
    }

    private static String number(Map<String, String> row, String column, int line) {
        String v = required(row, column, line);
        try {
            return new java.math.BigDecimal(v).toPlainString();
        } catch (NumberFormatException e) {
            throw new AssessmentCsv.BadInput(line, column, "'" + v + "' is not a number");
        }
    }
}
