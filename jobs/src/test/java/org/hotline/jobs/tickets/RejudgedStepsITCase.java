package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hotline.jobs.tickets.TicketEvents.t;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.config.HotlineConfig;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A late step that reverses an earlier judgement, in both directions, on a real broker and ClickHouse: a completion
 * refused (its ticket not dispatched yet) becomes counted when the dispatch before it arrives late, and a completion
 * counted becomes refused when a redispatch to another unit before it arrives late. Once the watermark has passed,
 * {@code ticket_events FINAL} holds exactly the steps counted and {@code dead_letters FINAL} exactly those refused,
 * and each unit's counts agree with the raw steps, step by step.
 */
@ExtendWith(SharedServices.class)
class RejudgedStepsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final EventWriter WRITER = new EventWriter(ZoneId.of("Asia/Shanghai"));

    @Test
    void aLateStepMovesTheStepsItRejudgesAndTheRawTablesAgreeWithTheCounts() throws Exception {
        HotlineConfig c = SharedServices.config("rejudged_it");
        c.job.idlenessSeconds = 1; // the silent partition does not hold the watermark back
        String db = c.clickhouse.database;

        TicketEvents one = new TicketEvents("one");
        TicketEvent oneCreated = one.created(t(0), "路灯");
        TicketEvent oneCompleted = one.completed("U1", t(50)); // U1 does not hold it (yet): refused
        TicketEvent oneDispatched = one.dispatched("U1", t(10), t(200)); // arrives late
        TicketEvents two = new TicketEvents("two");
        TicketEvent twoCreated = two.created(t(0), "路灯");
        TicketEvent twoDispatched = two.dispatched("U1", t(10), t(200));
        TicketEvent twoCompleted = two.completed("U1", t(50)); // counted, until:
        TicketEvent twoRedispatched = two.dispatched("U2", t(20), t(200)); // arrives late: U1 no longer held it

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobClient job = JobLauncher.start(env, c, new KafkaSources.Reading(true, false), s -> {});
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            send(
                    c,
                    oneCreated,
                    oneCompleted,
                    twoCreated,
                    twoDispatched,
                    twoCompleted,
                    new TicketEvents("later-1").created(t(60), "其他"));
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(stepsIn(ch, db, "ticket_events")).contains(twoCompleted.eventId());
                assertThat(stepsIn(ch, db, "dead_letters")).containsExactly(oneCompleted.eventId());
            });

            send(c, oneDispatched, twoRedispatched, new TicketEvents("later-2").created(t(65), "其他"));
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(stepsIn(ch, db, "ticket_events"))
                        .containsExactlyInAnyOrder(
                                oneCreated.eventId(),
                                oneDispatched.eventId(),
                                oneCompleted.eventId(),
                                twoCreated.eventId(),
                                twoDispatched.eventId(),
                                twoRedispatched.eventId());
                assertThat(stepsIn(ch, db, "dead_letters")).containsExactly(twoCompleted.eventId());
                // the counts agree with the raw steps, unit by unit
                assertThat(counted(ch, db)).isEqualTo(fromRawSteps(ch, db)).containsEntry("U1 completed", 1L);
            });
        } finally {
            job.cancel().get();
        }
    }

    static void send(HotlineConfig c, TicketEvent... events) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka.bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (TicketEvent e : events) { // one partition, in this order
                producer.send(new ProducerRecord<>(c.kafka.ticketsTopic, 0, e.ticketId(), WRITER.write(e)))
                        .get();
            }
        }
    }

    /** The ticket steps a table holds (the dead letters' refused ones), by event id, sorted. */
    static List<String> stepsIn(ClickHouseSql ch, String db, String table) {
        String sql = table.equals("ticket_events")
                ? "SELECT event_id FROM " + db + ".ticket_events FINAL WHERE ticket_id IN ('one', 'two')"
                : "SELECT visitParamExtractString(payload, 'event_id') AS event_id FROM " + db
                        + ".dead_letters FINAL WHERE reason = 'invalid_step' AND visitParamExtractString(payload, 'ticket_id') IN "
                        + "('one', 'two')";
        return ch.rows(sql + " ORDER BY event_id").stream()
                .map(r -> r.get("event_id").asText())
                .toList();
    }

    /** Each unit's dispatches and completions, as the job counted them. */
    static Map<String, Long> counted(ClickHouseSql ch, String db) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode r : ch.rows("SELECT value, sum(dispatches) AS d, sum(completed) AS c FROM " + db
                + ".ticket_daily_metrics FINAL WHERE dimension = 'unit' GROUP BY value")) {
            put(out, r.get("value").asText() + " dispatches", r.get("d").asLong());
            put(out, r.get("value").asText() + " completed", r.get("c").asLong());
        }
        return out;
    }

    /** The same, counted from the raw steps. */
    static Map<String, Long> fromRawSteps(ClickHouseSql ch, String db) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode r : ch.rows("SELECT unit_id, countIf(event_type = 'dispatched') AS d, "
                + "countIf(event_type = 'completed') AS c FROM " + db
                + ".ticket_events FINAL WHERE unit_id != '' GROUP BY unit_id")) {
            put(out, r.get("unit_id").asText() + " dispatches", r.get("d").asLong());
            put(out, r.get("unit_id").asText() + " completed", r.get("c").asLong());
        }
        return out;
    }

    private static void put(Map<String, Long> out, String key, long n) {
        if (n != 0) {
            out.put(key, n);
        }
    }
}
