package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Every record the job passes between operators has a serializer of its own kind (a POJO's, a record's, an array's),
 * none falls back to Kryo's generic one, which is several times slower: the job turns generic types off, so a state
 * type that would need Kryo fails the job tests that run it instead of slowing every checkpoint.
 */
class JobTypesTest {

    @Test
    void noOperatorReadsItsInputThroughKryoAndGenericTypesAreRefused() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new InMemoryJob().build(env, List.of(InMemoryJob.PROBE_CALL), List.of(InMemoryJob.PROBE_TICKET));
        List<String> generic = new ArrayList<>();
        env.getStreamGraph().getStreamNodes().forEach(n -> {
            for (var serializer : n.getTypeSerializersIn()) {
                if (serializer != null && serializer.getClass().getName().contains("Kryo")) {
                    generic.add(n.getOperatorName() + ": " + serializer);
                }
            }
        });
        assertThat(generic).isEmpty();
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled())
                .isTrue();
    }
}
