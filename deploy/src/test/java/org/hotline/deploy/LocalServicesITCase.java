package org.hotline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime starts real servers, answers, and stops without leaving a process behind. */
class LocalServicesITCase {

    @TempDir
    Path dir;

    static String query(LocalClickHouse ch, String user, String sql) throws Exception {
        // POST: ClickHouse treats every GET as read-only.
        HttpRequest req = HttpRequest.newBuilder(URI.create(ch.httpUrl() + "/?user=" + user))
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.body());
        }
        return r.body().trim();
    }

    @Test
    void clickHouseRunsAsOurOwnProcessWithAReadOnlyUser() throws Exception {
        LocalClickHouse ch = LocalClickHouse.start(dir.resolve("ch"));
        try {
            assertThat(query(ch, "default", "SELECT 1 + 1")).isEqualTo("2");
            query(ch, "default", "CREATE TABLE default.t (x UInt8) ENGINE = MergeTree ORDER BY x");
            query(ch, "default", "INSERT INTO default.t VALUES (7)");
            assertThat(query(ch, "hotline_reader", "SELECT sum(x) FROM default.t"))
                    .isEqualTo("7");
            assertThatThrownBy(() -> query(ch, "hotline_reader", "INSERT INTO default.t VALUES (8)"))
                    .hasMessageContaining("readonly");
            assertThat(Files.exists(dir.resolve("ch/data"))).isTrue();
        } finally {
            ch.close();
        }
        assertThat(ch.isRunning()).isFalse();
    }

    @Test
    void alertmanagerRunsAsOurOwnProcessAndStartsAgainWhereItWas() throws Exception {
        LocalAlertmanager am = LocalAlertmanager.start(dir.resolve("am"), LocalAlertmanager.DEMO_CONFIG);
        int port = am.port();
        try {
            HttpResponse<String> status = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(am.url() + "/api/v2/status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("versionInfo").contains("wallboard-only");
        } finally {
            am.close();
        }
        LocalAlertmanager again = LocalAlertmanager.start(dir.resolve("am"), LocalAlertmanager.DEMO_CONFIG, port);
        try {
            assertThat(again.url()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(Files.isDirectory(dir.resolve("am/data"))).isTrue();
        } finally {
            again.close();
        }
    }

    @Test
    void kafkaBrokerRunsInProcessAndAsAChildJvm() throws Exception {
        try (LocalKafka inProcess = LocalKafka.start(dir.resolve("k1"))) {
            roundTrip(inProcess.bootstrapServers());
        }
        LocalKafka child = LocalKafka.spawn(dir.resolve("k2"), dir.resolve("k2.log"));
        try {
            roundTrip(child.bootstrapServers());
        } finally {
            child.close();
        }
    }

    private static void roundTrip(String bootstrap) {
        LocalKafka.createTopics(bootstrap, Map.of("probe", 2));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("probe", "k", "热线")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of("probe"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    assertThat(records.iterator().next().value()).isEqualTo("热线");
                    return;
                }
            }
            throw new AssertionError("no record came back from " + bootstrap);
        }
    }
}
