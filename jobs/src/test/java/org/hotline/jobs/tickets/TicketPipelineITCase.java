package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.config.HotlineConfig;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A month of tickets through a real broker, a MiniCluster and a real ClickHouse: every per-unit and
 * city-wide figure, per day and for the month, and each unit's backlog and overdue tickets at given
 * moments must equal the truth written down by {@link TicketStories} from the stories themselves.
 */
@ExtendWith(SharedServices.class)
class TicketPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final EventWriter WRITER = new EventWriter(TicketStories.CITY);
    static final List<FactKind> UNIT_COLUMNS = List.of(
            FactKind.DISPATCHES,
            FactKind.REJECTED,
            FactKind.RETURNED,
            FactKind.EXTENSIONS,
            FactKind.EXTENSIONS_REFUSED,
            FactKind.CONTACTS,
            FactKind.COMPLETED,
            FactKind.COMPLETED_ON_TIME,
            FactKind.COMPLETED_EXTENDED,
            FactKind.COMPLETED_CONTACTED,
            FactKind.SYS_CALLBACKS,
            FactKind.SYS_SATISFIED,
            FactKind.SPOT_CALLBACKS,
            FactKind.SPOT_SATISFIED,
            FactKind.OPENED,
            FactKind.CLOSED,
            FactKind.OVERDUE_OPENED,
            FactKind.OVERDUE_CLOSED);

    static HotlineConfig config;
    static TicketStories stories;
    static ClickHouseSql ch;
    static String db;
    static Set<String> expectedDeadLetters = new TreeSet<>();

    @BeforeAll
    static void replayAMonth() throws Exception {
        config = SharedServices.config("tickets_it");
        db = config.clickhouse.database;
        stories = new TicketStories(2023_09).generate(3000);
        List<TicketEvent> sentinels = List.of(stories.sentinel("sentinel-0"), stories.sentinel("sentinel-1"));

        // In event-time order, but one event in thirty arrives up to 20 minutes late, and one in a hundred twice.
        Random random = new Random(99);
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < stories.events.size(); i++) {
            long t = stories.events.get(i).eventTimeMs();
            order.add(new long[] {random.nextDouble() < 1 / 30.0 ? t + random.nextInt(20 * 60_000) : t, i});
            if (random.nextDouble() < 0.01) {
                order.add(new long[] {t + random.nextInt(60_000), i});
            }
        }
        order.sort(Comparator.comparingLong((long[] o) -> o[0]).thenComparingLong(o -> o[1]));
        Set<Long> seen = new java.util.HashSet<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<String> outcome = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka.bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (long[] o : order) {
                TicketEvent e = stories.events.get((int) o[1]);
                sent.add(producer.send(new ProducerRecord<>(config.kafka.ticketsTopic, e.ticketId(), WRITER.write(e))));
                outcome.add(!seen.add(o[1]) ? "duplicate" : stories.refused.contains(e) ? "invalid_step" : null);
            }
            for (int p = 0; p < 2; p++) { // the sentinels: one on each partition
                TicketEvent e = sentinels.get(p);
                sent.add(producer.send(
                        new ProducerRecord<>(config.kafka.ticketsTopic, p, e.ticketId(), WRITER.write(e))));
                outcome.add(null);
            }
        }
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata m = sent.get(i).get();
            if (outcome.get(i) != null) {
                expectedDeadLetters.add(m.partition() + "/" + m.offset() + " " + outcome.get(i));
            }
        }
        stories.events.addAll(sentinels);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobLauncher.start(env, config, KafkaSources.Reading.REPLAY, s -> {})
                .getJobExecutionResult()
                .get(5, TimeUnit.MINUTES);
        ch = new ClickHouseSql(config.clickhouse.url, "default", "");
    }

    static String day(long timeMs) {
        return Instant.ofEpochMilli(timeMs)
                .atZone(TicketStories.CITY)
                .toLocalDate()
                .toString();
    }

    static Map<String, Map<String, Long>> truthBy(
            String dimensionFilter,
            java.util.function.Function<TicketStories.Expected, String> key,
            Map<String, List<FactKind>> columns) {
        Map<String, Map<String, Long>> truth = new TreeMap<>();
        for (TicketStories.Expected e : stories.expected) {
            if (!dimensionFilter.equals(e.dimension())
                    && !(dimensionFilter.equals("city") && !e.dimension().equals("unit"))) {
                continue;
            }
            Map<String, Long> row = truth.computeIfAbsent(key.apply(e), k -> new TreeMap<>());
            columns.forEach((column, kinds) -> {
                if (kinds.contains(e.kind())) {
                    row.merge(column, 1L, Long::sum);
                }
            });
        }
        truth.values().removeIf(row -> row.isEmpty());
        truth.values().forEach(row -> columns.keySet().forEach(c -> row.putIfAbsent(c, 0L)));
        return truth;
    }

    static Map<String, Map<String, Long>> read(String sql, List<String> keyColumns, Set<String> columns) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (JsonNode r : ch.rows(sql)) {
            Map<String, Long> row = new TreeMap<>();
            columns.forEach(c -> row.put(c, r.get(c).asLong()));
            if (row.values().stream().allMatch(v -> v == 0)) {
                continue;
            }
            String key = String.join(
                    "|", keyColumns.stream().map(k -> r.get(k).asText()).toList());
            assertThat(out.put(key, row)).as("one row for %s", key).isNull();
        }
        return out;
    }

    static Map<String, List<FactKind>> unitColumns() {
        Map<String, List<FactKind>> columns = new TreeMap<>();
        UNIT_COLUMNS.forEach(k -> columns.put(k.column(), List.of(k)));
        return columns;
    }

    static Map<String, List<FactKind>> cityColumns() {
        Map<String, List<FactKind>> c = new TreeMap<>();
        c.put("created", List.of(FactKind.CREATED));
        c.put("resolved_online", List.of(FactKind.RESOLVED_ONLINE));
        c.put("dispatched", List.of(FactKind.DISPATCHED_TICKETS));
        c.put("completed", List.of(FactKind.COMPLETED));
        c.put("completed_on_time", List.of(FactKind.COMPLETED_ON_TIME));
        c.put("rejected", List.of(FactKind.REJECTED));
        c.put("returned", List.of(FactKind.RETURNED));
        c.put("callbacks", List.of(FactKind.SYS_CALLBACKS, FactKind.SPOT_CALLBACKS));
        c.put("satisfied", List.of(FactKind.SYS_SATISFIED, FactKind.SPOT_SATISFIED));
        return c;
    }

    @Test
    void everyUnitFigureOfEveryDayIsTheTruth() {
        Map<String, Map<String, Long>> truth = truthBy("unit", e -> day(e.timeMs()) + "|" + e.value(), unitColumns());
        Map<String, Map<String, Long>> stored = read(
                "SELECT * FROM " + db + ".unit_daily",
                List.of("day", "unit_id"),
                unitColumns().keySet());
        assertThat(stored).isEqualTo(truth);
        assertThat(truth).hasSizeGreaterThan(100);
    }

    @Test
    void everyCityWideFigureOfEveryDayAndSliceIsTheTruth() {
        Map<String, Map<String, Long>> truth =
                truthBy("city", e -> day(e.timeMs()) + "|" + e.dimension() + "|" + e.value(), cityColumns());
        Map<String, Map<String, Long>> stored = read(
                "SELECT * FROM " + db + ".city_daily",
                List.of("day", "dimension", "value"),
                cityColumns().keySet());
        assertThat(stored).isEqualTo(truth);
        assertThat(truth).hasSizeGreaterThan(500);
        assertThat(stored.keySet())
                .anyMatch(k -> k.contains("|tag|civilised_city"))
                .anyMatch(k -> k.contains("|channel|"));
    }

    @Test
    void theMonthsFiguresPerUnitAndCityWideAreTheTruth() {
        Map<String, List<FactKind>> unit = new TreeMap<>(Map.of(
                "tickets",
                List.of(FactKind.COMPLETED),
                "on_time",
                List.of(FactKind.COMPLETED_ON_TIME),
                "extended",
                List.of(FactKind.COMPLETED_EXTENDED),
                "contacted",
                List.of(FactKind.COMPLETED_CONTACTED),
                "rejects",
                List.of(FactKind.REJECTED),
                "returns",
                List.of(FactKind.RETURNED),
                "sys_callbacks",
                List.of(FactKind.SYS_CALLBACKS),
                "sys_satisfied",
                List.of(FactKind.SYS_SATISFIED),
                "spot_callbacks",
                List.of(FactKind.SPOT_CALLBACKS),
                "spot_satisfied",
                List.of(FactKind.SPOT_SATISFIED)));
        Map<String, Map<String, Long>> truth = truthBy("unit", e -> e.value(), unit);
        truth.clear();
        stories.expected.stream()
                .filter(e -> e.dimension().equals("unit") && day(e.timeMs()).startsWith("2023-09"))
                .forEach(e -> unit.forEach((column, kinds) -> {
                    Map<String, Long> row = truth.computeIfAbsent(e.value(), k -> new TreeMap<>());
                    unit.keySet().forEach(c -> row.putIfAbsent(c, 0L));
                    if (kinds.contains(e.kind())) {
                        row.merge(column, 1L, Long::sum);
                    }
                }));
        truth.values().removeIf(row -> row.values().stream().allMatch(v -> v == 0));
        Map<String, Map<String, Long>> stored = read(
                "SELECT * FROM " + db + ".unit_monthly WHERE month = '2023-09-01'", List.of("unit_id"), unit.keySet());
        assertThat(stored).isEqualTo(truth);

        Map<String, Long> city = new TreeMap<>();
        cityColumns().keySet().forEach(c -> city.put(c, 0L));
        stories.expected.stream()
                .filter(e -> e.dimension().equals("all") && day(e.timeMs()).startsWith("2023-09"))
                .forEach(e -> cityColumns().forEach((column, kinds) -> {
                    if (kinds.contains(e.kind())) {
                        city.merge(column, 1L, Long::sum);
                    }
                }));
        city.remove("rejected");
        city.remove("returned");
        Map<String, Map<String, Long>> storedCity = read(
                "SELECT * FROM " + db + ".city_monthly WHERE month = '2023-09-01' AND dimension = 'all'",
                List.of("dimension"),
                city.keySet());
        assertThat(storedCity).containsExactly(Map.entry("all", city));
        assertThat(city.get("completed")).isGreaterThan(500);
    }

    @Test
    void eachUnitsBacklogAndOverdueTicketsAtGivenMomentsAreTheTruth() {
        // at the start of a day: the history is kept per day
        for (String moment : List.of(
                "2023-09-03 00:00:00",
                "2023-09-10 00:00:00",
                "2023-09-17 00:00:00",
                "2023-09-24 00:00:00",
                "2023-10-01 00:00:00",
                "2023-10-15 00:00:00")) {
            long b = ZonedDateTime.parse(
                            moment.replace(' ', 'T') + "+08:00[Asia/Shanghai]", DateTimeFormatter.ISO_ZONED_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
            Map<String, List<Long>> truth = new TreeMap<>();
            for (TicketStories.Assignment a : stories.assignments) {
                boolean open = a.start() < b && (a.end() == null || a.end() >= b);
                if (open) {
                    List<Long> v = truth.computeIfAbsent(a.unit(), k -> new ArrayList<>(List.of(0L, 0L)));
                    v.set(0, v.get(0) + 1);
                    if (a.due() < b) {
                        v.set(1, v.get(1) + 1);
                    }
                }
            }
            Map<String, List<Long>> stored = new TreeMap<>();
            for (JsonNode r : ch.rows("SELECT value AS unit, sum(opened) - sum(closed) AS open, sum(overdue_opened) - "
                    + "sum(overdue_closed) AS overdue FROM " + db
                    + ".ticket_daily_metrics FINAL WHERE dimension = 'unit' "
                    + "AND day < toDate('" + moment.substring(0, 10) + "') GROUP BY unit")) {
                if (r.get("open").asLong() != 0 || r.get("overdue").asLong() != 0) {
                    stored.put(
                            r.get("unit").asText(),
                            List.of(r.get("open").asLong(), r.get("overdue").asLong()));
                }
            }
            assertThat(stored).as("backlog and overdue at %s", moment).isEqualTo(truth);
            assertThat(truth).as("units with a backlog at %s", moment).isNotEmpty();
        }
    }

    @Test
    void theBacklogNowAndWhereEachTicketStandsAreTheTruth() {
        Map<String, List<Long>> truth = new TreeMap<>();
        for (TicketStories.Assignment a : stories.assignments) {
            if (a.end() == null) {
                List<Long> v = truth.computeIfAbsent(a.unit(), k -> new ArrayList<>(List.of(0L, 0L, Long.MAX_VALUE)));
                v.set(0, v.get(0) + 1);
                v.set(1, v.get(1) + 1); // every open ticket's due time is behind the last event
                v.set(2, Math.min(v.get(2), a.start() / 1000));
            }
        }
        Map<String, List<Long>> stored = new TreeMap<>();
        for (JsonNode r :
                ch.rows("SELECT unit_id, open_backlog, overdue, toUnixTimestamp(oldest_open_since) AS since FROM " + db
                        + ".unit_backlog WHERE open_backlog != 0 OR overdue != 0")) {
            stored.put(
                    r.get("unit_id").asText(),
                    List.of(
                            r.get("open_backlog").asLong(),
                            r.get("overdue").asLong(),
                            r.get("since").asLong()));
        }
        assertThat(stored).isEqualTo(truth);

        Map<String, String> states = new TreeMap<>();
        for (JsonNode r : ch.rows("SELECT ticket_id, status, unit_id, dispatches FROM " + db + ".ticket_state FINAL")) {
            states.put(
                    r.get("ticket_id").asText(),
                    r.get("status").asText() + "|" + r.get("unit_id").asText() + "|"
                            + r.get("dispatches").asLong());
        }
        assertThat(states).isEqualTo(stories.finalState);
        assertThat(states.values()).anyMatch(s -> s.endsWith("|5"));
    }

    @Test
    void everyEventIsAcceptedOrKeptAsideWithItsReason() {
        Set<String> dead = new TreeSet<>();
        for (JsonNode r : ch.rows("SELECT kafka_partition, kafka_offset, reason FROM " + db + ".dead_letters FINAL")) {
            dead.add(r.get("kafka_partition").asInt() + "/"
                    + r.get("kafka_offset").asLong() + " " + r.get("reason").asText());
        }
        assertThat(dead).isEqualTo(expectedDeadLetters);
        assertThat(dead).anyMatch(d -> d.endsWith("invalid_step")).anyMatch(d -> d.endsWith("duplicate"));
        assertThat(ch.count("SELECT count() FROM " + db + ".ticket_events FINAL"))
                .isEqualTo(stories.events.size() - stories.refused.size());
    }
}
