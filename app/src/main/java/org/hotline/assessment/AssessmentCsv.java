package org.hotline.assessment;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hotline.events.UnitGroup;
import org.hotline.events.Wire;

/**
 * Reads units in the column layout of a profile's units.csv and writes the ranking as CSV. Bad
 * input is refused with the line and the column.
 */
public final class AssessmentCsv {
    private AssessmentCsv() {}

    public static final List<String> INPUT_COLUMNS = List.of(
            "unit",
            "group",
            "tickets",
            "on_time",
            "extensions",
            "contacted",
            "sys_satisfaction_pct",
            "spot_satisfaction_pct",
            "rejects",
            "knowledge_base",
            "cooperation",
            "bonus");
    public static final String HEADER = "group,tier,rank,unit,tickets,on_time_score,delay_score,contact_score,"
            + "satisfaction_score,reject_score,knowledge_base,cooperation,bonus,total";

    /** Input that cannot be assessed: where, and why. */
    public static final class BadInput extends RuntimeException {
        public BadInput(int line, String column, String message) {
            super("line " + line + (column == null ? "" : ", column " + column) + ": " + message);
        }
    }

    public static List<Assessment.UnitMonth> read(Reader in) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = new CsvMapper()
                .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerFor(String[].class)
                .readValues(in)) {
            while (it.hasNext()) {
                rows.add(it.next()); // one record a line: record i is line i + 1
            }
        }
        if (rows.isEmpty()) {
            throw new BadInput(1, null, "empty file, expected a header: " + String.join(",", INPUT_COLUMNS));
        }
        String[] names = rows.get(0);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            index.put(strip(names[i]).trim(), i);
        }
        for (String c : INPUT_COLUMNS) {
            if (!index.containsKey(c)) {
                throw new BadInput(1, c, "missing column (expected " + String.join(",", INPUT_COLUMNS) + ")");
            }
        }
        List<Assessment.UnitMonth> units = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] cells = rows.get(i);
            int lineNo = i + 1;
            if (cells.length == 1 && cells[0].isBlank()) {
                continue;
            }
            if (cells.length != names.length) {
                throw new BadInput(lineNo, null, "has " + cells.length + " cells, the header has " + names.length);
            }
            Row r = new Row(lineNo, cells, index);
            String unit = r.text("unit");
            UnitGroup group = Wire.parse(UnitGroup.class, r.text("group").toLowerCase(Locale.ROOT));
            if (group == null) {
                throw new BadInput(
                        lineNo,
                        "group",
                        "unknown group '" + r.text("group") + "' (district, park, department, enterprise)");
            }
            long tickets = r.count("tickets");
            units.add(new Assessment.UnitMonth(
                    unit,
                    group,
                    tickets,
                    r.atMost("on_time", tickets),
                    r.atMost("extensions", tickets),
                    r.atMost("contacted", tickets),
                    r.pct("sys_satisfaction_pct"),
                    r.pct("spot_satisfaction_pct"),
                    r.count("rejects"),
                    r.number("knowledge_base"),
                    r.number("cooperation"),
                    r.number("bonus")));
        }
        return units;
    }

    /** A byte-order mark, as spreadsheet programs write, is not part of the first column's name. */
    private static String strip(String header) {
        return header.startsWith("\uFEFF") ? header.substring(1) : header;
    }

    public static void write(List<Assessment.Score> scores, PrintStream out) {
        out.println(HEADER);
        for (Assessment.Score s : scores) {
            Assessment.UnitMonth u = s.unit();
            List<String> cells = new ArrayList<>(List.of(
                    u.group().wire(), s.tier(), String.valueOf(s.rank()), u.unit(), String.valueOf(u.tickets())));
            s.figures().forEach(v -> cells.add(two(v)));
            out.println(String.join(",", cells));
        }
    }

    static String two(BigDecimal v) {
        return v.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private record Row(int line, String[] cells, Map<String, Integer> index) {
        String text(String column) {
            String v = cells[index.get(column)].trim();
            if (v.isEmpty()) {
                throw new BadInput(line, column, "empty");
            }
            return v;
        }

        BigDecimal number(String column) {
            try {
                return new BigDecimal(text(column));
            } catch (NumberFormatException e) {
                throw new BadInput(line, column, "'" + text(column) + "' is not a number");
            }
        }

        long count(String column) {
            BigDecimal v = number(column);
            if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0) {
                throw new BadInput(line, column, "'" + text(column) + "' is not a whole number of 0 or more");
            }
            return v.longValueExact();
        }

        long atMost(String column, long tickets) {
            long v = count(column);
            if (v > tickets) {
                throw new BadInput(line, column, v + " is more than the unit's " + tickets + " tickets");
            }
            return v;
        }

        BigDecimal pct(String column) {
            BigDecimal v = number(column);
            if (v.signum() < 0 || v.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new BadInput(line, column, v + " is not a percentage from 0 to 100");
            }
            return v;
        }
    }
}
