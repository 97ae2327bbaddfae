package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;

class ExchangesTest {

    /**
     * At parallelism 1 what counts the tickets' facts runs in one task, after one hand-over from the lifecycle's; what
     * reads the calls' minute rows runs in the task that counts them: no exchange between them.
     */
    @Test
    void atParallelismOneTheMinuteRowsAreHandedOnInPlace() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new InMemoryJob().build(env, List.of(InMemoryJob.PROBE_CALL), List.of(InMemoryJob.PROBE_TICKET)); // p = 1
        List<String> tasks = new ArrayList<>();
        for (JobVertex v : env.getStreamGraph().getJobGraph().getVertices()) {
            tasks.add(v.getName());
        }
        assertThat(task(tasks, "facts on time"))
                .contains("tickets per day", "rolling ticket figures", "rolling hotspot counts", "tickets per minute")
                .doesNotContain("ticket lifecycle");
        assertThat(task(tasks, "calls per minute"))
                .contains("calls per quarter hour", "rolling call figures", "call alerts");
    }

    @Test
    void withMoreSubtasksItIsAnExchangeByKey() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Long> numbers = env.fromData(1L, 2L, 3L);
        assertThat(((PartitionTransformation<?>)
                                Exchanges.byKey(numbers, (Long n) -> n % 2).getTransformation())
                        .getPartitioner())
                .isInstanceOf(KeyGroupStreamPartitioner.class);
        env.setParallelism(1);
        DataStream<Long> one = env.fromData(1L, 2L, 3L);
        assertThat(((PartitionTransformation<?>)
                                Exchanges.byKey(one, (Long n) -> n % 2).getTransformation())
                        .getPartitioner())
                .isInstanceOf(ForwardPartitioner.class);
    }

    private static String task(List<String> tasks, String operator) {
        return tasks.stream().filter(t -> t.contains(operator)).findFirst().orElseThrow();
    }
}
