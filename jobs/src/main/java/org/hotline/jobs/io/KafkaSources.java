package org.hotline.jobs.io;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hotline.config.HotlineConfig;
import org.hotline.events.CallEvent;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.alerts.AlertJson;

/**
 * The job's Kafka sources: every record becomes a {@link Sourced}, parsed or kept with its reason.
 */
public final class KafkaSources {
    private KafkaSources() {}

    /** Where to start and whether to stop: a live run resumes and never ends; a replay reads from the start to the end. */
    public record Reading(boolean fromStart, boolean bounded) {
        public static final Reading LIVE = new Reading(false, false);
        public static final Reading REPLAY = new Reading(true, true);
    }

    /** The calls topic; an event stamped more than {@code maxAhead} past the clock is kept aside. */
    public static Source<Sourced<CallEvent>, ?, ?> calls(
            HotlineConfig.Kafka kafka, Reading reading, Duration maxAhead) {
        return build(kafka, kafka.callsTopic, SourcedDeserializer.calls(maxAhead), reading);
    }

    public static Source<Sourced<TicketEvent>, ?, ?> tickets(
            HotlineConfig.Kafka kafka, Reading reading, Duration maxAhead) {
        return build(kafka, kafka.ticketsTopic, SourcedDeserializer.tickets(maxAhead), reading);
    }

    /** The alerts topic: each alert as JSON, keyed by what it is about. */
    public static KafkaSink<Alert> alerts(HotlineConfig.Kafka kafka) {
        String topic = kafka.alertsTopic;
        return KafkaSink.<Alert>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setKafkaProducerConfig(kafka.clientProperties())
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<Alert>) (a, context, timestamp) -> new ProducerRecord<>(
                                topic,
                                a.key().getBytes(StandardCharsets.UTF_8),
                                AlertJson.toJson(a).toString().getBytes(StandardCharsets.UTF_8)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    @SuppressWarnings("deprecation") // the connector's API still takes OffsetResetStrategy
    private static <T> Source<Sourced<T>, ?, ?> build(
            HotlineConfig.Kafka kafka, String topic, SourcedDeserializer<T> deserializer, Reading reading) {
        var builder = KafkaSource.<Sourced<T>>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(topic)
                .setGroupId(kafka.groupId)
                .setClientIdPrefix(kafka.groupId + "-" + topic)
                .setStartingOffsets(
                        reading.fromStart()
                                ? OffsetsInitializer.earliest()
                                : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .setProperties(kafka.clientProperties());
        if (!reading.bounded()) {
            return builder.build();
        }
        builder.setBounded(OffsetsInitializer.latest());
        Properties admin = kafka.clientProperties();
        admin.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        return new EndingKafkaSource<>(builder.build(), topic, admin); // ends after a restore too
    }
}
