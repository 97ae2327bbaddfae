package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** {@link HotlineJob#KEEPS_HISTORY} names operators of the job as it is built: a uid renamed or dropped would make the resume check say nothing. */
class KeepsHistoryTest {

    @Test
    void everyOperatorNamedIsInTheJob() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new InMemoryJob().build(env, List.of(InMemoryJob.PROBE_CALL), List.of(InMemoryJob.PROBE_TICKET));
        Set<String> uids = new HashSet<>();
        env.getStreamGraph().getStreamNodes().forEach(n -> uids.add(n.getTransformationUID()));
        assertThat(uids).containsAll(HotlineJob.KEEPS_HISTORY);
    }
}
