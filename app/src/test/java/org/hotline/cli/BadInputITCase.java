package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.cli.ReplayITCase.assertMatches;
import static org.hotline.cli.ReplayITCase.profileArgument;
import static org.hotline.cli.ReplayITCase.unitsCsv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.events.CallEvent;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.MonthReport;
import org.hotline.report.OfficeInputs;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzz-style: thousands of bad records of every kind mixed into a simulated month on its way through
 * Kafka, with the job allowed no restart at all. The month still reports its published figures
 * exactly, every valid event is a raw event once, and every bad record is a dead letter with the
 * reason it was made to have.
 */
@ExtendWith(SharedServices.class)
class BadInputITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROFILE = "small-2024-03";

    /** A record to send, and the dead-letter reason it must end with (null: a valid event). */
    record Sent(String topic, String key, String payload, String reason) {}

    @Test
    void everyBadRecordIsKeptAsideWithItsReasonAndTheMonthStillAddsUp() throws Exception {
        HotlineConfig c = SharedServices.config("bad_input");
        String db = c.clickhouse.database;
        Profile profile = Profile.load(profileArgument(PROFILE));
        MonthSimulator.Month month = new MonthSimulator(profile, 2023).generate();
        JobLauncher.migrate(c.clickhouse, s -> {});
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            OfficeInputs.load(ch, db, profile); // the units: a step naming another unit is bad input
        }

        List<Sent> sent = mix(month, new EventWriter(profile.zone()), c, new Random(7));
        Map<String, Integer> expectedReasons = new TreeMap<>();
        sent.stream().filter(s -> s.reason() != null).forEach(s -> expectedReasons.merge(s.reason(), 1, Integer::sum));
        assertThat(expectedReasons.values().stream().mapToInt(Integer::intValue).sum())
                .isGreaterThan(3000);
        produce(c, sent);

        // No restart allowed: if any input made a task fail, the job fails and so does the test.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration noRestart = new Configuration();
        noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(noRestart);
        JobLauncher.start(env, c, KafkaSources.Reading.REPLAY, s -> {})
                .getJobExecutionResult()
                .get(5, TimeUnit.MINUTES);

        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            JsonNode published = JSON.readTree(ReplayITCase.resource(PROFILE, "month.json"));
            JsonNode report = new MonthReport(ch, db)
                    .build(
                            YearMonth.parse(published.get("month").asText()),
                            published.at("/tickets/hotspot_categories").size());
            assertMatches(report, published, unitsCsv(PROFILE));

            assertThat(ch.count("SELECT count() FROM " + db + ".call_events FINAL"))
                    .isEqualTo(month.calls().size());
            assertThat(ch.count("SELECT count() FROM " + db + ".ticket_events FINAL"))
                    .isEqualTo(month.tickets().size());
            Map<String, Integer> reasons = new TreeMap<>();
            ch.rows("SELECT reason, count() AS n FROM " + db + ".dead_letters FINAL GROUP BY reason")
                    .forEach(r ->
                            reasons.put(r.get("reason").asText(), r.get("n").asInt()));
            assertThat(reasons).isEqualTo(expectedReasons);
            // Records that never parsed are kept exactly as they came.
            List<String> unparsedKept =
                    ch.rows("SELECT payload FROM " + db + ".dead_letters FINAL WHERE reason = 'invalid_json'").stream()
                            .map(r -> r.get("payload").asText())
                            .sorted()
                            .toList();
            assertThat(unparsedKept)
                    .isEqualTo(sent.stream()
                            .filter(s -> "invalid_json".equals(s.reason()))
                            .map(Sent::payload)
                            .sorted()
                            .toList());
        }
    }

    /** The month's events in time order, with bad records of every kind slipped in at random places. */
    static List<Sent> mix(MonthSimulator.Month month, EventWriter writer, HotlineConfig c, Random random)
            throws Exception {
        List<Sent> valid = new ArrayList<>();
        int ci = 0;
        int ti = 0;
        while (ci < month.calls().size() || ti < month.tickets().size()) {
            boolean call = ti >= month.tickets().size()
                    || (ci < month.calls().size()
                            && month.calls().get(ci).eventTimeMs()
                                    <= month.tickets().get(ti).eventTimeMs());
            if (call) {
                CallEvent e = month.calls().get(ci++);
                valid.add(new Sent(c.kafka.callsTopic, e.callId(), writer.write(e), null));
            } else {
                TicketEvent e = month.tickets().get(ti++);
                valid.add(new Sent(c.kafka.ticketsTopic, e.ticketId(), writer.write(e), null));
            }
        }
        List<Sent> out = new ArrayList<>();
        Map<String, Integer> made = new HashMap<>();
        for (int i = 0; i < valid.size(); i++) {
            Sent v = valid.get(i);
            out.add(v);
            if (random.nextInt(2) == 0) {
                Sent bad = spoil(v, random.nextInt(12), random, c);
                if (bad != null) {
                    out.add(bad);
                    made.merge(bad.reason(), 1, Integer::sum);
                }
            }
        }
        // Late: events of the month's first day, sent at the very end, hours past the allowed lateness.
        for (int i = 0; i < 50; i++) {
            Sent v = valid.get(i);
            ObjectNode o = (ObjectNode) JSON.readTree(v.payload());
            o.put("event_id", o.get("event_id").asText() + "-late");
            if (v.topic().equals(c.kafka.callsTopic)) {
                o.put("call_id", o.get("call_id").asText() + "-late");
                out.add(new Sent(v.topic(), o.get("call_id").asText(), o.toString(), "late"));
            } else {
                o.put("ticket_id", o.get("ticket_id").asText() + "-late");
                out.add(new Sent(v.topic(), o.get("ticket_id").asText(), o.toString(), "late"));
            }
        }
        return out;
    }

    /** A bad record made from a valid one; the kind picks how. */
    static Sent spoil(Sent v, int kind, Random random, HotlineConfig c) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(v.payload());
        boolean ticket = v.topic().equals(c.kafka.ticketsTopic);
        String id = ticket ? "ticket_id" : "call_id";
        switch (kind) {
            case 0 -> {
                return new Sent(
                        v.topic(),
                        v.key(),
                        v.payload().substring(0, 1 + random.nextInt(v.payload().length() - 2)),
                        "invalid_json");
            }
            case 1 -> {
                return new Sent(
                        v.topic(), v.key(), random.nextBoolean() ? "[1,2,3]" : "\"just text\"", "not_an_object");
            }
            case 2 -> {
                o.put(id, 12345);
                return new Sent(v.topic(), v.key(), o.toString(), "wrong_type");
            }
            case 3 -> {
                o.put("event_type", "teleported");
                return new Sent(v.topic(), v.key(), o.toString(), "unknown_value");
            }
            case 4 -> {
                o.remove(id);
                return new Sent(v.topic(), v.key(), o.toString(), "missing_field");
            }
            case 5 -> {
                o.put("event_id", o.get("event_id").asText() + "-future");
                o.put("event_time", random.nextBoolean() ? "2099-01-01T08:00:00+08:00" : "1990-06-01T08:00:00+08:00");
                return new Sent(v.topic(), v.key(), o.toString(), "out_of_range");
            }
            case 6 -> {
                o.put("event_id", "x".repeat(70 * 1024));
                return new Sent(v.topic(), v.key(), o.toString(), "too_large");
            }
            case 7 -> {
                o.put("schema_version", 2);
                return new Sent(v.topic(), v.key(), o.toString(), "unsupported_version");
            }
            case 8 -> {
                o.put("event_time", "yesterday at noon");
                return new Sent(v.topic(), v.key(), o.toString(), "bad_time");
            }
            case 9 -> {
                return new Sent(v.topic(), v.key(), v.payload(), "duplicate"); // the same step again
            }
            case 10 -> {
                if (!ticket || !o.hasNonNull("unit_id")) {
                    return null;
                }
                o.put("event_id", o.get("event_id").asText() + "-elsewhere");
                o.put("unit_id", "不存在的单位");
                return new Sent(v.topic(), v.key(), o.toString(), "unknown_unit");
            }
            default -> {
                if (!ticket || !o.hasNonNull("unit_id")) {
                    return null;
                }
                // A step out of order: a ticket that was never created, completed.
                ObjectNode ghost = JSON.createObjectNode();
                String ghostId = "ghost-" + o.get("event_id").asText();
                ghost.put("event_id", ghostId + "-completed");
                ghost.put("schema_version", 1);
                ghost.put("event_type", TicketEventType.COMPLETED.wire());
                ghost.put("event_time", o.get("event_time").asText());
                ghost.put("ticket_id", ghostId);
                ghost.put("unit_id", o.get("unit_id").asText());
                return new Sent(v.topic(), ghostId, ghost.toString(), "invalid_step");
            }
        }
    }

    static void produce(HotlineConfig c, List<Sent> records) {
        Properties props = new Properties();
        props.put("max.request.size", String.valueOf(1024 * 1024));
        try (CheckedProducer p = new CheckedProducer(
                props,
                c.kafka.bootstrapServers,
                records.stream().map(Sent::topic).distinct().toList())) {
            for (Sent s : records) {
                p.send(s.topic(), s.key(), s.payload());
            }
            assertThat(p.finish().total()).as("records stored on Kafka").isEqualTo(records.size());
        }
    }
}
