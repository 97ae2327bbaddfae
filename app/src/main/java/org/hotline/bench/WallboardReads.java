package org.hotline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hotline.sql.ClickHouseSql;
import org.hotline.wallboard.Board;

/**
 * What one wallboard refresh costs as history grows: the wallboard's own queries (all of them, one after another, as
 * one refresh runs them) timed over the months the pipeline wrote, then again after older months are added to the
 * tables the wallboard reads (copies of what is there, 30 days earlier each, ids kept apart).
 */
final class WallboardReads {
    private WallboardReads() {}

    /** The tables the wallboard's queries read, directly or through views. */
    static final List<String> READ = List.of(
            "call_quarter_metrics",
            "ticket_daily_metrics",
            "ticket_state",
            "alerts",
            "units",
            "call_rolling",
            "ticket_rolling",
            "hotspot_ranks",
            "unit_open_since",
            "alerts_latest");

    /**
     * The best of {@code tries} refreshes, in milliseconds, each running every wallboard query once; {@code out} hears
     * each query's best time.
     */
    static double refreshMs(ClickHouseSql sql, String db, int tries, Consumer<String> out) {
        List<String> queries =
                Board.QUERIES.stream().map(q -> Board.query(q, db)).toList();
        double best = Double.MAX_VALUE;
        double[] each = new double[queries.size()];
        java.util.Arrays.fill(each, Double.MAX_VALUE);
        for (int i = 0; i < tries; i++) {
            long start = System.nanoTime();
            for (int q = 0; q < queries.size(); q++) {
                long t = System.nanoTime();
                sql.rows(queries.get(q));
                each[q] = Math.min(each[q], (System.nanoTime() - t) / 1e6);
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        StringBuilder s = new StringBuilder("  per query:");
        for (int q = 0; q < queries.size(); q++) {
            s.append(String.format(" %s %.0f ms", Board.QUERIES.get(q), each[q]));
        }
        out.accept(s.toString());
        return best;
    }

    /** Merges every table's parts, so that both measurements read merged data (as a server does once it is idle). */
    static void merge(ClickHouseSql sql, String db) {
        for (String table : READ) {
            sql.execute("OPTIMIZE TABLE " + db + "." + table + " FINAL");
        }
    }

    /**
     * Adds {@code copies} earlier copies of the history: every time column {@code days} earlier per copy, and ticket ids
     * prefixed so that each copy's tickets are tickets of their own. The latest change of each alert is copied with its
     * key made new too (as if every alert of every month were about something new: the most rows that table can hold).
     * What the job keeps as current figures (rolling figures, ranks, oldest open tickets) holds no history to copy.
     */
    static void addHistory(ClickHouseSql sql, String db, int copies, int days, Consumer<String> out) {
        for (String table :
                List.of("call_quarter_metrics", "ticket_daily_metrics", "ticket_state", "alerts", "alerts_latest")) {
            List<JsonNode> columns = sql.rows("SELECT name, type FROM system.columns WHERE database = '" + db
                    + "' AND table = '" + table + "' AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')");
            String original = db + ".bench_history_" + table;
            sql.execute("DROP TABLE IF EXISTS " + original);
            sql.execute("CREATE TABLE " + original + " ENGINE = Log AS SELECT * FROM " + db + "." + table);
            List<String> names = new ArrayList<>();
            columns.forEach(c -> names.add(c.get("name").asText()));
            for (int k = 1; k <= copies; k++) {
                List<String> shifted = new ArrayList<>();
                for (JsonNode c : columns) {
                    String name = c.get("name").asText();
                    String type = c.get("type").asText();
                    if (type.contains("DateTime")) {
                        shifted.add(name + " - " + (k * days * 86_400L));
                    } else if (type.contains("Date")) {
                        shifted.add(name + " - " + (k * days));
                    } else if (name.equals("ticket_id") || name.equals("alert_key") && table.equals("alerts_latest")) {
                        shifted.add("concat('h" + k + "-', " + name + ")");
                    } else {
                        shifted.add(name);
                    }
                }
                sql.execute("INSERT INTO " + db + "." + table + " (" + String.join(", ", names) + ") SELECT "
                        + String.join(", ", shifted) + " FROM " + original);
            }
            sql.execute("DROP TABLE " + original);
            out.accept(String.format("  %s: %,d rows", table, sql.count("SELECT count() FROM " + db + "." + table)));
        }
    }
}
