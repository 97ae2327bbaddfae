package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hotline.cli.ReplayITCase.assertMatches;
import static org.hotline.cli.ReplayITCase.unitsCsv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalClickHouse;
import org.hotline.deploy.LocalKafka;
import org.hotline.deploy.Ports;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEventType;
import org.hotline.jobs.Checkpoints;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.RunCommand;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.MonthReport;
import org.hotline.report.OfficeInputs;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real month replayed through Kafka, the job (checkpointing every 2 s) and ClickHouse while
 * something goes wrong mid-stream: the job is cancelled and resumed from its last checkpoint, or from a
 * savepoint; a task throws and Flink restarts it; ClickHouse is down for 30 seconds; the Kafka broker
 * is restarted. The job runs live, as in production. Each time ClickHouse ends holding exactly the
 * published month (read with FINAL): no count lost or counted twice, every raw event once, nothing in
 * the dead letters (after the broker's restart: nothing but redelivered records, kept aside as duplicates).
 */
@ExtendWith(SharedServices.class)
class RecoveryITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final String PROFILE = "xiangtan-2023-09";
    static final Path WORK = Path.of("target", "recovery");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AFTER_THE_MONTH = "2023-10-01T01:10:00+08:00";
    static Profile profile;
    static MonthSimulator.Month month;
    static HotlineConfig played;

    @BeforeAll
    static void playTheMonthOnce() throws Exception {
        LocalRuntime.deleteRecursively(
                WORK); // nothing from an earlier run: checkpoints, a broker's log, a server's data
        profile = Profile.load(PROFILE);
        month = new MonthSimulator(profile, 2023).generate();
        played = SharedServices.config("recovery");
        play(played, month);
    }

    /** Mid-stream by construction: the topics hold the month's first half while the job runs, the rest after its restart. */
    @Test
    void cancelledMidStreamAndResumedFromTheLastCheckpoint() throws Exception {
        HotlineConfig c = withOwnTopics(scenario("recovery_checkpoint"));
        playEvents(c, month.between(Long.MIN_VALUE, middleOfTheMonth()));
        JobClient job = start(c, null, KafkaSources.alerts(c.kafka));
        awaitProgress(c, 0.3);
        awaitCheckpoint(c);
        job.cancel().get(1, TimeUnit.MINUTES);
        String checkpoint = latestCheckpoint(c);

        play(c, month.between(middleOfTheMonth(), Long.MAX_VALUE));
        JobClient resumed = start(c, checkpoint, KafkaSources.alerts(c.kafka));
        awaitTruth(c, resumed);
    }

    /**
     * The job as its own OS process, started as {@code ./hotline run} starts it, killed with {@code kill -9} while
     * the month's first half is on the topics, then started again exactly the same way: it resumes from its newest
     * checkpoint by itself. A start with an empty checkpoint folder over the offsets it committed is refused.
     */
    @Test
    void theJobProcessKilledAndStartedAgainTheSameWay() throws Exception {
        HotlineConfig c = withOwnTopics(scenario("recovery_process_kill"));
        Path dir = Files.createDirectories(WORK.resolve("process-kill"));
        Path config = configFile(c, dir.resolve("hotline.yaml"));
        playEvents(c, month.between(Long.MIN_VALUE, middleOfTheMonth()));
        Process first = runAsProcess(config, dir.resolve("first-run.log"));
        try {
            awaitProgress(c, 0.3);
            awaitCheckpoint(c);
            await().atMost(Duration.ofMinutes(1)).until(() -> committedRecords(c) > 0);
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no last checkpoint
        }

        String emptyFolder = Files.createDirectories(dir.resolve("no-checkpoints"))
                .toAbsolutePath()
                .toString();
        Path refusedConfig = dir.resolve("no-checkpoints.yaml");
        Files.writeString(refusedConfig, Files.readString(config).replace(c.job.checkpointDir, emptyFolder));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Cli.run(err, "run", "--config", refusedConfig.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("consumer group " + c.kafka.groupId + " has read")
                .contains(Path.of(emptyFolder, c.kafka.groupId) + " holds no checkpoint")
                .contains("--fresh");

        play(c, month.between(middleOfTheMonth(), Long.MAX_VALUE));
        Path secondLog = dir.resolve("second-run.log");
        Process second = runAsProcess(config, secondLog);
        try {
            awaitTruth(c, month, null, () -> {});
            assertThat(Files.readString(secondLog))
                    .contains("Resuming from the newest checkpoint, " + JobLauncher.checkpointDir(c));
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    private static long middleOfTheMonth() {
        return profile.month()
                .atDay(16)
                .atStartOfDay(profile.zone())
                .toInstant()
                .toEpochMilli();
    }

    /** Topics of the scenario's own, for a month played in parts. */
    private static HotlineConfig withOwnTopics(HotlineConfig c) {
        c.kafka.callsTopic = c.kafka.groupId + "-calls";
        c.kafka.ticketsTopic = c.kafka.groupId + "-tickets";
        LocalKafka.createTopics(c.kafka.bootstrapServers, Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2));
        return c;
    }

    /** The configuration as a file, for a job started as its own process or on a cluster. */
    static Path configFile(HotlineConfig c, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "kafka:",
                        "  bootstrap_servers: " + c.kafka.bootstrapServers,
                        "  calls_topic: " + c.kafka.callsTopic,
                        "  tickets_topic: " + c.kafka.ticketsTopic,
                        "  alerts_topic: " + c.kafka.alertsTopic,
                        "  group_id: " + c.kafka.groupId,
                        "clickhouse:",
                        "  url: " + c.clickhouse.url,
                        "  database: " + c.clickhouse.database,
                        "job:",
                        "  parallelism: " + c.job.parallelism,
                        "  checkpoint_interval_seconds: " + c.job.checkpointIntervalSeconds,
                        "  checkpoint_dir: " + Path.of(c.job.checkpointDir).toAbsolutePath(),
                        ""));
        return file.toAbsolutePath();
    }

    /** {@code hotline run --config FILE} in a JVM of its own, as the launcher starts it. */
    private static Process runAsProcess(Path config, Path log) throws IOException {
        Path scratch = Files.createDirectories(log.toAbsolutePath().getParent().resolve("tmp"));
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "@" + Path.of("..", "deploy", "jvm.options").toAbsolutePath(),
                        "-Xmx1g",
                        "-Djava.io.tmpdir=" + scratch,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Hotline.class.getName(),
                        "run",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static long committedRecords(HotlineConfig c) throws Exception {
        try (var admin = LocalKafka.admin(c.kafka.bootstrapServers)) {
            return admin
                    .listConsumerGroupOffsets(c.kafka.groupId)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .values()
                    .stream()
                    .filter(o -> o != null)
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    @Test
    void cancelledAfterASavepointAndResumedFromIt() throws Exception {
        HotlineConfig c = scenario("recovery_savepoint");
        JobClient job = start(c, null, KafkaSources.alerts(c.kafka));
        awaitProgress(c, 0.3);
        String savepoint = job.triggerSavepoint(
                        WORK.resolve("savepoints").toAbsolutePath().toUri().toString(), SavepointFormatType.CANONICAL)
                .get(1, TimeUnit.MINUTES);
        awaitProgress(c, 0.5); // more is written after the savepoint, and written again after the restart
        job.cancel().get(1, TimeUnit.MINUTES);

        awaitTruth(c, start(c, savepoint, KafkaSources.alerts(c.kafka)));
    }

    @Test
    void aTaskThatFailsIsRestartedFromTheLastCheckpoint() throws Exception {
        HotlineConfig c = scenario("recovery_task_failure");
        FailingOnce.THROWN.set(false);
        FailingOnce.SEEN.set(0);
        JobClient job = start(c, null, new FailingOnce(20));
        awaitTruth(c, job);
        assertThat(FailingOnce.THROWN).as("the injected failure happened").isTrue();
    }

    @Test
    void clickHouseDownForThirtySeconds() throws Exception {
        HotlineConfig c = scenario("recovery_clickhouse_down");
        Path dir = WORK.resolve("clickhouse-down");
        int http = Ports.free();
        int tcp = Ports.free();
        LocalClickHouse own = LocalClickHouse.start(dir, http, tcp);
        try {
            c.clickhouse.url = own.httpUrl();
            prepare(c, profile);
            JobClient job = start(c, null, KafkaSources.alerts(c.kafka));
            awaitProgress(c, 0.3);
            own.close();
            Thread.sleep(30_000);
            own = LocalClickHouse.start(dir, http, tcp);
            awaitTruth(c, job);
        } finally {
            own.close();
        }
    }

    @Test
    void kafkaBrokerRestarted() throws Exception {
        HotlineConfig c = scenario("recovery_kafka_restart");
        Path dir = WORK.resolve("kafka-restart");
        Path log = dir.resolve("broker.log");
        int broker = Ports.free();
        int controller = Ports.free();
        LocalKafka own = LocalKafka.spawn(dir, log, broker, controller);
        try {
            c.kafka.bootstrapServers = own.bootstrapServers();
            LocalKafka.createTopics(
                    c.kafka.bootstrapServers,
                    Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2, c.kafka.alertsTopic, 1));
            play(c, month);
            JobClient job = start(c, null, KafkaSources.alerts(c.kafka));
            awaitProgress(c, 0.3);
            own.close();
            Thread.sleep(5_000);
            own = LocalKafka.spawn(dir, log, broker, controller);
            awaitTruth(c, job, "duplicate");
        } finally {
            own.close();
        }
    }

    /** A scenario's configuration: the played topics, a database, consumer group and checkpoint folder of its own. */
    private static HotlineConfig scenario(String name) throws IOException {
        HotlineConfig c = SharedServices.config(name);
        c.kafka.callsTopic = played.kafka.callsTopic;
        c.kafka.ticketsTopic = played.kafka.ticketsTopic;
        c.job.checkpointDir =
                WORK.resolve(name).resolve("checkpoints").toAbsolutePath().toString();
        LocalRuntime.deleteRecursively(Path.of(c.job.checkpointDir));
        prepare(c, profile);
        return c;
    }

    /** The schema, and the units and office inputs the report and the alert rules read. */
    static void prepare(HotlineConfig c, Profile profile) {
        JobLauncher.migrate(c.clickhouse, s -> {});
        try (ClickHouseSql ch = sql(c)) {
            OfficeInputs.load(ch, c.clickhouse.database, profile);
        }
    }

    static JobClient start(HotlineConfig c, String restoreFrom, Sink<Alert> alertEvents) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RunCommand.Restore restore = RunCommand.Restore.from(restoreFrom);
        restore.apply(env);
        // Live (unbounded), as in production: a bounded Kafka source restored from state never finishes
        // (FLINK-31006), and a live job is what gets restarted in real life.
        JobLauncher.build(env, c, KafkaSources.Reading.LIVE, alertEvents);
        return env.executeAsync("hotline");
    }

    /**
     * The month, then on every partition a call and a ticket an hour into the next month: they carry the
     * watermark past the month (a live job's watermark otherwise stays at its last event), so that every
     * minute and every ticket step of the month is final.
     */
    static void play(HotlineConfig c, MonthSimulator.Month m) throws Exception {
        playEvents(c, m);
        EventWriter writer = new EventWriter(m.profile().zone());
        ObjectNode call = (ObjectNode) JSON.readTree(writer.write(m.calls().get(0)));
        ObjectNode ticket = (ObjectNode) JSON.readTree(writer.write(m.tickets().stream()
                .filter(t -> t.type() == TicketEventType.CREATED)
                .findFirst()
                .orElseThrow()));
        try (CheckedProducer p = new CheckedProducer(
                new Properties(), c.kafka.bootstrapServers, List.of(c.kafka.callsTopic, c.kafka.ticketsTopic))) {
            for (int partition = 0; partition < 2; partition++) {
                String id = "after-the-month-" + partition;
                call.put("event_id", id).put("call_id", id).put("event_time", AFTER_THE_MONTH);
                ticket.put("event_id", id).put("ticket_id", id).put("event_time", AFTER_THE_MONTH);
                p.send(c.kafka.callsTopic, partition, id, call.toString());
                p.send(c.kafka.ticketsTopic, partition, id, ticket.toString());
            }
            p.finish();
        }
    }

    /** Copies sent of events already sent, per broker and calls topic: each must end in the dead letters as a duplicate. */
    static final Map<String, Long> COPIES_SENT = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The events as a real source sends them: one in twenty up to 20 s out of order (within the watermark's
     * 30 s bound) and one in two hundred sent again up to ten minutes later, so that disorder and redeliveries
     * cross every restart point. Every send is checked.
     */
    static void playEvents(HotlineConfig c, MonthSimulator.Month m) throws Exception {
        EventWriter writer = new EventWriter(m.profile().zone());
        Random random = new Random(m.size());
        List<Send> sends = new ArrayList<>();
        long copies = 0;
        for (int i = 0; i < m.size(); i++) {
            boolean call = i < m.calls().size();
            long time = call
                    ? m.calls().get(i).eventTimeMs()
                    : m.tickets().get(i - m.calls().size()).eventTimeMs();
            String topic = call ? c.kafka.callsTopic : c.kafka.ticketsTopic;
            String key = call
                    ? m.calls().get(i).callId()
                    : m.tickets().get(i - m.calls().size()).ticketId();
            String payload = call
                    ? writer.write(m.calls().get(i))
                    : writer.write(m.tickets().get(i - m.calls().size()));
            sends.add(new Send(time + (random.nextInt(20) == 0 ? random.nextInt(20_000) : 0), topic, key, payload));
            if (random.nextInt(200) == 0) {
                sends.add(new Send(time + random.nextInt(600_000), topic, key, payload));
                copies++;
            }
        }
        sends.sort(Comparator.comparingLong(Send::at)); // stable: same time, same order as generated
        try (CheckedProducer p = new CheckedProducer(
                new Properties(), c.kafka.bootstrapServers, List.of(c.kafka.callsTopic, c.kafka.ticketsTopic))) {
            sends.forEach(send -> p.send(send.topic(), send.key(), send.payload()));
            assertThat(p.finish().total()).isEqualTo(sends.size());
        }
        COPIES_SENT.merge(copiesKey(c), copies, Long::sum);
    }

    /** One record to send, at {@code at} in the played order. */
    private record Send(long at, String topic, String key, String payload) {}

    private static String copiesKey(HotlineConfig c) {
        return c.kafka.bootstrapServers + "/" + c.kafka.callsTopic;
    }

    /** Waits until ClickHouse holds the truth (asserting it), then cancels the live job. */
    private static void awaitTruth(HotlineConfig c, JobClient job) throws Exception {
        awaitTruth(c, job, null);
    }

    /** The same, allowing dead letters of one reason: a restarted broker may hand a consumer records it had (redeliveries). */
    private static void awaitTruth(HotlineConfig c, JobClient job, String allowedDeadLetters) throws Exception {
        awaitTruth(c, month, allowedDeadLetters, () -> job.cancel().get(1, TimeUnit.MINUTES));
    }

    interface Cancel {
        void run() throws Exception;
    }

    static void awaitTruth(HotlineConfig c, MonthSimulator.Month m, String allowedDeadLetters, Cancel cancel)
            throws Exception {
        try {
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertTruth(c, m, allowedDeadLetters));
            assertSameOutcome(c);
        } finally {
            cancel.run();
        }
    }

    /** The alerts and ticket states the first scenario to finish ended with: every other one must end the same. */
    private static String firstOutcome;

    /**
     * Whatever went wrong on the way, the month's alerts (every row: rule, key, state, severity, value, time) and
     * every ticket's final state are those of every other run: alerts are judged on final figures in event-time
     * order, so a restore, a restart or a redelivery cannot change them.
     */
    static void assertSameOutcome(HotlineConfig c) throws Exception {
        String outcome = outcome(c);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) { // settled: the same twice, a few flushes apart
            Thread.sleep(3_000);
            String again = outcome(c);
            if (again.equals(outcome)) {
                break;
            }
            outcome = again;
        }
        synchronized (RecoveryITCase.class) {
            if (firstOutcome == null) {
                firstOutcome = outcome;
            }
        }
        assertThat(outcome)
                .as("alerts and ticket states of " + c.clickhouse.database)
                .isEqualTo(firstOutcome)
                .contains("backlog\t", "emerging_hotspot\t", "bouncing_ticket\t");
    }

    private static String outcome(HotlineConfig c) {
        String db = c.clickhouse.database;
        try (ClickHouseSql ch = sql(c)) {
            StringBuilder all = new StringBuilder();
            for (JsonNode r : ch.rows(
                    "SELECT rule, alert_key, state, severity, toString(value) AS v, toString(event_time) AS t FROM "
                            + db
                            + ".alerts FINAL WHERE event_time < toDateTime('2023-10-01 00:00:00', 'Asia/Shanghai') "
                            + "ORDER BY rule, alert_key, t, state")) {
                all.append(String.join(
                                "\t",
                                r.get("rule").asText(),
                                r.get("alert_key").asText(),
                                r.get("state").asText(),
                                r.get("severity").asText(),
                                r.get("v").asText(),
                                r.get("t").asText()))
                        .append('\n');
            }
            JsonNode states = ch.rows(
                            "SELECT count() AS n, toString(sum(cityHash64(ticket_id, status, unit_id, toString(dispatches), "
                                    + "ifNull(toString(due_time), ''), toString(overdue), ifNull(toString(completed_at), ''), "
                                    + "ifNull(toString(on_time), ''), toString(extended), toString(contacted)))) AS h FROM "
                                    + db
                                    + ".ticket_state FINAL")
                    .get(0);
            return all.append("ticket states: ")
                    .append(states.get("n").asText())
                    .append(", fingerprint ")
                    .append(states.get("h").asText())
                    .toString();
        }
    }

    private static void awaitProgress(HotlineConfig c, double share) {
        awaitProgress(c, month, share);
    }

    static void awaitProgress(HotlineConfig c, MonthSimulator.Month month, double share) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> rawCalls(c) >= share * month.calls().size());
    }

    private static long rawCalls(HotlineConfig c) {
        try (ClickHouseSql ch = sql(c)) {
            return ch.count("SELECT count() FROM " + c.clickhouse.database + ".call_events");
        }
    }

    private static void awaitCheckpoint(HotlineConfig c) {
        await().atMost(Duration.ofMinutes(1)).until(() -> latestCheckpoint(c) != null);
    }

    /** The newest completed checkpoint under the scenario's checkpoint folder, as the run command finds it. */
    static String latestCheckpoint(HotlineConfig c) {
        Checkpoints.Found newest = Checkpoints.newest(JobLauncher.checkpointDir(c));
        return newest == null ? null : newest.path().toUri().toString();
    }

    /**
     * ClickHouse holds the published month exactly, every generated event once, and in the dead letters exactly the
     * copies sent, as duplicates ({@code allowedDeadLetters} "duplicate": at least those, a restarted broker
     * redelivering records).
     */
    static void assertTruth(HotlineConfig c, MonthSimulator.Month month, String allowedDeadLetters) throws Exception {
        String db = c.clickhouse.database;
        JsonNode published = JSON.readTree(ReplayITCase.resource(PROFILE, "month.json"));
        try (ClickHouseSql ch = sql(c)) {
            JsonNode report = new MonthReport(ch, db)
                    .build(
                            YearMonth.parse(published.get("month").asText()),
                            published.at("/tickets/hotspot_categories").size());
            assertMatches(report, published, unitsCsv(PROFILE));
            // the rolling figures kept across the restarts: all time city-wide is the month (its tickets are all in it)
            ReplayITCase.assertRollingTickets(ch, db, published, "total", 0);
            String inMonth = " FINAL WHERE event_time < toDateTime('2023-10-01 00:00:00', 'Asia/Shanghai')";
            assertThat(ch.count("SELECT count() FROM " + db + ".call_events" + inMonth))
                    .isEqualTo(month.calls().size());
            assertThat(ch.count("SELECT count() FROM " + db + ".ticket_events" + inMonth))
                    .isEqualTo(month.tickets().size());
            assertThat(ch.count("SELECT count() FROM " + db + ".call_events FINAL"))
                    .isEqualTo(month.calls().size() + 2);
            assertThat(ch.count("SELECT count() FROM " + db + ".dead_letters FINAL WHERE reason != 'duplicate'"))
                    .as("dead letters")
                    .isZero();
            long duplicates = ch.count("SELECT count() FROM " + db + ".dead_letters FINAL WHERE reason = 'duplicate'");
            long copies = COPIES_SENT.getOrDefault(copiesKey(c), 0L);
            assertThat(copies).as("copies sent").isPositive();
            if ("duplicate".equals(allowedDeadLetters)) {
                assertThat(duplicates)
                        .as("duplicates: the copies sent, and redeliveries")
                        .isGreaterThanOrEqualTo(copies);
            } else {
                assertThat(duplicates).as("duplicates: the copies sent").isEqualTo(copies);
            }
        }
    }

    private static ClickHouseSql sql(HotlineConfig c) {
        return new ClickHouseSql(c.clickhouse.url, "default", "");
    }

    /** Stands in for the alerts topic: throws once, at the n-th alert, as a failing task would. */
    static final class FailingOnce implements Sink<Alert> {
        static final AtomicBoolean THROWN = new AtomicBoolean();
        static final AtomicInteger SEEN = new AtomicInteger();
        private final int n;

        FailingOnce(int n) {
            this.n = n;
        }

        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context ctx) {
                    if (SEEN.incrementAndGet() >= n && THROWN.compareAndSet(false, true)) {
                        throw new IllegalStateException("injected failure at alert " + n);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
