package org.hotline.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.LocalClickHouse;
import org.hotline.deploy.LocalKafka;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker and one real ClickHouse server for the whole test run (this JVM), started
 * on first use and stopped when the run ends. Tests keep apart by using their own topics and
 * database, from {@link #config(String)}.
 */
public final class SharedServices implements BeforeAllCallback {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static Services services;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (SharedServices.class) {
            services = context.getRoot()
                    .getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(Services.class, k -> new Services(), Services.class);
        }
    }

    public static LocalKafka kafka() {
        return services.kafka;
    }

    public static LocalClickHouse clickhouse() {
        return services.clickhouse;
    }

    /** A configuration on the shared servers with topics and a database of its own. */
    public static HotlineConfig config(String name) {
        String id = name + "_" + NEXT.incrementAndGet();
        HotlineConfig c = HotlineConfig.load(
                null,
                Map.of(
                        "HOTLINE_KAFKA_BOOTSTRAP_SERVERS",
                        kafka().bootstrapServers(),
                        "HOTLINE_KAFKA_CALLS_TOPIC",
                        id + "-calls",
                        "HOTLINE_KAFKA_TICKETS_TOPIC",
                        id + "-tickets",
                        "HOTLINE_KAFKA_ALERTS_TOPIC",
                        id + "-alerts",
                        "HOTLINE_KAFKA_GROUP_ID",
                        id,
                        "HOTLINE_CLICKHOUSE_URL",
                        clickhouse().httpUrl(),
                        "HOTLINE_CLICKHOUSE_DATABASE",
                        id,
                        "HOTLINE_JOB_CHECKPOINT_INTERVAL_SECONDS",
                        "2",
                        // two subtasks (the default is one): the keyed exchanges, the watermark as the least of
                        // two channels and a sink per subtask are what the tests on these servers exercise
                        "HOTLINE_JOB_PARALLELISM",
                        "2"));
        LocalKafka.createTopics(
                c.kafka.bootstrapServers,
                Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2, c.kafka.alertsTopic, 1));
        return c;
    }

    @SuppressWarnings("deprecation") // CloseableResource: closed by JUnit when the whole run ends
    static final class Services implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final LocalKafka kafka;
        final LocalClickHouse clickhouse;

        Services() {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "services-");
                clickhouse = LocalClickHouse.start(dir.resolve("clickhouse"));
                kafka = LocalKafka.start(dir.resolve("kafka"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                kafka.close();
            } finally {
                clickhouse.close();
            }
        }
    }
}
