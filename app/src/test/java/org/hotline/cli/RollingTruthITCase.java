package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalKafka;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.TicketStories;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rolling figures the wallboard reads equal the truth at given moments. A month of ticket stories goes through a
 * real broker, a live job on a MiniCluster (checkpointing) and a real ClickHouse; one event in thirty arrives up to 20
 * minutes late and one in a hundred twice. The month is sent in two parts, each ending with a marker ticket on every
 * partition, so that the watermark then stands at a known time W; between the parts the job is cancelled and resumed
 * from its last checkpoint. At each W, every row of {@code ticket_rolling} (the city and each unit; 15 minutes, the
 * hour, today, the month, all time) must equal the facts {@link TicketStories} wrote down from the stories themselves,
 * counted over the window the row states by its {@code as_of}, and {@code unit_open_since} the earliest assignment
 * still open at W.
 */
@ExtendWith(SharedServices.class)
class RollingTruthITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final long MINUTE = 60_000L;
    /** The watermark stands this far behind the latest event of a partition (the default out-of-orderness, minus 1 ms). */
    static final long BEHIND = 30_001L;

    @Test
    void rollingFiguresEqualTheTruthBeforeAndAfterARestart() throws Exception {
        HotlineConfig c = SharedServices.config("rolling_truth");
        c.kafka.callsTopic = c.kafka.groupId + "-calls";
        c.kafka.ticketsTopic = c.kafka.groupId + "-tickets";
        c.job.checkpointDir = Path.of("target", "rolling-truth", "checkpoints")
                .toAbsolutePath()
                .toString();
        LocalRuntime.deleteRecursively(Path.of(c.job.checkpointDir));
        LocalKafka.createTopics(c.kafka.bootstrapServers, Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2));
        JobLauncher.migrate(c.clickhouse, s -> {});

        TicketStories stories = new TicketStories(2023_16).generate(1500);
        List<TicketEvent> story = List.copyOf(stories.events);
        long w1 = TicketStories.MONTH_START
                + 15 * 24 * 60 * MINUTE
                + 12 * 60 * MINUTE
                + 7_777; // 16 Sept, just after noon
        long w2 = TicketStories.SENTINEL_TIME - BEHIND;
        List<TicketEvent> markers1 =
                List.of(stories.sentinel("marker-1-0", w1 + BEHIND), stories.sentinel("marker-1-1", w1 + BEHIND));
        List<TicketEvent> markers2 =
                List.of(stories.sentinel("marker-2-0", w2 + BEHIND), stories.sentinel("marker-2-1", w2 + BEHIND));

        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            send(c, story.stream().filter(e -> e.eventTimeMs() <= w1).toList(), w1, markers1, new Random(1));
            JobClient job = RecoveryITCase.start(c, null, KafkaSources.alerts(c.kafka));
            await().atMost(Duration.ofMinutes(3))
                    .untilAsserted(() -> assertRollingTruth(ch, c.clickhouse.database, stories, w1));
            String before = RecoveryITCase.latestCheckpoint(c);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> !java.util.Objects.equals(RecoveryITCase.latestCheckpoint(c), before));
            job.cancel().get(1, TimeUnit.MINUTES);

            send(c, story.stream().filter(e -> e.eventTimeMs() > w1).toList(), w2, markers2, new Random(2));
            JobClient resumed =
                    RecoveryITCase.start(c, RecoveryITCase.latestCheckpoint(c), KafkaSources.alerts(c.kafka));
            try {
                await().atMost(Duration.ofMinutes(3))
                        .untilAsserted(() -> assertRollingTruth(ch, c.clickhouse.database, stories, w2));
            } finally {
                resumed.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * The events in the order they arrive: one in thirty up to 20 minutes late, one in a hundred twice, none after
     * {@code until}; then a marker on each partition, the last record there.
     */
    static void send(HotlineConfig c, List<TicketEvent> events, long until, List<TicketEvent> markers, Random random) {
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long t = events.get(i).eventTimeMs();
            order.add(new long[] {
                random.nextDouble() < 1 / 30.0 ? Math.min(until, t + random.nextInt(20 * 60_000)) : t, i
            });
            if (random.nextDouble() < 0.01) {
                order.add(new long[] {Math.min(until, t + random.nextInt(60_000)), i});
            }
        }
        order.sort(Comparator.comparingLong((long[] o) -> o[0]).thenComparingLong(o -> o[1]));
        EventWriter writer = new EventWriter(TicketStories.CITY);
        try (CheckedProducer p =
                new CheckedProducer(new Properties(), c.kafka.bootstrapServers, List.of(c.kafka.ticketsTopic))) {
            for (long[] o : order) {
                TicketEvent e = events.get((int) o[1]);
                p.send(c.kafka.ticketsTopic, e.ticketId(), writer.write(e));
            }
            for (int partition = 0; partition < markers.size(); partition++) {
                TicketEvent e = markers.get(partition);
                p.send(c.kafka.ticketsTopic, partition, e.ticketId(), writer.write(e));
            }
            p.finish();
        }
    }

    /** Every rolling row equals the facts up to {@code w} in the window it states; every scope with facts has its rows. */
    static void assertRollingTruth(ClickHouseSql ch, String db, TicketStories stories, long w) {
        List<TicketStories.Expected> facts = stories.expected.stream()
                .filter(f -> f.timeMs() <= w
                        && (f.dimension().equals("all") || f.dimension().equals("unit")))
                .toList();
        StringBuilder columns = new StringBuilder();
        for (FactKind k : FactKind.values()) {
            columns.append(", ").append(k.column());
        }
        // A scope's rows are all worked out at each flush, as of its "now", and those whose figures changed are
        // written:
        // so every row of a scope equals the truth as of the latest as_of among them.
        List<JsonNode> rows = ch.rows("SELECT dimension, value, period, toUnixTimestamp(as_of) AS as_of" + columns
                + " FROM " + db + ".ticket_rolling FINAL");
        Map<String, Long> latest = new TreeMap<>();
        for (JsonNode r : rows) {
            latest.merge(
                    r.get("dimension").asText() + "|" + r.get("value").asText(),
                    r.get("as_of").asLong() * 1000,
                    Math::max);
        }
        Map<String, List<Long>> stored = new TreeMap<>();
        Map<String, List<Long>> truth = new TreeMap<>();
        for (JsonNode r : rows) {
            String scope = r.get("dimension").asText() + "|" + r.get("value").asText();
            String period = r.get("period").asText();
            long asOf = latest.get(scope);
            List<Long> values = new ArrayList<>();
            long[] counted = new long[FactKind.values().length];
            for (FactKind k : FactKind.values()) {
                values.add(r.get(k.column()).asLong());
            }
            for (TicketStories.Expected f : facts) {
                if (scope.equals(f.dimension() + "|" + f.value()) && inWindow(period, f.timeMs(), asOf)) {
                    counted[f.kind().ordinal()]++;
                }
            }
            String key = scope + " " + period + " as of "
                    + Instant.ofEpochMilli(asOf).atZone(TicketStories.CITY).toLocalDateTime();
            stored.put(key, values);
            truth.put(key, java.util.Arrays.stream(counted).boxed().toList());
        }
        assertThat(latest.keySet())
                .as("every scope with facts up to W has its rows")
                .containsAll(
                        facts.stream().map(f -> f.dimension() + "|" + f.value()).toList());
        List<String> wrong = new ArrayList<>();
        stored.forEach((key, values) -> {
            for (FactKind k : FactKind.values()) {
                long is = values.get(k.ordinal());
                long should = truth.get(key).get(k.ordinal());
                if (is != should) {
                    wrong.add(key + " " + k.column() + ": " + is + ", truth " + should);
                }
            }
        });
        assertThat(wrong)
                .as("ticket_rolling at W = %s, figures that differ from the truth", Instant.ofEpochMilli(w))
                .isEmpty();

        Map<String, Long> openSince = new TreeMap<>();
        for (TicketStories.Assignment a : stories.assignments) {
            if (a.start() <= w && (a.end() == null || a.end() > w)) {
                openSince.merge(a.unit(), a.start() / 1000, Math::min);
            }
        }
        Map<String, Long> storedSince = new TreeMap<>();
        for (JsonNode r : ch.rows("SELECT unit_id, toUnixTimestamp(assumeNotNull(oldest_open_since)) AS since FROM "
                + db + ".unit_open_since FINAL WHERE oldest_open_since IS NOT NULL")) {
            storedSince.put(r.get("unit_id").asText(), r.get("since").asLong());
        }
        assertThat(storedSince).as("each unit's oldest open ticket at W").isEqualTo(openSince);
    }

    /** Whether a fact at {@code t} counts in {@code period} as of the minute starting at {@code asOf} (the city's days). */
    static boolean inWindow(String period, long t, long asOf) {
        long minute = t - Math.floorMod(t, MINUTE);
        LocalDate day = Instant.ofEpochMilli(t).atZone(TicketStories.CITY).toLocalDate();
        LocalDate today = Instant.ofEpochMilli(asOf).atZone(TicketStories.CITY).toLocalDate();
        return switch (period) {
            case "15m" -> minute > asOf - 15 * MINUTE && minute <= asOf;
            case "1h" -> minute > asOf - 60 * MINUTE && minute <= asOf;
            case "today" -> day.equals(today) && minute <= asOf;
            case "month" -> YearMonth.from(day).equals(YearMonth.from(today)) && minute <= asOf;
            case "total" -> minute <= asOf;
            default -> throw new IllegalArgumentException(period);
        };
    }
}
