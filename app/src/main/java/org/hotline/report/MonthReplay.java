package org.hotline.report;

import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.ClusterLayout;

/** Makes room for a replayed month: what a previous replay of the same month stored is removed first. */
public final class MonthReplay {
    private MonthReplay() {}

    static final List<String> MONTHLY_TABLES =
            List.of("call_events", "ticket_events", "call_quarter_metrics", "ticket_daily_metrics", "alerts");

    /** The month's partition of the monthly tables, as ClickHouse's {@code toYYYYMM} names it: 202309. */
    public static String partition(YearMonth month) {
        return String.format("%d%02d", month.getYear(), month.getMonthValue());
    }

    /**
     * Refuses to replay into a database holding events of the months that no replay of them wrote (a replay's ids start
     * with the month they were created in, e.g. {@code 2023-09-C000001}; consecutive months replayed together hold each
     * other's tickets): replacing the months would drop the live job's figures.
     */
    public static void refuseLiveData(ClickHouseSql ch, String db, List<YearMonth> months) {
        String replayed = months.stream()
                .map(m -> "startsWith(%s, '" + m + "-')")
                .reduce((x, y) -> x + " OR " + y)
                .orElseThrow();
        for (YearMonth month : months) {
            String m = partition(month);
            long live = ch.count("SELECT count() FROM " + db + ".call_events WHERE toYYYYMM(event_time) = " + m
                            + " AND NOT (" + replayed.replace("%s", "call_id") + ")")
                    + ch.count("SELECT count() FROM " + db + ".ticket_events WHERE toYYYYMM(event_time) = " + m
                            + " AND NOT (" + replayed.replace("%s", "ticket_id") + ")");
            if (live > 0) {
                throw new IllegalStateException(String.format(
                        "ClickHouse database %s holds %,d event(s) of %s that no replay "
                                + "wrote (the live job's?): a replay replaces the month and would drop them. Replay into a database of "
                                + "its own: --database NAME",
                        db, live, month));
            }
        }
    }

    /** Drops the month's partitions, and its tickets' states and dead letters, waiting until they are gone. */
    public static void clear(
            ClickHouseSql ch,
            String db,
            ClusterLayout layout,
            YearMonth month,
            String ticketPrefix,
            List<String> topics,
            Consumer<String> progress) {
        String partition = partition(month);
        for (String table : MONTHLY_TABLES) {
            ch.execute("ALTER TABLE " + db + "." + layout.local(table) + layout.onCluster() + " DROP PARTITION "
                    + partition);
        }
        long stale = ch.count("SELECT count() FROM " + db + ".alerts_latest WHERE toYYYYMM(event_time) = " + partition)
                + ch.count("SELECT count() FROM " + db + ".ticket_state WHERE startsWith(ticket_id, '" + ticketPrefix
                        + "')")
                + ch.count("SELECT count() FROM " + db + ".dead_letters WHERE topic IN ('" + String.join("', '", topics)
                        + "')");
        if (stale == 0) {
            return;
        }
        progress.accept("Removing the previous replay of " + month + "...");
        ch.execute("ALTER TABLE " + db + "." + layout.local("ticket_state") + layout.onCluster()
                + " DELETE WHERE startsWith(ticket_id, '" + ticketPrefix + "')");
        ch.execute("ALTER TABLE " + db + "." + layout.local("alerts_latest") + layout.onCluster()
                + " DELETE WHERE toYYYYMM(event_time) = " + partition);
        ch.execute("ALTER TABLE " + db + "." + layout.local("dead_letters") + layout.onCluster()
                + " DELETE WHERE topic IN ('" + String.join("', '", topics) + "')");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (ch.count("SELECT count() FROM system.mutations WHERE database = '" + db + "' AND is_done = 0") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "ClickHouse did not finish removing the previous replay within 2 minutes");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
