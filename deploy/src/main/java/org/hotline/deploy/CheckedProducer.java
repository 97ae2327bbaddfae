package org.hotline.deploy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka producer that cannot lose a record without saying so. Every send is acknowledged or fails the
 * writer: the first failure is thrown by the next {@link #send} and by {@link #finish}, with how many
 * records were stored and how many were not. At the end the records on each topic (end offsets after
 * minus before) are compared with the records acknowledged.
 *
 * <p>Why it bounds the records in flight: a producer accepts records as fast as they are handed to it
 * and expires those still queued after {@code delivery.timeout.ms} (two minutes). A month handed over
 * at once waits in its buffer while a busy broker takes it in; on a loaded machine the tail of the
 * queue expired, and the plain {@code send(...)} whose result nobody read lost those events silently.
 * With at most {@link #MAX_IN_FLIGHT} records outstanding a record waits only behind a few megabytes.
 */
public final class CheckedProducer implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 20_000;

    private final KafkaProducer<String, String> producer;
    private final String bootstrap;
    private final Map<String, Long> endOffsetsBefore;
    private final Map<String, LongAdder> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong handedOver = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    /**
     * Opens a producer for {@code topics}, which must exist (with their partitions): sending to a missing
     * topic would only wait for its metadata and then fail.
     */
    public CheckedProducer(Properties clientProperties, String bootstrapServers, Collection<String> topics) {
        this.bootstrap = bootstrapServers;
        this.endOffsetsBefore = endOffsets(bootstrapServers, Set.copyOf(topics));
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // retries within the producer add no copies
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(p);
    }

    public void send(String topic, String key, String value) {
        send(topic, null, key, value);
    }

    /** Hands one record over; throws if an earlier one failed (nothing more is sent after a loss). */
    public void send(String topic, Integer partition, String key, String value) {
        if (!endOffsetsBefore.containsKey(topic)) {
            throw new IllegalArgumentException("topic " + topic + " was not named when this producer was opened");
        }
        throwIfFailed();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotStoredException("interrupted while sending to " + topic, stored(), e);
        }
        handedOver.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.computeIfAbsent(topic, t -> new LongAdder()).increment();
                } else {
                    firstFailure.compareAndSet(null, error);
                }
                inFlight.release();
            });
        } catch (RuntimeException e) { // refused before it was queued (e.g. too large, producer closed)
            firstFailure.compareAndSet(null, e);
            inFlight.release();
            throwIfFailed();
        }
    }

    /**
     * Waits for every record's acknowledgement, then checks the topics: throws {@link NotStoredException}
     * when a record failed or fewer records arrived on a topic than were acknowledged.
     */
    public Delivery finish() {
        producer.flush(); // returns when every record handed over has been acknowledged or has failed
        throwIfFailed();
        Map<String, Long> after = endOffsets(bootstrap, endOffsetsBefore.keySet());
        Map<String, Long> sent = new LinkedHashMap<>();
        Map<String, Long> onTopic = new LinkedHashMap<>();
        for (String topic : endOffsetsBefore.keySet().stream().sorted().toList()) {
            sent.put(topic, acknowledgedOn(topic));
            onTopic.put(topic, after.get(topic) - endOffsetsBefore.get(topic));
        }
        Delivery d = new Delivery(sent, onTopic);
        long missing = sent.keySet().stream()
                .mapToLong(t -> Math.max(0, sent.get(t) - onTopic.get(t)))
                .sum();
        if (missing > 0) {
            throw new NotStoredException(
                    String.format("%,d record(s) acknowledged but not on the topics at %s: %s", missing, bootstrap, d),
                    stored() - missing,
                    null);
        }
        return d;
    }

    /** Records acknowledged so far, over all topics. */
    public long stored() {
        return acknowledged.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private long acknowledgedOn(String topic) {
        LongAdder a = acknowledged.get(topic);
        return a == null ? 0 : a.sum();
    }

    private void throwIfFailed() {
        Exception e = firstFailure.get();
        if (e != null) {
            producer.flush(); // settle the records still in flight, so that the counts are final
            throw new NotStoredException(
                    String.format(
                            "%,d record(s) handed to Kafka at %s were not stored: %s",
                            handedOver.get() - stored(), bootstrap, e.getMessage()),
                    stored(),
                    e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    /** The sum of the end offsets of each topic's partitions; fails clearly for a topic that does not exist. */
    public static Map<String, Long> endOffsets(String bootstrap, Set<String> topics) {
        try (Admin admin = LocalKafka.admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> missing =
                    topics.stream().filter(t -> !existing.contains(t)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "no such topic on Kafka at " + bootstrap + ": " + String.join(", ", missing)
                                + " (topics are created with their partitions before anything is sent)");
            }
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> latest = described.values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<String, Long> sums = new LinkedHashMap<>();
            topics.forEach(t -> sums.put(t, 0L));
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
            return sums;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IllegalStateException(
                        "Kafka at " + bootstrap + " did not answer (is it running, is the address " + "right?): "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
            throw new IllegalStateException(
                    "could not read the offsets of " + topics + " at " + bootstrap + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Per topic: records acknowledged, and records that arrived on it meanwhile (end offsets after minus before). */
    public record Delivery(Map<String, Long> sent, Map<String, Long> onTopic) {
        public long total() {
            return sent.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return sent.keySet().stream()
                    .map(t -> String.format("%s: %,d sent, %,d on the topic", t, sent.get(t), onTopic.get(t)))
                    .collect(Collectors.joining("; "));
        }
    }

    /** Some records were not stored: the message says how many; {@link #stored()} how many were. */
    public static final class NotStoredException extends RuntimeException {
        private final long stored;

        public NotStoredException(String message, long stored, Throwable cause) {
            super(message, cause);
            this.stored = stored;
        }

        public long stored() {
            return stored;
        }
    }
}
