package org.hotline.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.config.HotlineConfig;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.Channel;
import org.hotline.events.EventParser;
import org.hotline.events.EventWriter;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The foundation end to end, with real parts: a KRaft broker, a ClickHouse server and a Flink
 * MiniCluster. A few thousand call events (with disorder, duplicates and every kind of malformed
 * record) and some ticket events go in; ClickHouse must then hold exactly the truth computed here
 * from the generated events, and a second run over the same input must change nothing.
 */
@ExtendWith(SharedServices.class)
class CallPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
    static final EventWriter WRITER = new EventWriter(CITY);
    static final List<String> LINES = List.of("12345", "12345-business", "12345-deputy");
    static final List<String> REGIONS = List.of("雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市");

    /** A record to send and what must become of it: counted, or a dead letter with this reason. */
    record Planned(String topic, String key, byte[] value, long sendOrder, String deadReason, Object event) {}

    record Placed(Planned planned, int partition, long offset) {}

    final List<Planned> plan = new ArrayList<>();
    final Random random = new Random(12345);

    @ParameterizedTest(name = "clickhouse.writer: {0}")
    @ValueSource(strings = {"native", "jdbc"})
    void clickHouseHoldsExactlyTheTruthAndASecondRunChangesNothing(String writer) throws Exception {
        HotlineConfig config = SharedServices.config("calls_it_" + writer);
        config.clickhouse.writer = writer; // every table the job writes, through this writer
        List<CallEvent> counted = generateCalls(config.kafka.callsTopic, 1200);
        List<TicketEvent> tickets = generateTickets(config.kafka.ticketsTopic, 250);
        addMalformed(config.kafka.callsTopic, config.kafka.ticketsTopic);
        List<Placed> placed = produce(config);

        runToTheEnd(config);
        Snapshot first = Snapshot.read(config);
        first.assertMatches(truthOf(counted), counted, tickets, placed);

        runToTheEnd(config);
        Snapshot second = Snapshot.read(config);
        assertThat(second).isEqualTo(first);
    }

    // ---- the input ------------------------------------------------------------------------

    /** Calls over six hours: offered, then answered (and ended) or abandoned; returns the events that must count. */
    List<CallEvent> generateCalls(String topic, int calls) {
        long start = ZonedDateTime.of(2023, 9, 1, 8, 0, 0, 0, CITY).toInstant().toEpochMilli();
        List<CallEvent> counted = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String id = "call-" + i;
            String line = LINES.get(random.nextInt(LINES.size()));
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            long offeredAt = start + (long) (random.nextDouble() * 6 * 3600_000L);
            int wait = random.nextInt(180);
            counted.add(
                    new CallEvent(id + "-o", 1, CallEventType.OFFERED, offeredAt, id, line, region, null, null, null));
            if (random.nextDouble() < 0.92) {
                String agent = "agent-" + random.nextInt(20);
                long answeredAt = offeredAt + wait * 1000L;
                int talk = 20 + random.nextInt(600);
                counted.add(new CallEvent(
                        id + "-a", 1, CallEventType.ANSWERED, answeredAt, id, line, region, agent, wait, null));
                counted.add(new CallEvent(
                        id + "-e",
                        1,
                        CallEventType.ENDED,
                        answeredAt + talk * 1000L,
                        id,
                        line,
                        region,
                        agent,
                        null,
                        talk));
            } else {
                counted.add(new CallEvent(
                        id + "-x",
                        1,
                        CallEventType.ABANDONED,
                        offeredAt + wait * 1000L,
                        id,
                        line,
                        region,
                        null,
                        wait,
                        null));
            }
        }
        for (CallEvent e : counted) {
            // about one in twenty events arrives up to ten minutes after its time: late, within the allowed lateness
            long delay = random.nextDouble() < 0.05 ? random.nextInt(600_000) : 0;
            plan.add(new Planned(topic, e.callId(), WRITER.write(e).getBytes(UTF_8), e.eventTimeMs() + delay, null, e));
        }
        long end = start + 7 * 3600_000L;
        for (int i = 0; i < 60; i++) {
            CallEvent again = counted.get(random.nextInt(counted.size()));
            // a redelivery of the same record, or the same step resent under a new event id
            CallEvent resent = i % 3 == 0
                    ? new CallEvent(
                            "resent-" + i,
                            1,
                            again.type(),
                            again.eventTimeMs(),
                            again.callId(),
                            again.line(),
                            again.callerRegion(),
                            again.agentId(),
                            again.waitSeconds(),
                            again.talkSeconds())
                    : again;
            plan.add(new Planned(
                    topic, again.callId(), WRITER.write(resent).getBytes(UTF_8), end + i, "duplicate", null));
        }
        return counted;
    }

    List<TicketEvent> generateTickets(String topic, int count) {
        long start = ZonedDateTime.of(2023, 9, 1, 8, 0, 0, 0, CITY).toInstant().toEpochMilli();
        List<TicketEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "ticket-" + i;
            long created = start + (long) (random.nextDouble() * 6 * 3600_000L);
            String[] tags = i % 7 == 0 ? new String[] {"civilised_city"} : new String[0];
            events.add(new TicketEvent(
                    id + "-1",
                    1,
                    TicketEventType.CREATED,
                    created,
                    id,
                    "call-" + i,
                    Channel.PHONE,
                    RequestType.values()[i % RequestType.values().length],
                    "社会保险",
                    null,
                    "雨湖区",
                    tags,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
            if (i % 3 == 0) {
                long due = created + 5 * 24 * 3600_000L;
                events.add(new TicketEvent(
                        id + "-2",
                        1,
                        TicketEventType.DISPATCHED,
                        created + 60_000,
                        id,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new String[0],
                        null,
                        "unit-" + (i % 4),
                        due,
                        null,
                        null,
                        null,
                        null));
                events.add(new TicketEvent(
                        id + "-3",
                        1,
                        TicketEventType.COMPLETED,
                        created + 3_600_000,
                        id,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new String[0],
                        null,
                        "unit-" + (i % 4),
                        null,
                        null,
                        null,
                        null,
                        null));
            } else {
                events.add(new TicketEvent(
                        id + "-2",
                        1,
                        TicketEventType.RESOLVED_ONLINE,
                        created + 120_000,
                        id,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new String[0],
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
            }
        }
        for (TicketEvent e : events) {
            plan.add(new Planned(topic, e.ticketId(), WRITER.write(e).getBytes(UTF_8), e.eventTimeMs(), null, e));
        }
        return events;
    }

    /** One record for each reason the parser gives, on both topics. */
    void addMalformed(String callsTopic, String ticketsTopic) {
        String call = WRITER.write(new CallEvent(
                "m", 1, CallEventType.OFFERED, 1_693_526_400_000L, "m", "12345", "雨湖区", null, null, null));
        String ticket = WRITER.write(new TicketEvent(
                "n",
                1,
                TicketEventType.CREATED,
                1_693_526_400_000L,
                "n",
                null,
                Channel.PHONE,
                RequestType.HELP,
                "路灯",
                null,
                "雨湖区",
                new String[0],
                null,
                null,
                null,
                null,
                null,
                null,
                null));
        long order = Long.MAX_VALUE / 2;
        for (String topic : List.of(callsTopic, ticketsTopic)) {
            boolean calls = topic.equals(callsTopic);
            String good = calls ? call : ticket;
            String id = calls ? "\"call_id\":\"m\"" : "\"ticket_id\":\"n\"";
            Map<String, String> bad = new TreeMap<>(Map.of(
                    "invalid_json", "{\"event_id\": ",
                    "not_an_object", "[\"offered\"]",
                    "too_large", "{\"pad\":\"" + "x".repeat(EventParser.MAX_PAYLOAD_BYTES) + "\"}",
                    "missing_field", good.replace(id + ",", ""),
                    "wrong_type", good.replace(id, id.replaceAll(":.*", ":7")),
                    "unknown_value", good.replace(calls ? "offered" : "created", "transferred"),
                    "bad_time", good.replace("+08:00", ""),
                    "out_of_range", good.replace("\"雨湖区\"", "\"\""),
                    "unsupported_version", good.replace("\"schema_version\":1", "\"schema_version\":9")));
            assertThat(EventParser.parseCall(call.getBytes(UTF_8)).isOk()).isTrue();
            assertThat(EventParser.parseTicket(ticket.getBytes(UTF_8)).isOk()).isTrue();
            for (Map.Entry<String, String> e : bad.entrySet()) {
                plan.add(new Planned(topic, "bad", e.getValue().getBytes(UTF_8), order++, e.getKey(), null));
            }
        }
        plan.add(new Planned(callsTopic, "bad", null, order, "invalid_json", null)); // a record with no value
    }

    List<Placed> produce(HotlineConfig config) throws Exception {
        plan.sort(Comparator.comparingLong(Planned::sendOrder));
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka.bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            for (Planned p : plan) {
                sent.add(producer.send(new ProducerRecord<>(p.topic(), p.key(), p.value())));
            }
            producer.flush();
        }
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            RecordMetadata m = sent.get(i).get();
            placed.add(new Placed(plan.get(i), m.partition(), m.offset()));
        }
        return placed;
    }

    static void runToTheEnd(HotlineConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobClient job = JobLauncher.start(env, config, KafkaSources.Reading.REPLAY, s -> {});
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
    }

    // ---- the truth, computed from the generated events alone ----------------------------------

    /** Per (minute as epoch seconds, line, region): offered, answered, abandoned, wait sums and maxima, talk. */
    static Map<String, List<Long>> truthOf(List<CallEvent> counted) {
        Map<String, long[]> acc = new TreeMap<>();
        for (CallEvent e : counted) {
            long quarter = e.eventTimeMs() / 900_000 * 900;
            long[] a = acc.computeIfAbsent(quarter + "|" + e.line() + "|" + e.callerRegion(), k -> new long[8]);
            switch (e.type()) {
                case OFFERED -> a[0]++;
                case ANSWERED -> {
                    a[1]++;
                    a[3] += e.waitSeconds();
                    a[4] = Math.max(a[4], e.waitSeconds());
                }
                case ABANDONED -> {
                    a[2]++;
                    a[5] += e.waitSeconds();
                    a[6] = Math.max(a[6], e.waitSeconds());
                }
                case ENDED -> a[7] += e.talkSeconds();
            }
        }
        Map<String, List<Long>> truth = new TreeMap<>();
        acc.forEach((k, a) -> truth.put(k, java.util.Arrays.stream(a).boxed().toList()));
        return truth;
    }

    /** What ClickHouse holds, read the documented way (FINAL). */
    record Snapshot(
            Map<String, List<Long>> quarters,
            Set<String> callEventIds,
            Set<String> ticketEventIds,
            Map<String, Long> ticketsByType,
            long civilised,
            long dueTimeSum,
            Set<String> deadLetters,
            long rawRows) {

        static Snapshot read(HotlineConfig config) {
            String db = config.clickhouse.database;
            try (ClickHouseSql ch = new ClickHouseSql(config.clickhouse.url, "default", "")) {
                Map<String, List<Long>> quarters = new TreeMap<>();
                for (JsonNode r : ch.rows(
                        "SELECT toUnixTimestamp(quarter) AS m, line, caller_region, offered, answered, abandoned,"
                                + " answered_wait_sum, answered_wait_max, abandoned_wait_sum, abandoned_wait_max, talk_seconds_sum"
                                + " FROM " + db + ".call_quarter_metrics FINAL")) {
                    String key = r.get("m").asLong() + "|" + r.get("line").asText() + "|"
                            + r.get("caller_region").asText();
                    List<Long> v = new ArrayList<>();
                    for (String c : List.of(
                            "offered",
                            "answered",
                            "abandoned",
                            "answered_wait_sum",
                            "answered_wait_max",
                            "abandoned_wait_sum",
                            "abandoned_wait_max",
                            "talk_seconds_sum")) {
                        v.add(r.get(c).asLong());
                    }
                    assertThat(quarters.put(key, v))
                            .as("one row per quarter hour, line and region: %s", key)
                            .isNull();
                }
                Map<String, Long> byType = new TreeMap<>();
                for (JsonNode r : ch.rows(
                        "SELECT event_type, count() AS n FROM " + db + ".ticket_events FINAL GROUP BY event_type")) {
                    byType.put(r.get("event_type").asText(), r.get("n").asLong());
                }
                Set<String> dead = new TreeSet<>();
                for (JsonNode r : ch.rows(
                        "SELECT topic, kafka_partition, kafka_offset, reason FROM " + db + ".dead_letters FINAL")) {
                    dead.add(r.get("topic").asText() + "/"
                            + r.get("kafka_partition").asInt() + "/"
                            + r.get("kafka_offset").asLong() + " "
                            + r.get("reason").asText());
                }
                return new Snapshot(
                        quarters,
                        ids(ch, "SELECT event_id FROM " + db + ".call_events FINAL"),
                        ids(ch, "SELECT event_id FROM " + db + ".ticket_events FINAL"),
                        byType,
                        ch.count(
                                "SELECT count() FROM " + db + ".ticket_events FINAL WHERE has(tags, 'civilised_city')"),
                        ch.count("SELECT sum(toUnixTimestamp(assumeNotNull(due_time))) FROM " + db
                                + ".ticket_events FINAL WHERE due_time IS NOT NULL"),
                        dead,
                        ch.count("SELECT count() FROM " + db + ".call_events FINAL"));
            }
        }

        static Set<String> ids(ClickHouseSql ch, String sql) {
            Set<String> ids = new HashSet<>();
            for (JsonNode r : ch.rows(sql)) {
                assertThat(ids.add(r.get("event_id").asText()))
                        .as("event %s stored once", r.get("event_id"))
                        .isTrue();
            }
            return ids;
        }

        void assertMatches(
                Map<String, List<Long>> truth, List<CallEvent> calls, List<TicketEvent> tickets, List<Placed> placed) {
            assertThat(quarters).as("every count per quarter hour").isEqualTo(truth);
            assertThat(callEventIds)
                    .as("every raw call event once")
                    .isEqualTo(calls.stream().map(CallEvent::eventId).collect(java.util.stream.Collectors.toSet()));
            assertThat(ticketEventIds)
                    .as("every raw ticket event once")
                    .isEqualTo(tickets.stream().map(TicketEvent::eventId).collect(java.util.stream.Collectors.toSet()));
            Map<String, Long> types = new TreeMap<>();
            tickets.forEach(t -> types.merge(t.type().wire(), 1L, Long::sum));
            assertThat(ticketsByType).isEqualTo(types);
            assertThat(civilised)
                    .isEqualTo(tickets.stream().filter(t -> t.tags().length > 0).count());
            assertThat(dueTimeSum)
                    .isEqualTo(tickets.stream()
                            .filter(t -> t.dueTimeMs() != null)
                            .mapToLong(t -> t.dueTimeMs() / 1000)
                            .sum());
            Set<String> expectedDead = new TreeSet<>();
            for (Placed p : placed) {
                if (p.planned().deadReason() != null) {
                    expectedDead.add(p.planned().topic() + "/" + p.partition() + "/" + p.offset() + " "
                            + p.planned().deadReason());
                }
            }
            assertThat(deadLetters)
                    .as("every bad record kept aside with its reason")
                    .isEqualTo(expectedDead);
            assertThat(expectedDead)
                    .extracting(s -> s.substring(s.indexOf(' ') + 1))
                    .contains(
                            "invalid_json",
                            "not_an_object",
                            "too_large",
                            "missing_field",
                            "wrong_type",
                            "unknown_value",
                            "bad_time",
                            "out_of_range",
                            "unsupported_version",
                            "duplicate");
            // every record is somewhere, and in one place only
            assertThat(rawRows + ticketEventIds.size() + deadLetters.size()).isEqualTo(placed.size());
        }
    }
}
