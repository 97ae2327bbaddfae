package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Facts grouped on their way to the counts: every counted fact leaves exactly once, in order, and none is held across a
 * watermark, a checkpoint barrier or the end of the input.
 */
class FactGroupsHarnessTest {

    OneInputStreamOperatorTestHarness<Fact, FactGroup> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new FactGroups());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void consecutiveFactsOfOneKindTimeAndSignTravelTogether() throws Exception {
        fact(FactKind.CREATED, "all", "", 1000, 1);
        fact(FactKind.CREATED, "category", "环境", 1000, 1);
        fact(FactKind.CREATED, "tag", "噪音", 1000, 1);
        fact(FactKind.DISPATCHES, "unit", "u1", 1000, 1); // another kind
        fact(FactKind.DISPATCHES, "all", "", 2000, 1); // another time
        fact(FactKind.DISPATCHES, "all", "", 2000, -1); // another sign
        harness.processWatermark(new Watermark(2000));

        assertThat(output())
                .containsExactly(
                        "CREATED@1000+1 all= category=环境 tag=噪音",
                        "DISPATCHES@1000+1 unit=u1",
                        "DISPATCHES@2000+1 all=",
                        "DISPATCHES@2000-1 all=",
                        "watermark 2000");
    }

    @Test
    void aTicketsDueTimesAreNotCounted() throws Exception {
        fact(FactKind.OPENED, "unit", "u1", 1000, 1);
        fact(FactKind.OPENED, TicketLife.DUE, "u1|t1|5000", 1000, 1);
        fact(FactKind.OPENED, "all", "", 1000, 1);
        harness.processWatermark(new Watermark(1000));

        assertThat(output()).containsExactly("OPENED@1000+1 unit=u1 all=", "watermark 1000");
    }

    @Test
    void nothingIsHeldAcrossABarrierOrTheEnd() throws Exception {
        fact(FactKind.CREATED, "all", "", 1000, 1);
        harness.prepareSnapshotPreBarrier(1);
        assertThat(output()).containsExactly("CREATED@1000+1 all=");

        harness.getOutput().clear();
        fact(FactKind.COMPLETED, "unit", "u1", 3000, 1);
        harness.getOperator().finish(); // what Flink calls at the end of the input
        assertThat(output()).containsExactly("COMPLETED@3000+1 unit=u1");
    }

    @Test
    void aLongRunOfFactsIsSentInBoundedGroups() throws Exception {
        for (int i = 0; i < FactGroups.MAX + 1; i++) {
            fact(FactKind.OVERDUE_OPENED, "unit", "u" + i, 1000, 1);
        }
        harness.processWatermark(new Watermark(1000));

        List<FactGroup> groups = new ArrayList<>();
        harness.extractOutputValues().forEach(groups::add);
        assertThat(groups).extracting(FactGroup::size).containsExactly(FactGroups.MAX, 1);
        assertThat(groups.get(1).fact(0)).isEqualTo(new Fact(FactKind.OVERDUE_OPENED, "unit", "u64", 1000, 1));
    }

    private void fact(FactKind kind, String dimension, String value, long time, int sign) throws Exception {
        harness.processElement(new StreamRecord<>(new Fact(kind, dimension, value, time, sign), time));
    }

    /** Groups as "KIND@time±1 dimension=value ...", and watermarks, in the order they left. */
    private List<String> output() {
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("watermark " + w.getTimestamp());
            } else {
                FactGroup g = ((StreamRecord<FactGroup>) o).getValue();
                StringBuilder s = new StringBuilder(g.kind() + "@" + g.timeMs() + (g.sign() > 0 ? "+1" : "-1"));
                for (int i = 0; i < g.size(); i++) {
                    s.append(' ').append(g.dimensions()[i]).append('=').append(g.values()[i]);
                }
                out.add(s.toString());
            }
        }
        return out;
    }
}
