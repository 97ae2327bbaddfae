package org.hotline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.Checkpoints;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.RunCommand;
import org.hotline.jobs.io.StoredEvents;
import org.hotline.sql.ClickHouseSql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "rebuild",
        mixinStandardHelpOptions = true,
        description = {
            "Recompute every figure from the raw events a ClickHouse database stores, into another database: the same "
                    + "job, over the stored call events and ticket steps read back in event-time order, without Kafka.",
            "The reference data (units, the office's inputs, published months) and the records kept aside before "
                    + "the job judged them (unparsable, duplicate, late) are copied; every ticket step is judged again. "
                    + "Killed, it resumes where its last checkpoint was when run again with the same options."
        })
final class RebuildCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ServerOptions servers;

    @Option(names = "--from-database", required = true, description = "The database whose raw events are read.")
    String from;

    @Option(names = "--database", required = true, description = "The database the figures are written into.")
    String database;

    @Option(
            names = "--months",
            paramLabel = "FROM:TO",
            description = "The months to rebuild, e.g. 2023-09:2023-10 or 2023-09 (default: every month the source "
                    + "holds). A ticket opened before FROM is judged without its earlier steps.")
    String months;

    @Option(names = "--fresh", description = "Start again instead of resuming an unfinished rebuild into DATABASE.")
    boolean fresh;

    @Option(
            names = "--pace",
            paramLabel = "N",
            description = "Read at most N events a second from each of the two tables (default: as fast as it goes), "
                    + "to spare a ClickHouse that serves others.")
    double pace;

    /** What the rebuild reads: it must be the same when a rebuild resumes. */
    record Plan(String from, String months, StoredEvents.Plan calls, StoredEvents.Plan tickets) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        ClickHouseSql.database(from);
        ClickHouseSql.database(database);
        if (from.equals(database)) {
            throw new IllegalArgumentException(
                    "--from-database and --database are both " + from + ": a rebuild writes into another database");
        }
        HotlineConfig c = config.load();
        c.alerts.alertmanagerUrl = ""; // figures of the past notify no one
        c.job.parallelism = 1; // one reader per source: the stored events in one event-time order
        c.clickhouse.database = database;
        c.kafka.groupId = "rebuild-" + database; // its checkpoints' folder
        try (LocalRuntime runtime = LocalRuntime.clickhouse(c, servers.workDir, servers.clickhouseUrl);
                ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            if (ch.count("SELECT count() FROM system.tables WHERE database = '" + from + "' AND name = 'ticket_events'")
                    == 0) {
                throw new IllegalArgumentException("database " + from + " holds no raw events (no ticket_events)");
            }
            // both schemas up to date: the source's raw tables gain their millisecond columns if it predates them
            HotlineConfig source = c.copy();
            source.clickhouse.database = from;
            JobLauncher.migrate(source.clickhouse, s -> {});
            JobLauncher.migrate(c.clickhouse, s -> {});
            YearMonth[] range = range(ch);
            Plan plan = new Plan(
                    from,
                    range[0].equals(range[1]) ? range[0].toString() : range[0] + ":" + range[1],
                    StoredEvents.callPlan(ch, from, range[0], range[1]),
                    StoredEvents.ticketPlan(ch, from, range[0], range[1]));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            boolean resumed = resumeOrStart(c, plan, env);
            if (!resumed) {
                copyUnjudged(ch, range);
            }
            System.out.printf(
                    "Rebuilding %s of %s into %s: %,d call events and %,d ticket steps%s%n",
                    plan.months(),
                    from,
                    database,
                    plan.calls().total(),
                    plan.tickets().total(),
                    resumed ? " (resumed)" : "");
            StoredEvents.Connection src =
                    new StoredEvents.Connection(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password, from);
            JobLauncher.build(
                    env,
                    c,
                    StoredEvents.calls(src, plan.calls(), from + ".call_events", pace, HotlineJob.CALLS),
                    StoredEvents.tickets(src, plan.tickets(), from + ".ticket_events", pace, HotlineJob.TICKETS),
                    true,
                    new DiscardingSink<>());
            long total = plan.calls().total() + plan.tickets().total();
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            long jobStarted = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> progress(ch, total, jobStarted), 3, 3, TimeUnit.SECONDS);
            try {
                JobLauncher.execute(env, c, "hotline rebuild")
                        .getJobExecutionResult()
                        .get();
            } finally {
                ticker.shutdownNow();
            }
            long[] judged = judged(ch, range);
            System.out.printf(
                    "Rebuilt %s in %d s: %,d call events, %,d ticket steps counted and %,d refused.%n",
                    plan.months(), (System.nanoTime() - started) / 1_000_000_000L, judged[0], judged[1], judged[2]);
            if (judged[0] != plan.calls().total()
                    || judged[1] + judged[2] != plan.tickets().total()) {
                throw new IllegalStateException(String.format(
                        "the rebuild read %,d call events and %,d ticket steps, but %s holds %,d call events and "
                                + "%,d ticket steps (counted or refused)",
                        plan.calls().total(), plan.tickets().total(), database, judged[0], judged[1] + judged[2]));
            }
            try { // done: a next rebuild starts anew
                LocalRuntime.deleteRecursively(JobLauncher.checkpointDir(c));
            } catch (java.io.IOException e) {
                System.err.println("Warning: the rebuild is complete, but its checkpoints in "
                        + JobLauncher.checkpointDir(c) + " could not be removed (" + e + "); a next rebuild into "
                        + database + " needs --fresh");
            }
        }
        return 0;
    }

    /** The months asked for, or every month the source's raw events fall in. */
    private YearMonth[] range(ClickHouseSql ch) {
        if (months != null) {
            String[] parts = months.split(":", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("--months takes FROM:TO (e.g. 2023-09:2023-10), not " + months);
            }
            YearMonth a = YearMonth.parse(parts[0].trim());
            YearMonth b = YearMonth.parse(parts[parts.length - 1].trim());
            if (b.isBefore(a)) {
                throw new IllegalArgumentException("--months " + months + " ends before it begins");
            }
            return new YearMonth[] {a, b};
        }
        String first = ch.scalar("SELECT toString(min(m)) FROM (SELECT min(toYYYYMM(event_time)) AS m FROM " + from
                + ".call_events UNION ALL SELECT min(toYYYYMM(event_time)) AS m FROM " + from + ".ticket_events)"
                + " WHERE m > 0");
        String last = ch.scalar("SELECT toString(max(m)) FROM (SELECT max(toYYYYMM(event_time)) AS m FROM " + from
                + ".call_events UNION ALL SELECT max(toYYYYMM(event_time)) AS m FROM " + from + ".ticket_events)");
        if (first == null || first.isBlank() || last == null || last.equals("0")) {
            throw new IllegalArgumentException("database " + from + " holds no raw events");
        }
        return new YearMonth[] {yearMonth(first), yearMonth(last)};
    }

    private static YearMonth yearMonth(String yyyymm) {
        int v = Integer.parseInt(yyyymm.trim());
        return YearMonth.of(v / 100, v % 100);
    }

    /**
     * Resumes the newest checkpoint of an unfinished rebuild into the database, when its plan is this one; otherwise
     * starts anew (refusing to mix a rebuild of other events into it unless {@code --fresh}).
     */
    private boolean resumeOrStart(HotlineConfig c, Plan plan, StreamExecutionEnvironment env) throws Exception {
        Path dir = JobLauncher.checkpointDir(c);
        Path planFile = dir.resolve("plan.json");
        String planned = JSON.writeValueAsString(plan);
        Checkpoints.Found newest = fresh ? null : Checkpoints.newest(dir);
        if (newest != null && Files.exists(planFile)) {
            if (!Files.readString(planFile).equals(planned)) {
                throw new IllegalStateException("an unfinished rebuild into " + database + " read other events ("
                        + planFile + "): run it with its own options to finish it, or start again with --fresh");
            }
            System.out.println("Resuming from " + newest.path());
            RunCommand.Restore.requireState(newest.path());
            RunCommand.Restore.from(newest.path().toUri().toString()).apply(env);
            return true;
        }
        LocalRuntime.deleteRecursively(dir);
        Files.createDirectories(dir);
        Files.writeString(planFile, planned);
        return false;
    }

    /** The reference data, and the records kept aside before the job judged them, as the source holds them. */
    private void copyUnjudged(ClickHouseSql ch, YearMonth[] range) {
        for (String table : List.of("units", "office_inputs", "published_months")) {
            ch.execute("INSERT INTO " + database + "." + table + " SELECT * FROM " + from + "." + table + " FINAL");
        }
        ch.execute("INSERT INTO " + database + ".dead_letters SELECT * FROM " + from + ".dead_letters FINAL WHERE "
                + "reason NOT IN ('" + String.join("', '", StoredEvents.JUDGED_REFUSALS)
                + "') AND (event_time IS NULL OR "
                + StoredEvents.inMonths(range[0], range[1]) + ")");
    }

    /** The rebuilt months' call events, ticket steps counted and ticket steps refused (each once). */
    private long[] judged(ClickHouseSql ch, YearMonth[] range) {
        String in = " FINAL WHERE " + StoredEvents.inMonths(range[0], range[1]);
        return new long[] {
            ch.count("SELECT count() FROM " + database + ".call_events" + in),
            ch.count("SELECT count() FROM " + database + ".ticket_events" + in),
            ch.count("SELECT count() FROM " + database + ".dead_letters" + in + " AND reason IN ('"
                    + String.join("', '", StoredEvents.JUDGED_REFUSALS) + "')")
        };
    }

    private void progress(ClickHouseSql ch, long total, long since) {
        try {
            long stored = Math.min(
                    ch.count("SELECT count() FROM " + database + ".call_events")
                            + ch.count("SELECT count() FROM " + database + ".ticket_events"),
                    total);
            String month = stored == 0
                    ? "starting"
                    : ch.scalar("SELECT toString(toYYYYMM(max(event_time))) FROM " + database + ".call_events")
                            .trim();
            System.out.printf(
                    "  %3d s: about %,d of %,d events rebuilt (%d %%), %s%n",
                    (System.nanoTime() - since) / 1_000_000_000L,
                    stored,
                    total,
                    total == 0 ? 100 : stored * 100 / total,
                    month.length() == 6 ? "now in " + month.substring(0, 4) + "-" + month.substring(4) : month);
        } catch (RuntimeException e) {
            System.out.println("  (progress unavailable: " + e.getMessage() + ")");
        }
    }
}
