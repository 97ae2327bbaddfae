package org.hotline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hotline.config.HotlineConfig;
import org.hotline.events.EventParser;

/** The ceiling: plain Kafka consumers that only read the events and parse them with the job's parser. */
final class Ceiling {
    private Ceiling() {}

    /**
     * Events per second that {@code consumers} plain consumers reach reading both topics from the start
     * and parsing each event with the job's parser. Partitions are assigned by hand (no group to join),
     * split between the consumers, so the figure is reading and parsing only.
     */
    static double measure(HotlineConfig config, long events, int consumers) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(config.kafka.callsTopic, config.kafka.ticketsTopic)) {
            for (int p = 0; p < 2; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        AtomicLong parsed = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < consumers; i++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int k = i; k < partitions.size(); k += consumers) {
                mine.add(partitions.get(k));
            }
            Thread t = new Thread(
                    () -> {
                        Properties p = new Properties();
                        p.putAll(config.kafka.clientProperties());
                        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka.bootstrapServers);
                        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
                        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
                        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
                        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                            c.assign(mine);
                            c.seekToBeginning(mine);
                            Map<TopicPartition, Long> end = c.endOffsets(mine);
                            while (mine.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                                    boolean ok = r.topic().equals(config.kafka.callsTopic)
                                            ? EventParser.parseCall(r.value()).isOk()
                                            : EventParser.parseTicket(r.value()).isOk();
                                    (ok ? parsed : bad).incrementAndGet();
                                }
                            }
                        }
                    },
                    "bench-consumer-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (bad.get() > 0 || parsed.get() != events) {
            throw new IllegalStateException(
                    parsed.get() + " events parsed and " + bad.get() + " refused, of " + events);
        }
        return events / Benchmark.seconds(start);
    }
}
