package org.hotline.jobs.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.config.HotlineConfig;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventWriter;
import org.hotline.jobs.CollectingSink;
import org.hotline.jobs.SharedServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replay (a bounded read of the topics) stopped midway and resumed from its savepoint reads the rest and ends by
 * itself, each record once: with the connector's own enumerator the resumed read never ended (FLINK-31006).
 */
@ExtendWith(SharedServices.class)
class EndingKafkaSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final int EVENTS = 3000;

    @Test
    void aReplayResumedFromItsSavepointEndsWithEveryRecordOnce() throws Exception {
        HotlineConfig config = SharedServices.config("ending_source");
        List<String> sent = produce(config);

        // the first run reads slowly and is stopped with a savepoint before it reaches the end
        CollectingSink<String> before = new CollectingSink<>();
        JobClient first = replay(config, before, new Configuration(), 10).executeAsync("replay, stopped");
        await().atMost(Duration.ofMinutes(2)).until(() -> before.results().size() >= 300);
        Path savepoints = Files.createDirectories(Path.of("target", "ending-source-savepoints"));
        String savepoint = first.stopWithSavepoint(
                        false, savepoints.toAbsolutePath().toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        assertThat(before.results()).as("stopped before the end").hasSizeLessThan(EVENTS);

        // the second run resumes from it and must end by itself
        CollectingSink<String> after = new CollectingSink<>();
        Configuration resume = new Configuration();
        resume.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = replay(config, after, resume, 0).executeAsync("replay, resumed");
        second.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        List<String> read = new ArrayList<>(before.results());
        read.addAll(after.results());
        assertThat(read).as("every record once").containsExactlyInAnyOrderElementsOf(sent);
        assertThat(after.results()).as("the resumed run read the rest").isNotEmpty();
    }

    /** The job's bounded source, each record's partition and offset collected, {@code pauseMs} after each. */
    static StreamExecutionEnvironment replay(
            HotlineConfig config, CollectingSink<String> sink, Configuration conf, long pauseMs) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromSource(
                        KafkaSources.calls(config.kafka, KafkaSources.Reading.REPLAY, Duration.ofHours(1)),
                        WatermarkStrategy.noWatermarks(),
                        "calls")
                .uid("calls")
                .map(s -> {
                    Thread.sleep(pauseMs); // the first run: 30 s for 3,000 records, stopped long before its end
                    return s.partition() + ":" + s.offset();
                })
                .uid("where")
                .sinkTo(sink)
                .uid("collect");
        return env;
    }

    /** Valid call events on the calls topic's two partitions, each send checked; returns where each went. */
    static List<String> produce(HotlineConfig config) throws Exception {
        EventWriter writer = new EventWriter(ZoneId.of("Asia/Shanghai"));
        long start = java.time.ZonedDateTime.of(2023, 9, 1, 8, 0, 0, 0, ZoneId.of("Asia/Shanghai"))
                .toInstant()
                .toEpochMilli();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka.bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < EVENTS; i++) {
                CallEvent e = new CallEvent(
                        "c" + i + "-o",
                        1,
                        CallEventType.OFFERED,
                        start + i * 1000L,
                        "c" + i,
                        "12345",
                        "雨湖区",
                        null,
                        null,
                        null);
                sends.add(producer.send(new ProducerRecord<>(
                        config.kafka.callsTopic, e.callId(), writer.write(e).getBytes(UTF_8))));
            }
        }
        List<String> where = new ArrayList<>();
        for (Future<RecordMetadata> s : sends) {
            RecordMetadata m = s.get();
            where.add(m.partition() + ":" + m.offset());
        }
        return where;
    }
}
