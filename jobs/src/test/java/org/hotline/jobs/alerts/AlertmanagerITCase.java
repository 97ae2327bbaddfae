package org.hotline.jobs.alerts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hotline.jobs.tickets.TicketEvents.t;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalAlertmanager;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.Checkpoints;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.RunCommand;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.jobs.tickets.TicketEvents;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts reach a person: the job runs live on the shared Kafka and ClickHouse and posts to a real Alertmanager
 * (Debian's, its own process), which notifies a webhook receiver (this test) grouped by unit. A story of incidents
 * is played in steps: a unit's tickets falling due (due_soon, then backlog when they pass it), concentrated returns,
 * an emerging category, a ticket bouncing between units. Between the steps the job is cancelled and resumed from its
 * checkpoint, and Alertmanager is down for 30 seconds.
 */
@ExtendWith(SharedServices.class)
class AlertmanagerITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final ObjectMapper JSON = new ObjectMapper();
    static final EventWriter WRITER = new EventWriter(ZoneId.of("Asia/Shanghai"));
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** 2023-09-10 08:00, the ninth day after the test's start: the days before give the categories their usual counts. */
    static final long D = 9 * 24 * 60;

    HttpServer webhook;
    final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    Path dir;
    LocalAlertmanager alertmanager;
    JobClient job;

    @BeforeEach
    void startAlertmanagerWithAWebhookReceiver() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/", exchange -> {
            notifications.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "alertmanager-");
        alertmanager = LocalAlertmanager.start(dir, config());
    }

    /** Grouped by unit, each change told within a second or two; the same group unchanged: not again for an hour. */
    String config() {
        return """
                route:
                  receiver: supervisors
                  group_by: [unit]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: supervisors
                    webhook_configs:
                      - url: http://127.0.0.1:%d/
                        send_resolved: true
                """.formatted(webhook.getAddress().getPort());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        alertmanager.close();
        webhook.stop(0);
    }

    @Test
    void incidentsReachAlertmanagerAndItsReceiverGroupedByUnitAndSurviveARestartAndAnOutage() throws Exception {
        HotlineConfig c = SharedServices.config("alertmanager");
        c.alerts.alertmanagerUrl = alertmanager.url();
        c.alerts.resendSeconds = 2;
        c.alerts.wallboardUrl = "http://wallboard.example/";
        c.job.checkpointDir = dir.resolve("checkpoints").toString();
        JobLauncher.migrate(c.clickhouse, s -> {});
        String db = c.clickhouse.database;
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            ch.execute("INSERT INTO " + db + ".units (unit_id, name, unit_group, updated_at) VALUES "
                    + "('电信', '电信湘潭分公司', 'enterprise', now()), ('经开区', '湘潭经开区管委会', 'park', now()), "
                    + "('A', 'A', 'department', now()), ('B', 'B', 'department', now())");
            List<TicketEvent> sent = new ArrayList<>();
            job = start(c, null);

            // 1. Nine days of usual tickets, 经开区 returning street-light tickets, and six tickets at 电信 due at 11:00
            List<TicketEvent> first = new ArrayList<>();
            int n = 0;
            for (int day = 0; day < 9; day++) { // two a day, and four of 通信 (so that 电信's six are not a wave)
                for (String category : List.of("房产交易", "路灯", "通信")) {
                    for (int j = 0; j < (category.equals("通信") ? 4 : 2); j++) {
                        first.add(new TicketEvents("usual-" + (n++))
                                .created(t(day * 1440 + 300 * j + (category.equals("路灯") ? 7 : 0)), category));
                    }
                }
            }
            for (int i = 0; i < 12; i++) { // two a day from the third day: the tenth on the evening of the 7th
                TicketEvents k = new TicketEvents("lamp-" + i);
                long at = 3 * 1440 + 720 * i;
                first.addAll(List.of(
                        k.created(t(at), "路灯"),
                        k.dispatched("经开区", t(at + 1), t(at + 5000)),
                        k.returned("经开区", t(at + 30))));
            }
            List<TicketEvents> telecom = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TicketEvents k = new TicketEvents("telecom-" + i);
                telecom.add(k);
                first.addAll(List.of(k.created(t(D + 60 + i), "通信"), k.dispatched("电信", t(D + 61 + i), t(D + 180))));
            }
            send(c, first, t(D + 120), sent); // 10:00: five due within a day, none late yet
            Map<String, JsonNode> firing =
                    awaitFiring(Set.of("due_soon|电信|warning", "concentrated_returns|经开区|warning"));
            JsonNode dueSoon = firing.get("due_soon|电信|warning");
            assertThat(dueSoon.get("labels").toString()).contains("\"unit_group\":\"enterprise\"");
            assertThat(dueSoon.at("/annotations/summary").asText())
                    .isEqualTo("电信湘潭分公司：5 件在办工单将在 24 小时内到期（预警线 5） / "
                            + "电信湘潭分公司: 5 open tickets fall due within 24 hours (threshold 5)");
            assertThat(dueSoon.at("/annotations/tickets").asText())
                    .startsWith("2023-09-10 11:00 telecom-0, 2023-09-10 11:00 telecom-1");
            assertThat(dueSoon.at("/annotations/event_time").asText()).isEqualTo("2023-09-10 09:05:00");
            assertThat(dueSoon.at("/annotations/wallboard").asText()).isEqualTo("http://wallboard.example/");
            assertThat(firing.get("concentrated_returns|经开区|warning")
                            .at("/labels/category")
                            .asText())
                    .isEqualTo("路灯");
            awaitNotified("电信", "due_soon", "firing");
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(dueWithin24h(ch, db, "电信"))
                            .as("the backlog's tickets due within 24 hours")
                            .isEqualTo(6));
            awaitNotified("经开区", "concentrated_returns", "firing");

            // 2. The tickets pass their due time (due_soon gives way to backlog); a wave of one category; a bouncing
            // ticket
            List<TicketEvent> second = new ArrayList<>();
            for (int j = 0; j < 8; j++) {
                second.add(new TicketEvents("wave-" + j).createdOnTopic(t(D + 240 + 10 * j), "房产交易", "认房不认贷"));
            }
            TicketEvents bouncer = new TicketEvents("bouncer");
            second.add(bouncer.created(t(D + 200), "围墙倒塌"));
            for (int i = 0; i < 6; i++) {
                String unit = i % 2 == 0 ? "A" : "B";
                second.add(bouncer.dispatched(unit, t(D + 210 + 20 * i), t(D + 10000)));
                if (i < 5) {
                    second.add(bouncer.rejected(unit, t(D + 220 + 20 * i)));
                }
            }
            send(c, second, t(D + 1380), sent);
            Set<String> afterTheSecond = Set.of(
                    "backlog|电信|warning",
                    "concentrated_returns|经开区|warning",
                    "emerging_hotspot|房产交易|warning",
                    "emerging_hotspot|认房不认贷|warning",
                    "bouncing_ticket|B|critical");
            firing = awaitFiring(afterTheSecond);
            assertThat(firing.get("emerging_hotspot|认房不认贷|warning")
                            .at("/labels/topic")
                            .asText())
                    .isEqualTo("认房不认贷");
            assertThat(firing.get("bouncing_ticket|B|critical")
                            .at("/labels/ticket")
                            .asText())
                    .isEqualTo("bouncer");
            awaitNotified("电信", "due_soon", "resolved");
            awaitNotified("电信", "backlog", "firing");
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(dueWithin24h(ch, db, "电信"))
                            .as("overdue now")
                            .isZero());
            awaitNotified("B", "bouncing_ticket", "firing");
            awaitNotified("", "emerging_hotspot", "firing");

            // 3. Cancelled and resumed from its checkpoint: nothing resolved, nothing told twice
            Map<String, String> startedAt = startsAt(firing);
            int told = quietNotifications();
            job.cancel().get();
            Path checkpoint = Checkpoints.newest(JobLauncher.checkpointDir(c)).path();
            job = start(c, checkpoint.toUri().toString());
            awaitCheckpointAfter(c, checkpoint);
            Thread.sleep(5_000); // several resends and group intervals
            assertThat(startsAt(awaitFiring(afterTheSecond)))
                    .as("the same alerts, not fired again")
                    .isEqualTo(startedAt);
            assertThat(notifications).as("no second notification").hasSize(told);

            // 4. Alertmanager down for 30 s while the tickets are done: afterwards nothing in force is missing
            alertmanager.close();
            List<TicketEvent> third = new ArrayList<>();
            for (TicketEvents k : telecom) {
                third.add(k.completed("电信", t(D + 1440 + telecom.indexOf(k))));
            }
            third.add(bouncer.completed("B", t(D + 1450)));
            send(c, third, t(D + 1440 + 120), sent);
            Thread.sleep(30_000);
            alertmanager = LocalAlertmanager.start(dir, config(), alertmanager.port());
            Set<String> inForce = Set.of(
                    "concentrated_returns|经开区|warning",
                    "emerging_hotspot|房产交易|warning",
                    "emerging_hotspot|认房不认贷|warning");
            awaitFiring(inForce);
            assertThat(inForceIn(ch, db)).as("what ClickHouse says is in force").isEqualTo(inForce);
            awaitNotified("电信", "backlog", "resolved");
            awaitNotified("B", "bouncing_ticket", "resolved");

            // 5. Time moves on: every alert ends
            long end = t(14 * 1440 + 240);
            send(c, List.of(), end, sent);
            awaitFiring(Set.of());
            awaitNotified("经开区", "concentrated_returns", "resolved");
            assertThat(inForceIn(ch, db)).isEmpty();

            // the counts are unaffected by any of it: every step the watermark passed once (the last two, which
            // carry it, wait for a later one), nothing kept aside
            long passed = sent.stream().filter(e -> e.eventTimeMs() < end).count();
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(ch.count("SELECT count() FROM " + db + ".ticket_events FINAL"))
                            .isEqualTo(passed));
            assertThat(passed).isEqualTo(sent.size() - 2);
            assertThat(ch.count("SELECT count() FROM " + db + ".dead_letters FINAL"))
                    .isZero();
        }
    }

    @Test
    void aWrongAddressIsRefusedAtStartWithWhatIsWrong() {
        HotlineConfig c = SharedServices.config("alertmanager_wrong");
        c.alerts.alertmanagerUrl = "127.0.0.1:9093";
        assertThatThrownBy(() -> JobLauncher.start(
                        StreamExecutionEnvironment.getExecutionEnvironment(), c, KafkaSources.Reading.LIVE, s -> {}))
                .hasMessageContaining(
                        "alerts.alertmanager_url '127.0.0.1:9093' is wrong: it must be http(s)://host:port");
        c.alerts.alertmanagerUrl = c.clickhouse.url; // something answers there, but not Alertmanager
        assertThatThrownBy(() -> JobLauncher.start(
                        StreamExecutionEnvironment.getExecutionEnvironment(), c, KafkaSources.Reading.LIVE, s -> {}))
                .hasMessageContaining("is wrong: GET " + c.clickhouse.url + "/api/v2/status answered 404");
    }

    static JobClient start(HotlineConfig c, String restoreFrom) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RunCommand.Restore.from(restoreFrom).apply(env);
        return JobLauncher.start(env, c, KafkaSources.Reading.LIVE, s -> {});
    }

    /**
     * Sends the steps in time order (each checked stored), then on both partitions a ticket created at {@code until}:
     * the watermark passes them.
     */
    static void send(HotlineConfig c, List<TicketEvent> events, long until, List<TicketEvent> sent) {
        try (CheckedProducer p =
                new CheckedProducer(new Properties(), c.kafka.bootstrapServers, List.of(c.kafka.ticketsTopic))) {
            List<TicketEvent> ordered = new ArrayList<>(events);
            ordered.sort(java.util.Comparator.comparingLong(TicketEvent::eventTimeMs));
            for (TicketEvent e : ordered) {
                p.send(c.kafka.ticketsTopic, e.ticketId(), WRITER.write(e));
                sent.add(e);
            }
            for (int partition = 0; partition < 2; partition++) {
                TicketEvent later = new TicketEvents("later-" + until + "-" + partition).created(until, "其他");
                p.send(c.kafka.ticketsTopic, partition, later.ticketId(), WRITER.write(later));
                sent.add(later);
            }
            p.finish();
        }
    }

    /** Awaits exactly {@code expected} ({@link #key}) active in Alertmanager; returns them by that. */
    Map<String, JsonNode> awaitFiring(Set<String> expected) {
        Map<String, JsonNode> seen = new TreeMap<>();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    seen.clear();
                    for (JsonNode a : JSON.readTree(get("/api/v2/alerts?active=true"))) {
                        if (a.at("/status/state").asText().equals("active")) {
                            JsonNode l = a.get("labels");
                            seen.put(
                                    key(
                                            l.get("alertname").asText(),
                                            l.path("unit").asText(),
                                            l.path("topic").asText(),
                                            l.path("category").asText(),
                                            l.get("severity").asText()),
                                    a);
                        }
                    }
                    assertThat(seen.keySet()).isEqualTo(new TreeSet<>(expected));
                });
        return new TreeMap<>(seen);
    }

    /** Awaits a webhook notification for the group of {@code unit} with {@code alertname} in {@code status}. */
    void awaitNotified(String unit, String alertname, String status) {
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(notifications)
                        .as("notifications to the receiver")
                        .anySatisfy(n -> {
                            assertThat(n.at("/groupLabels/unit").asText()).isEqualTo(unit);
                            assertThat(n.get("alerts")).anySatisfy(a -> {
                                assertThat(a.at("/labels/alertname").asText()).isEqualTo(alertname);
                                assertThat(a.get("status").asText()).isEqualTo(status);
                            });
                        }));
    }

    /** How many notifications came, once none has come for three seconds. */
    int quietNotifications() throws InterruptedException {
        int before;
        do {
            before = notifications.size();
            Thread.sleep(3_000);
        } while (notifications.size() != before);
        return before;
    }

    static Map<String, String> startsAt(Map<String, JsonNode> alerts) {
        Map<String, String> out = new TreeMap<>();
        alerts.forEach((k, a) -> out.put(k, a.get("startsAt").asText()));
        return out;
    }

    static long dueWithin24h(ClickHouseSql ch, String db, String unit) {
        return ch.count("SELECT due_within_24h FROM " + db + ".unit_backlog WHERE unit_id = '" + unit + "'");
    }

    /** An alert as the test names it: rule|what it is about (the unit, else the topic, else the category)|severity. */
    static String key(String rule, String unit, String topic, String category, String severity) {
        String about = !unit.isEmpty() ? unit : !topic.isEmpty() ? topic : category;
        return rule + "|" + about + "|" + severity;
    }

    /** The alerts in force as the job wrote them to ClickHouse, as alertname|unit|severity. */
    static Set<String> inForceIn(ClickHouseSql ch, String db) {
        Set<String> out = new TreeSet<>();
        for (JsonNode r : ch.rows("SELECT rule, unit, topic, category, severity FROM " + db
                + ".alerts_latest FINAL WHERE state != 'resolved'")) {
            out.add(key(
                    r.get("rule").asText(),
                    r.get("unit").asText(),
                    r.get("topic").asText(),
                    r.get("category").asText(),
                    r.get("severity").asText()));
        }
        return out;
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(alertmanager.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static void awaitCheckpointAfter(HotlineConfig c, Path restoredFrom) {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            Checkpoints.Found newest = Checkpoints.newest(JobLauncher.checkpointDir(c));
            return newest != null && !newest.path().equals(restoredFrom);
        });
    }
}
