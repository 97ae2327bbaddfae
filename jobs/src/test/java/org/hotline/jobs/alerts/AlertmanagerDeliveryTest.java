package org.hotline.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.hotline.jobs.Harnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the delivery keeps in force and when it posts it, against an HTTP server standing in for Alertmanager's API. */
class AlertmanagerDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AlertmanagerAlert.Directory UNITS =
            new AlertmanagerAlert.Directory(Map.of("电信", "电信湘潭分公司"), Map.of("电信", "enterprise"), "http://board/");

    HttpServer server;
    final List<JsonNode> posts = new CopyOnWriteArrayList<>();
    final AtomicInteger refuse = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    String serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v2/alerts", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                posts.add(JSON.readTree(body));
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static Alert backlog(String state, String severity, double value, long time) {
        return Alert.of("backlog", Alert.Subject.unit("电信"), severity, state, value, 5, time, null);
    }

    static OneInputStreamOperatorTestHarness<Alert, Alert> harness(AlertmanagerDelivery d) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(d));
    }

    @Test
    void anEscalationResolvesTheWarningAndFiresTheCriticalAlertAndARestoreKeepsTheirStartTimes() throws Exception {
        AlertmanagerDelivery d = AlertmanagerDelivery.off();
        try (var h = harness(d)) {
            h.open();
            h.processElement(backlog("firing", "warning", 5, 1_000), 0);
            h.processElement(backlog("escalated", "critical", 20, 2_000), 0);
            JsonNode alerts = JSON.readTree(d.payload().json());
            assertThat(alerts).hasSize(2);
            assertThat(alerts.findValuesAsText("severity")).containsExactlyInAnyOrder("warning", "critical");
            for (JsonNode a : alerts) {
                assertThat(a.has("endsAt"))
                        .as("%s", a)
                        .isEqualTo(a.at("/labels/severity").asText().equals("warning"));
                assertThat(a.at("/labels/unit_group").asText()).isEqualTo("");
            }
            OperatorSubtaskState checkpoint = h.snapshot(1, 3_000);

            AlertmanagerDelivery again = AlertmanagerDelivery.off();
            try (var restored = Harnesses.restored(harness(again), checkpoint)) {
                assertThat(again.payload().json())
                        .as("the same alerts, the same start times")
                        .isEqualTo(d.payload().json());
                restored.processElement(backlog("resolved", "critical", 2, 9_000), 0);
                assertThat(JSON.readTree(again.payload().json()))
                        .as("both ended")
                        .allSatisfy(a -> assertThat(a.has("endsAt")).isTrue());
            }
        }
    }

    @Test
    void whatIsInForceIsPostedOnceItsCheckpointCompletesAndAgainUntilAlertmanagerTakesIt() throws Exception {
        String url = serve();
        AlertmanagerDelivery d = new AlertmanagerDelivery(url, Duration.ofSeconds(1), UNITS);
        try (var h = harness(d)) {
            h.open();
            h.processElement(backlog("firing", "warning", 6, 1_693_526_400_000L), 0);
            h.snapshot(1, 1);
            Thread.sleep(1_500);
            assertThat(posts).as("nothing before the checkpoint completes").isEmpty();

            refuse.set(2); // Alertmanager answers 503 twice
            h.notifyOfCompletedCheckpoint(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> !posts.isEmpty());
            assertThat(refuse.get()).as("the refusals were retried").isZero();
            JsonNode a = posts.get(0).get(0);
            assertThat(a.get("labels").toString())
                    .isEqualTo(
                            "{\"alertname\":\"backlog\",\"severity\":\"warning\",\"unit\":\"电信\",\"unit_group\":\"enterprise\"}");
            assertThat(a.at("/annotations/summary").asText())
                    .isEqualTo("电信湘潭分公司：超期未办结工单 6 件（预警线 5） / "
                            + "电信湘潭分公司: 6 open tickets past their due time (threshold 5)");
            assertThat(a.at("/annotations/event_time").asText()).isEqualTo("2023-09-01 08:00:00");
            assertThat(a.get("generatorURL").asText()).isEqualTo("http://board/");
            assertThat(a.has("endsAt")).isFalse();

            // re-posted every resend interval while it lasts, the same each time
            await().atMost(Duration.ofSeconds(10)).until(() -> posts.size() >= 3);
            assertThat(posts.get(2)).isEqualTo(posts.get(0));
        }
    }
}
