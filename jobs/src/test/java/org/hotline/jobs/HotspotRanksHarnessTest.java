package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hotspots' ranking: most first (then by name), every slot written, a value out of every window forgotten. */
class HotspotRanksHarnessTest {

    static final int TOP = 3;
    HotspotRanks ranks;
    KeyedOneInputStreamOperatorTestHarness<String, Rolling.Row, HotspotRanks.Rank> harness;
    long processingTime;

    @BeforeEach
    void open() throws Exception {
        ranks = new HotspotRanks(TOP, Duration.ofMillis(1000));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(ranks), Rolling.Row::dimension, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** A value's counts in the six hotspot periods: hour, the hour before, today, yesterday's part, month, the month before. */
    void counts(String value, long... byPeriod) throws Exception {
        for (int i = 0; i < byPeriod.length; i++) {
            harness.processElement(new StreamRecord<>(new Rolling.Row(
                    "category", value, Rolling.HOTSPOT_PERIODS.get(i), 60_000, new long[] {byPeriod[i]}, 1)));
        }
    }

    /** The slots written at the next flush of {@code period}, as "rank value current previous". */
    List<String> flush(String period) throws Exception {
        processingTime += 1000;
        harness.setProcessingTime(processingTime);
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r
                    && r.getValue() instanceof HotspotRanks.Rank k
                    && k.period().equals(period)) {
                out.add(k.rank() + " " + k.value() + " " + k.current() + " " + k.previous());
            }
        }
        harness.getOutput().clear();
        return out;
    }

    @Test
    void mostFirstThenByNameWithTheWindowBeforeAndEveryRankSlotWritten() throws Exception {
        counts("路灯", 1, 0, 4, 1, 9, 2);
        counts("供水", 0, 3, 2, 5, 9, 9);
        counts("停车管理", 2, 2, 4, 0, 4, 0);
        counts("消费维权", 0, 0, 1, 0, 30, 20);
        assertThat(flush("today")).containsExactly("1 停车管理 4 0", "2 路灯 4 1", "3 供水 2 5");
        counts("消费维权", 0, 0, 0, 0, 0, 0); // out of every window
        counts("供水", 0, 0, 0, 0, 0, 1);
        assertThat(flush("today")).containsExactly("1 停车管理 4 0", "2 路灯 4 1", "3  0 0");
        harness.getOperator().setCurrentKey("category");
        assertThat(ranks.valuesHeld()).as("消费维权 forgotten").isEqualTo(3);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        List<String> hour = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r
                    && r.getValue() instanceof HotspotRanks.Rank k
                    && k.period().equals("hour")) {
                hour.add(k.rank() + " " + k.value() + " " + k.current() + " " + k.previous());
            }
        }
        assertThat(hour)
                .as("written once more at the end of the input")
                .containsExactly("1 停车管理 2 2", "2 路灯 1 0", "3  0 0");
    }
}
