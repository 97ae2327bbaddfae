package org.hotline.jobs.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.deploy.LocalClickHouse;
import org.hotline.deploy.Ports;
import org.hotline.events.EventParser;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.tickets.OldestOpen;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.Migrator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sink contract, which both writers ({@code clickhouse.writer: native | jdbc}) must keep, on a real
 * ClickHouse server and a Flink MiniCluster: every field arrives as given; a restart from a checkpoint
 * writes rows again but no key twice; a checkpoint writes what is waiting; a server down and back loses
 * nothing. The truth is the rows the test generated, read back by key.
 */
@ExtendWith(SharedServices.class)
class ClickHouseWritersITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final long SEPT_1 = 1_693_497_600_000L; // 2023-09-01T00:00+08:00

    /** Row {@code i} of a generated stream: a dead letter keyed by its offset. */
    static DeadLetter letter(long i) {
        return new DeadLetter(
                "calls",
                (int) (i % 2),
                i,
                "{\"n\": " + i + ", \"note\": \"tab\\there, 换行\\n\"}\t\\",
                "invalid",
                i % 3 == 0 ? null : "event_time",
                "message " + i,
                i % 5 == 0 ? null : SEPT_1 + i * 1000,
                SEPT_1 + i * 1000);
    }

    @ParameterizedTest
    @EnumSource(ClickHouseSinks.Writer.class)
    void everyFieldArrivesAsGiven(ClickHouseSinks.Writer writer) throws Exception {
        String db = database("fields", writer);
        ClickHouseSinks sinks = sinks(writer, SharedServices.clickhouse().httpUrl(), db, 100, 200);
        List<DeadLetter> letters = new ArrayList<>();
        for (long i = 0; i < 250; i++) {
            letters.add(letter(i));
        }
        List<Sourced<TicketEvent>> tickets = sampleTickets();

        // doubles: fractions, extremes, and what no rate should be but a writer must not choke on
        double[] doubles = {93.52, -0.5, 1e-9, 1.7976931348623157e308, Double.NaN, Double.POSITIVE_INFINITY};
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < doubles.length; i++) {
            alerts.add(new Alert(
                    "connection_rate",
                    "line-" + i,
                    "",
                    "",
                    "",
                    "",
                    "warning",
                    "firing",
                    doubles[i],
                    90.0,
                    SEPT_1,
                    null,
                    SEPT_1 + i * 1000,
                    i == 0 ? "2023-09-01 08:00 T-1, \"a\"\t'b'\\ (+2)" : null));
        }

        StreamExecutionEnvironment env = env(1);
        env.fromData(letters).sinkTo(sinks.deadLetters());
        env.fromData(tickets).sinkTo(sinks.ticketEvents());
        env.fromData(alerts).sinkTo(sinks.alerts());
        // due times: whole seconds (the milliseconds dropped), and none
        env.fromData(List.of(
                        new OldestOpen.Row("U1", SEPT_1, new long[] {SEPT_1 + 3_600_000L, SEPT_1 + 7_200_999L}, 1),
                        new OldestOpen.Row("U2", null, new long[0], 1)))
                .sinkTo(sinks.oldestOpen());
        env.execute("writers-fields-" + writer);

        try (ClickHouseSql ch = sql()) {
            List<JsonNode> rows = ch.rows("SELECT kafka_partition, kafka_offset, payload, field, message,"
                    + " toUnixTimestamp(event_time) AS t, toUnixTimestamp(seen_at) AS seen FROM " + db
                    + ".dead_letters FINAL ORDER BY kafka_offset");
            assertThat(rows).hasSize(letters.size());
            for (int i = 0; i < rows.size(); i++) {
                DeadLetter d = letters.get(i);
                JsonNode r = rows.get(i);
                assertThat(r.get("kafka_offset").asLong()).isEqualTo(d.offset());
                assertThat(r.get("kafka_partition").asInt()).isEqualTo(d.partition());
                assertThat(r.get("payload").asText()).isEqualTo(d.payload());
                assertThat(r.get("field").asText()).isEqualTo(d.field() == null ? "" : d.field());
                assertThat(r.get("message").asText()).isEqualTo(d.message());
                assertThat(r.get("t").isNull() ? null : r.get("t").asLong() * 1000)
                        .isEqualTo(d.eventTimeMs());
                assertThat(r.get("seen").asLong() * 1000).isEqualTo(d.seenAtMs());
            }

            assertThat(ch.rows("SELECT unit_id, toString(arrayMap(d -> toUnixTimestamp(d), open_due)) AS due FROM " + db
                            + ".unit_open_since FINAL ORDER BY unit_id"))
                    .extracting(
                            r -> r.get("unit_id").asText() + " " + r.get("due").asText())
                    .containsExactly("U1 [" + (SEPT_1 / 1000 + 3600) + "," + (SEPT_1 / 1000 + 7200) + "]", "U2 []");

            List<JsonNode> stored = ch.rows("SELECT alert_key, toString(value) AS v, threshold, detail,"
                    + " toUnixTimestamp(window_start) AS ws, window_end IS NULL AS open FROM " + db
                    + ".alerts FINAL ORDER BY alert_key");
            assertThat(stored).hasSize(alerts.size());
            for (int i = 0; i < stored.size(); i++) {
                JsonNode r = stored.get(i);
                assertThat(r.get("alert_key").asText()).isEqualTo("line-" + i);
                assertThat(r.get("detail").asText())
                        .isEqualTo(
                                alerts.get(i).detail() == null
                                        ? ""
                                        : alerts.get(i).detail());
                // boxed: Double.equals holds NaN equal to NaN
                Double value = Double.valueOf(
                        r.get("v").asText().replace("inf", "Infinity").replace("nan", "NaN"));
                assertThat(value).as("value of line-" + i).isEqualTo(Double.valueOf(doubles[i]));
                assertThat(r.get("threshold").asDouble()).isEqualTo(90.0);
                assertThat(r.get("ws").asLong() * 1000).isEqualTo(SEPT_1);
                assertThat(r.get("open").asInt()).isEqualTo(1);
            }

            List<JsonNode> events = ch.rows("SELECT event_id, ticket_id, category, unit_id, tags,"
                    + " toUnixTimestamp(event_time) AS t, toUnixTimestamp(due_time) AS due, satisfied FROM " + db
                    + ".ticket_events FINAL ORDER BY event_id");
            assertThat(events).hasSize(tickets.size());
            for (JsonNode r : events) {
                TicketEvent e = tickets.stream()
                        .map(Sourced::event)
                        .filter(t -> t.eventId().equals(r.get("event_id").asText()))
                        .findFirst()
                        .orElseThrow();
                assertThat(r.get("ticket_id").asText()).isEqualTo(e.ticketId());
                assertThat(r.get("category").asText()).isEqualTo(nullToEmpty(e.category()));
                assertThat(r.get("unit_id").asText()).isEqualTo(nullToEmpty(e.unitId()));
                List<String> tags = new ArrayList<>();
                r.get("tags").forEach(t -> tags.add(t.asText()));
                assertThat(tags).containsExactly(e.tags() == null ? new String[0] : e.tags());
                assertThat(r.get("t").asLong() * 1000).isEqualTo(e.eventTimeMs());
                assertThat(r.get("due").isNull() ? null : r.get("due").asLong() * 1000)
                        .isEqualTo(e.dueTimeMs());
                assertThat(
                                r.get("satisfied").isNull()
                                        ? null
                                        : r.get("satisfied").asInt() == 1)
                        .isEqualTo(e.satisfied());
            }
        }
    }

    /** Thrown once per test, after the job has checkpointed and written rows past the checkpoint. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @ParameterizedTest
    @EnumSource(ClickHouseSinks.Writer.class)
    void aRestartFromACheckpointWritesNoKeyTwice(ClickHouseSinks.Writer writer) throws Exception {
        String db = database("restart", writer);
        ClickHouseSinks sinks = sinks(writer, SharedServices.clickhouse().httpUrl(), db, 50, 100);
        long n = 3_000;
        FAILED.set(false);
        StreamExecutionEnvironment env = env(1);
        letters(env, n, 600)
                .map(d -> {
                    if (d.offset() == 2_000 && FAILED.compareAndSet(false, true)) {
                        throw new IllegalStateException("injected failure at row 2000");
                    }
                    return d;
                })
                .sinkTo(sinks.deadLetters());
        env.execute("writers-restart-" + writer);

        assertThat(FAILED).as("the injected failure happened").isTrue();
        assertExactly(SharedServices.clickhouse().httpUrl(), db, n);
    }

    @ParameterizedTest
    @EnumSource(ClickHouseSinks.Writer.class)
    void aCheckpointWritesWhatIsWaiting(ClickHouseSinks.Writer writer) throws Exception {
        String db = database("checkpoint", writer);
        // Neither the batch size nor a timer sends these rows: only the checkpoint does.
        ClickHouseSinks sinks = sinks(writer, SharedServices.clickhouse().httpUrl(), db, 1_000_000, 0);
        long n = 300;
        StreamExecutionEnvironment env = env(1);
        env.fromSource(
                        new DataGeneratorSource<>(
                                ClickHouseWritersITCase::letter,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(1_000),
                                TypeInformation.of(DeadLetter.class)),
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(),
                        "letters")
                .filter(d -> d.offset() < n)
                .sinkTo(sinks.deadLetters());
        JobClient job = env.executeAsync("writers-checkpoint-" + writer);
        try {
            // the job never ends: the rows can only have come from a checkpoint's flush
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> assertExactly(SharedServices.clickhouse().httpUrl(), db, n));
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            job.cancel().get();
        }
    }

    @ParameterizedTest
    @EnumSource(ClickHouseSinks.Writer.class)
    void aServerDownAndBackLosesNothing(ClickHouseSinks.Writer writer) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "writers")).resolve("down-" + writer);
        int http = Ports.free();
        int tcp = Ports.free();
        LocalClickHouse own = LocalClickHouse.start(dir, http, tcp);
        try {
            String db = "writers_down";
            migrate(own.httpUrl(), db);
            ClickHouseSinks sinks = sinks(writer, own.httpUrl(), db, 50, 100);
            long n = 4_000;
            StreamExecutionEnvironment env = env(1);
            letters(env, n, 400).sinkTo(sinks.deadLetters());
            JobClient job = env.executeAsync("writers-down-" + writer);
            String url = own.httpUrl();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(url, db) >= 800);
            own.close();
            Thread.sleep(5_000);
            own = LocalClickHouse.start(dir, http, tcp);
            job.getJobExecutionResult().get();
            assertExactly(url, db, n);
        } finally {
            own.close();
        }
    }

    // --- helpers

    /** Rows 0..n-1 at {@code perSecond}, from a source that resumes where its checkpoint left it. */
    static DataStream<DeadLetter> letters(StreamExecutionEnvironment env, long n, double perSecond) {
        return env.fromSource(
                new DataGeneratorSource<>(
                        ClickHouseWritersITCase::letter,
                        n,
                        RateLimiterStrategy.perSecond(perSecond),
                        TypeInformation.of(DeadLetter.class)),
                org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(),
                "letters");
    }

    /** The table holds rows 0..n-1, each key once, with its own values. */
    static void assertExactly(String url, String db, long n) {
        try (ClickHouseSql ch = new ClickHouseSql(url, "default", "")) {
            JsonNode r = ch.rows("SELECT count() AS rows, uniqExact(kafka_offset) AS keys, sum(kafka_offset) AS total,"
                            + " sum(toUnixTimestamp(seen_at) - " + SEPT_1 / 1000 + " = kafka_offset) AS matching"
                            + " FROM (SELECT kafka_offset, seen_at FROM " + db + ".dead_letters FINAL)")
                    .get(0);
            assertThat(r.get("keys").asLong()).as("distinct keys").isEqualTo(n);
            assertThat(r.get("rows").asLong()).as("rows read with FINAL").isEqualTo(n);
            assertThat(r.get("total").asLong()).as("sum of the keys").isEqualTo(n * (n - 1) / 2);
            assertThat(r.get("matching").asLong())
                    .as("rows whose values are their key's")
                    .isEqualTo(n);
        }
    }

    static long count(String url, String db) {
        try (ClickHouseSql ch = new ClickHouseSql(url, "default", "")) {
            return ch.count("SELECT count() FROM " + db + ".dead_letters");
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static StreamExecutionEnvironment env(int parallelism) {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(parallelism);
        env.enableCheckpointing(500);
        return env;
    }

    static ClickHouseSinks sinks(ClickHouseSinks.Writer writer, String url, String db, int batch, long intervalMs) {
        return new ClickHouseSinks(writer, url, db, "default", "", batch, intervalMs);
    }

    static String database(String test, ClickHouseSinks.Writer writer) {
        String db = "writers_" + test + "_" + writer.name().toLowerCase();
        migrate(SharedServices.clickhouse().httpUrl(), db);
        return db;
    }

    static void migrate(String url, String db) {
        try (ClickHouseSql ch = new ClickHouseSql(url, "default", "")) {
            ch.execute("DROP DATABASE IF EXISTS " + db);
            new Migrator(ch, db).migrate(step -> {});
        }
    }

    static ClickHouseSql sql() {
        return new ClickHouseSql(SharedServices.clickhouse().httpUrl(), "default", "");
    }

    /** The sample tickets a newcomer's demo sends: text in Chinese, tags, due times, satisfaction. */
    static List<Sourced<TicketEvent>> sampleTickets() throws IOException {
        List<Sourced<TicketEvent>> events = new ArrayList<>();
        long offset = 0;
        List<String> lines =
                new ArrayList<>(Files.readAllLines(Path.of("..", "deploy", "sample-events", "tickets.jsonl"), UTF_8));
        for (boolean satisfied : new boolean[] {true, false}) {
            lines.add("{\"event_id\": \"t-1-callback-" + satisfied + "\", \"schema_version\": 1,"
                    + " \"event_type\": \"callback\", \"event_time\": \"2023-09-07T10:00:00+08:00\","
                    + " \"ticket_id\": \"t-1\", \"callback_source\": \"system\", \"satisfied\": " + satisfied + "}");
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            TicketEvent e = EventParser.parseTicket(line.getBytes(UTF_8)).event();
            assertThat(e).as(line).isNotNull();
            events.add(new Sourced<>("tickets", 0, offset++, e, line, null));
        }
        assertThat(events)
                .extracting(s -> s.event().tags())
                .anySatisfy(t -> assertThat(t).isNotEmpty());
        assertThat(events).extracting(s -> s.event().satisfied()).contains(true, false);
        return events;
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
