package org.hotline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.LocalKafka;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.MonthReplay;
import org.hotline.report.MonthReport;
import org.hotline.report.OfficeInputs;
import org.hotline.simulator.KafkaPlayback;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Simulate a published month (or consecutive months) into Kafka and run the pipeline over it until "
                        + "every result is in ClickHouse; load the office's inputs for each month. A replayed month replaces an earlier "
                        + "replay of it.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ProfileOptions month;

    @Mixin
    Hotline.ServerOptions servers;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of a local broker.")
    String bootstrap;

    @Option(
            names = "--database",
            description = "The ClickHouse database to replay into (default: the configuration's).")
    String database;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        List<Profile> months = month.load();
        HotlineConfig c = config.load();
        c.alerts.alertmanagerUrl = ""; // a replay of a past month notifies no one
        String span = Hotline.ProfileOptions.span(months);
        c.kafka.callsTopic = "calls-" + span;
        c.kafka.ticketsTopic = "tickets-" + span;
        c.kafka.groupId = "replay-" + span;
        c.kafka.alertsTopic = "alerts-" + span;
        if (database != null) {
            c.clickhouse.database = database;
        }
        try (LocalRuntime runtime = LocalRuntime.clickhouse(c, servers.workDir, servers.clickhouseUrl)
                        .kafka(c, servers.workDir, bootstrap, false);
                ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            System.out.printf(
                    "Simulating %s (%s, seed %d)...%n",
                    String.join(", ", months.stream().map(Profile::name).toList()), span, month.seed);
            MonthSimulator.Month m = Hotline.ProfileOptions.generate(months, month.seed);
            System.out.printf(
                    "  %,d call events and %,d ticket events%n",
                    m.calls().size(), m.tickets().size());

            String db = c.clickhouse.database;
            JobLauncher.migrate(c.clickhouse, System.out::println);
            List<YearMonth> replayed = months.stream().map(Profile::month).toList();
            MonthReplay.refuseLiveData(ch, db, replayed);
            for (YearMonth ym : replayed) {
                MonthReplay.clear(
                        ch,
                        db,
                        c.clickhouse.layout(),
                        ym,
                        ym + "-T",
                        List.of(c.kafka.callsTopic, c.kafka.ticketsTopic),
                        System.out::println);
            }
            freshTopics(c);
            for (Profile p : months) {
                OfficeInputs.load(ch, db, p); // first: the alert rules read the units' groups
            }
            System.out.println("Writing " + (months.size() == 1 ? "the month" : "the months") + " to Kafka...");
            new KafkaPlayback(
                            c.kafka.clientProperties(),
                            c.kafka.bootstrapServers,
                            c.kafka.callsTopic,
                            c.kafka.ticketsTopic,
                            months.get(0).zone())
                    .play(m, 0, System.out::println); // throws, saying how many, if an event was not stored

            System.out.println("Running the pipeline over it...");
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            long jobStarted = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> progress(ch, db, m, jobStarted), 3, 3, TimeUnit.SECONDS);
            try {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
                JobLauncher.start(env, c, KafkaSources.Reading.REPLAY, s -> {})
                        .getJobExecutionResult()
                        .get();
            } finally {
                ticker.shutdownNow();
            }
            long[] stored = stored(ch, c, replayed);
            System.out.printf(
                    "Replayed %s in %d s: %,d events generated, %,d stored in ClickHouse, %,d kept aside with a "
                            + "reason.%n",
                    span, (System.nanoTime() - started) / 1_000_000_000L, m.size(), stored[0], stored[1]);
            for (Profile p : months) {
                summary(ch, db, p);
            }
            if (stored[0] + stored[1] != m.size()) {
                throw new IllegalStateException(String.format(
                        "the replay generated %,d events but ClickHouse holds %,d and kept "
                                + "%,d aside: %,d unaccounted for",
                        m.size(), stored[0], stored[1], m.size() - stored[0] - stored[1]));
            }
        }
        return 0;
    }

    /** The replay's topics start empty (an external Kafka may hold an earlier replay of the month). */
    private static void freshTopics(HotlineConfig c) throws Exception {
        List<String> topics = List.of(c.kafka.callsTopic, c.kafka.ticketsTopic, c.kafka.alertsTopic);
        try (Admin admin = LocalKafka.admin(c.kafka.bootstrapServers)) {
            var existing = admin.listTopics().names().get();
            List<String> old = topics.stream().filter(existing::contains).toList();
            if (!old.isEmpty()) {
                admin.deleteTopics(old).all().get();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (admin.listTopics().names().get().stream().anyMatch(old::contains)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
        }
        LocalKafka.createTopics(
                c.kafka.bootstrapServers,
                Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2, c.kafka.alertsTopic, 1));
    }

    private static void progress(ClickHouseSql ch, String db, MonthSimulator.Month m, long since) {
        try {
            long stored = ch.count("SELECT count() FROM " + db + ".call_events")
                    + ch.count("SELECT count() FROM " + db + ".ticket_events");
            System.out.printf(
                    "  %3d s: about %,d of %,d events stored%n",
                    (System.nanoTime() - since) / 1_000_000_000L, Math.min(stored, m.size()), m.size());
        } catch (RuntimeException e) {
            System.out.println("  (progress unavailable: " + e.getMessage() + ")");
        }
    }

    /** The months' events in ClickHouse's raw tables, and those of the replay's topics kept aside with a reason. */
    private static long[] stored(ClickHouseSql ch, HotlineConfig c, List<YearMonth> months) {
        String db = c.clickhouse.database;
        String inMonths = " FINAL WHERE toYYYYMM(event_time) IN ("
                + String.join(", ", months.stream().map(MonthReplay::partition).toList()) + ")";
        long raw = ch.count("SELECT count() FROM " + db + ".call_events" + inMonths)
                + ch.count("SELECT count() FROM " + db + ".ticket_events" + inMonths);
        long keptAside = ch.count("SELECT count() FROM " + db + ".dead_letters FINAL WHERE topic IN ('"
                + c.kafka.callsTopic + "', '" + c.kafka.ticketsTopic + "')");
        return new long[] {raw, keptAside};
    }

    private static void summary(ClickHouseSql ch, String db, Profile p) {
        JsonNode r = new MonthReport(ch, db).build(p.month(), 11);
        System.out.printf(
                """
                  %s (%s): calls answered %,d, connection rate %s %%
                    tickets %,d: resolved online %,d, dispatched %,d, completed on time %,d, callback satisfaction %s %%
                    %d units assessed. See: ./hotline report --month %s --format json
                """,
                p.month(),
                p.name(),
                r.at("/calls/answered").asLong(),
                r.at("/calls/connection_rate_pct").asText(),
                r.at("/tickets/valid").asLong(),
                r.at("/tickets/resolved_online").asLong(),
                r.at("/tickets/dispatched").asLong(),
                r.at("/tickets/dispatched_completed_on_time").asLong(),
                r.at("/tickets/callback_satisfaction_pct").asText(),
                r.get("units").size(),
                p.month());
    }
}
