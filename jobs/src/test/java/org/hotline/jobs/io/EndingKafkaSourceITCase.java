package org.hotline.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
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
        produce(config);

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
        assertThat(read)
                .as("every record once (the topic holds these alone)")
                .hasSize(EVENTS)
                .doesNotHaveDuplicates();
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

    /** Valid call events on the calls topic (its two partitions), every one checked to be stored. */
    static void produce(HotlineConfig config) {
        EventWriter writer = new EventWriter(ZoneId.of("Asia/Shanghai"));
        long start = ZonedDateTime.of(2023, 9, 1, 8, 0, 0, 0, ZoneId.of("Asia/Shanghai"))
                .toInstant()
                .toEpochMilli();
        String topic = config.kafka.callsTopic;
        try (CheckedProducer producer =
                new CheckedProducer(config.kafka.clientProperties(), config.kafka.bootstrapServers, List.of(topic))) {
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
                producer.send(topic, e.callId(), writer.write(e));
            }
            assertThat(producer.finish().total()).isEqualTo(EVENTS);
        }
    }
}
