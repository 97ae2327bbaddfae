package org.hotline.jobs.io;

import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka source that, bounded, also ends after a restore. The connector's enumerator, made again from a checkpoint
 * (a run resumed after a crash, a job restarted), tells its readers that no more splits will come only when its
 * discovery finds a partition it has not assigned yet; when every partition was assigned before the checkpoint it never
 * does, and the readers wait at their stopping offsets forever (FLINK-31006, open in the connector used here): a replay
 * resumed after a crash never ended, and its last minutes never became final. Here a restored bounded enumerator that
 * holds every partition of the topic as assigned sends that signal itself, to each reader once per registration.
 * Everything else is the connector's own.
 */
public final class EndingKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private final KafkaSource<T> kafka;
    private final String topic;
    private final Properties admin;

    EndingKafkaSource(KafkaSource<T> kafka, String topic, Properties admin) {
        this.kafka = kafka;
        this.topic = topic;
        this.admin = admin;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext ctx) throws Exception {
        return kafka.createReader(ctx);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> ctx) throws Exception {
        return kafka.createEnumerator(ctx);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> ctx, KafkaSourceEnumState state) throws Exception {
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored = kafka.restoreEnumerator(ctx, state);
        if (getBoundedness() != Boundedness.BOUNDED
                || state.assignedSplits().isEmpty()
                || !state.unassignedSplits().isEmpty()) {
            return restored; // splits left to assign: the connector's discovery ends it as it should
        }
        Set<TopicPartition> assigned = state.assignedSplits().stream()
                .map(KafkaPartitionSplit::getTopicPartition)
                .collect(Collectors.toSet());
        return new Ending(restored, ctx, assigned);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    /** The restored enumerator, which signals the end once the topic is known to hold no partition it has not assigned. */
    private final class Ending implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored;
        private final SplitEnumeratorContext<KafkaPartitionSplit> ctx;
        private final Set<TopicPartition> assigned;
        private final Set<Integer> signalled = new HashSet<>();
        private boolean ended;

        Ending(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored,
                SplitEnumeratorContext<KafkaPartitionSplit> ctx,
                Set<TopicPartition> assigned) {
            this.restored = restored;
            this.ctx = ctx;
            this.assigned = Set.copyOf(assigned);
        }

        @Override
        public void start() {
            restored.start();
            ctx.callAsync(this::partitions, (partitions, failure) -> {
                if (failure != null) {
                    throw new FlinkRuntimeException("Could not list the partitions of " + topic, failure);
                }
                if (assigned.containsAll(partitions)) { // else the connector's discovery assigns them, and ends
                    ended = true;
                    ctx.registeredReaders().keySet().forEach(this::signal);
                }
            });
        }

        private Set<TopicPartition> partitions() throws Exception {
            try (AdminClient client = AdminClient.create(admin)) {
                return client.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .collect(Collectors.toSet());
            }
        }

        private void signal(int reader) {
            if (signalled.add(reader)) {
                ctx.signalNoMoreSplits(reader);
            }
        }

        @Override
        public void addReader(int reader) {
            restored.addReader(reader); // its splits given back after a failure are assigned first
            signalled.remove(reader); // a reader registering again is a new one
            if (ended) {
                signal(reader);
            }
        }

        @Override
        public void handleSplitRequest(int reader, String host) {
            restored.handleSplitRequest(reader, host);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int reader) {
            restored.addSplitsBack(splits, reader);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return restored.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            restored.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int reader, SourceEvent event) {
            restored.handleSourceEvent(reader, event);
        }

        @Override
        public void close() throws java.io.IOException {
            restored.close();
        }
    }
}
