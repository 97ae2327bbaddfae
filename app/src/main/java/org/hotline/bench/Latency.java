package org.hotline.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalKafka;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventWriter;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.sql.ClickHouseSql;

/** The pipeline's latency at a steady live rate: from producing a call to its row being readable in ClickHouse. */
final class Latency {
    private Latency() {}

    /**
     * Latency at a steady live rate: calls stamped with the time they are sent, on fresh topics read by a
     * live job; each is readable once its raw row is in ClickHouse. ClickHouse is polled every 50 ms.
     */
    static double[] measure(HotlineConfig config, java.time.ZoneId zone, int seconds, int rate) throws Exception {
        HotlineConfig c = config;
        String suffix = "-latency";
        c.kafka.callsTopic += suffix;
        c.kafka.ticketsTopic += suffix;
        c.kafka.groupId += suffix;
        LocalKafka.createTopics(c.kafka.bootstrapServers, Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2));
        var job = JobLauncher.start(
                StreamExecutionEnvironment.getExecutionEnvironment(), c, KafkaSources.Reading.LIVE, s -> {});
        Thread.sleep(5000); // the job up and reading
        int total = seconds * rate;
        long[] sentAt = new long[total];
        long[] readableAt = new long[total];
        EventWriter writer = new EventWriter(zone);
        Properties p = c.kafka.clientProperties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Thread poller = new Thread(() -> poll(c, total, readableAt), "bench-latency-poller");
        poller.start();
        try (CheckedProducer producer = new CheckedProducer(p, c.kafka.bootstrapServers, List.of(c.kafka.callsTopic))) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String id = String.format("L%08d", i);
                CallEvent e = new CallEvent(
                        id + "-offered",
                        1,
                        CallEventType.OFFERED,
                        System.currentTimeMillis(),
                        id,
                        "12345",
                        "latency",
                        null,
                        null,
                        null);
                sentAt[i] = System.nanoTime();
                producer.send(c.kafka.callsTopic, id, writer.write(e));
            }
            producer.finish();
        }
        poller.join(60_000);
        job.cancel().get();
        double[] latencies = new double[total];
        for (int i = 0; i < total; i++) {
            latencies[i] = (readableAt[i] - sentAt[i]) / 1e6;
        }
        Arrays.sort(latencies);
        return new double[] {latencies[total / 2], latencies[(int) (total * 0.95)], latencies[(int) (total * 0.99)]};
    }

    /** Marks when each latency call became readable: ids are in order, so the count says which. */
    private static void poll(HotlineConfig c, int total, long[] readableAt) {
        try (ClickHouseSql sql = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            Map<Integer, Boolean> seen = new HashMap<>();
            while (seen.size() < total && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                for (var row : sql.rows("SELECT call_id FROM " + c.clickhouse.database
                        + ".call_events WHERE caller_region = 'latency'")) {
                    int i = Integer.parseInt(row.get("call_id").asText().substring(1));
                    if (seen.putIfAbsent(i, Boolean.TRUE) == null) {
                        readableAt[i] = now;
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
