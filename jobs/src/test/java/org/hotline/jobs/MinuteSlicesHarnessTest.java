package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-minute counting with the clock in the test's hands: early updates at the processing times set
 * here, the complete row when the watermark passes the minute, corrections within the allowed lateness,
 * later elements aside, and nothing left in state or timers once a minute is final.
 */
class MinuteSlicesHarnessTest {

    static final long EARLY_MS = 300;
    static final long LATENESS_MS = 120_000;
    static final OutputTag<Long> LATE = new OutputTag<>("late", Types.LONG);

    KeyedOneInputStreamOperatorTestHarness<Long, Long, String> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
        harness.setProcessingTime(0);
    }

    /** Rows as "minute:count@version". */
    static KeyedOneInputStreamOperatorTestHarness<Long, Long, String> harness() throws Exception {
        MinuteSlices<Long, Long, String> counting = new MinuteSlices<>(
                new Count(),
                e -> "all",
                (minute, n, version) -> (minute - t(0, 0)) / 60_000 + ":" + n + "@" + version,
                Types.LONG,
                LATE,
                Duration.ofMillis(EARLY_MS),
                Duration.ofMillis(LATENESS_MS));
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(counting), MinuteSlices::minuteOf, Types.LONG);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aMinuteInProgressIsWrittenEveryEarlyIntervalThenOnceComplete() throws Exception {
        event(t(0, 5));
        event(t(0, 10));
        assertThat(emitted()).as("nothing before the first early update").isEmpty();
        harness.setProcessingTime(EARLY_MS);
        assertThat(emitted()).containsExactly("0:2");

        event(t(0, 20));
        harness.setProcessingTime(EARLY_MS + 100); // the next early update is due an interval after this element
        assertThat(emitted()).containsExactly("0:2");
        event(t(0, 40));
        harness.processWatermark(t(1, 0)); // minute 0 complete: written with what came since the last update
        assertThat(emitted()).containsExactly("0:2", "0:4");
        harness.setProcessingTime(10 * EARLY_MS); // nothing changed since: the pending early update writes nothing
        assertThat(emitted()).containsExactly("0:2", "0:4");
    }

    @Test
    void aLateElementCorrectsItsMinuteAtOnceUntilTheLatenessHasPassedThenGoesAside() throws Exception {
        event(t(0, 5));
        harness.processWatermark(t(1, 0));
        event(t(0, 30)); // late, within the allowed lateness
        assertThat(emitted()).containsExactly("0:1", "0:2");

        harness.processWatermark(t(0, 0) + 60_000 - 1 + LATENESS_MS);
        event(t(0, 50)); // past the lateness: aside, the row stays
        assertThat(emitted()).containsExactly("0:1", "0:2");
        assertThat(harness.getSideOutput(LATE))
                .extracting(StreamRecord::getValue)
                .containsExactly(t(0, 50));
    }

    @Test
    void aFinalMinuteLeavesNoStateAndNoTimers() throws Exception {
        event(t(0, 5));
        event(t(1, 5));
        assertThat(harness.numEventTimeTimers())
                .as("written at the end, forgotten after the lateness; per minute")
                .isEqualTo(4);
        assertThat(harness.numProcessingTimeTimers())
                .as("one early update per minute")
                .isEqualTo(2);

        harness.processWatermark(t(2, 0) + LATENESS_MS);

        assertThat(emitted()).containsExactlyInAnyOrder("0:1", "1:1");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers())
                .as("the pending early updates are deleted")
                .isZero();
    }

    /**
     * A row written later carries a higher version, also after a restore from a checkpoint taken before rows the
     * crashed task had written since: the store keeps the last row written, never an older, incomplete one.
     */
    @Test
    void aRowWrittenLaterHasAHigherVersionAlsoAfterARestore() throws Exception {
        event(t(0, 5));
        var checkpoint = harness.snapshot(1, 1);
        event(t(0, 10));
        event(t(0, 20));
        harness.processWatermark(t(1, 0)); // written by the task that then crashes: "0:3"
        List<String> beforeTheCrash = harness.extractOutputValues();
        harness.close();
        long crashedAtMs = version(beforeTheCrash.get(0)) / 1000;
        await().until(() -> System.currentTimeMillis() > crashedAtMs); // a restart takes longer than a millisecond

        harness = Harnesses.restored(harness(), checkpoint);
        event(t(0, 10));
        harness.processWatermark(t(1, 0)); // the restored task has seen less so far: "0:2"
        List<String> afterTheRestore = harness.extractOutputValues();

        assertThat(beforeTheCrash)
                .extracting(r -> r.substring(0, r.indexOf('@')))
                .containsExactly("0:3");
        assertThat(afterTheRestore)
                .extracting(r -> r.substring(0, r.indexOf('@')))
                .containsExactly("0:2");
        assertThat(version(afterTheRestore.get(0))).isGreaterThan(version(beforeTheCrash.get(0)));
    }

    /**
     * Flink starts a restored job's watermark over from the beginning of time: an element for a minute that was final
     * before the checkpoint goes aside after the restore as it did before, instead of opening the minute again and
     * writing a row of its own count alone over the complete one.
     */
    @Test
    void aMinuteFinalBeforeACheckpointStaysFinalAfterTheRestore() throws Exception {
        event(t(0, 5));
        event(t(0, 6));
        harness.processWatermark(t(1, 0) + LATENESS_MS); // minute 0 written ("0:2") and forgotten
        var checkpoint = harness.snapshot(1, 1);
        harness.close();

        harness = Harnesses.restored(harness(), checkpoint);
        event(t(0, 30));
        harness.processWatermark(t(2, 0) + LATENESS_MS);
        assertThat(emitted()).as("no row for minute 0 over the complete one").isEmpty();
        assertThat(harness.getSideOutput(LATE))
                .extracting(StreamRecord::getValue)
                .containsExactly(t(0, 30));
    }

    @Test
    void versionsGrowWithEveryRowOfTheTask() throws Exception {
        for (int i = 0; i < 50; i++) {
            event(t(i, 0));
            harness.processWatermark(t(i + 1, 0));
        }
        List<Long> versions = harness.extractOutputValues().stream()
                .map(MinuteSlicesHarnessTest::version)
                .toList();
        assertThat(versions).hasSize(50).isSorted().doesNotHaveDuplicates();
    }

    private void event(long timeMs) throws Exception {
        harness.processElement(timeMs, timeMs);
    }

    /** The rows written, without their versions. */
    private List<String> emitted() {
        return harness.extractOutputValues().stream()
                .map(r -> r.substring(0, r.indexOf('@')))
                .toList();
    }

    static long version(String row) {
        return Long.parseLong(row.substring(row.indexOf('@') + 1));
    }

    /** 2023-09-01 08:mm:ss in Shanghai, in epoch milliseconds. */
    static long t(int minute, int second) {
        return HotlineJobTest.t(minute, second);
    }

    /** Counts the elements. */
    static final class Count implements AggregateFunction<Long, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long value, Long acc) {
            return acc + 1;
        }

        @Override
        public Long getResult(Long acc) {
            return acc;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }
}
