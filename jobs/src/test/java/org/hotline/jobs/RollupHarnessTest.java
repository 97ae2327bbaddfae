package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history's roll-up with the clock in the test's hands: a span's row is the sum of its minutes' latest rows (a
 * rewritten minute replaces itself, the waits' maxima take the greatest), written at a flush while it is in progress,
 * when the watermark passes its end, and for late rows at the next flush; nothing left in state or timers once final.
 */
class RollupHarnessTest {

    static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
    static final long FLUSH_MS = 2_000;
    static final long LATENESS_MS = 3_600_000;
    static final long DAY_1 =
            ZonedDateTime.of(2023, 9, 1, 0, 0, 0, 0, CITY).toInstant().toEpochMilli();
    static final long DAY_2 = DAY_1 + 86_400_000;

    KeyedOneInputStreamOperatorTestHarness<String, Rollup.In, Rollup.Out> harness;
    Rollup rollup;

    @BeforeEach
    void open() throws Exception {
        rollup = new Rollup(
                Rollup.Span.DAY,
                new boolean[] {false, true},
                CITY,
                Duration.ofMillis(FLUSH_MS),
                Duration.ofMillis(LATENESS_MS));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(rollup), Rollup.In::key, Types.STRING);
        harness.open();
        harness.setProcessingTime(1); // flushes fall on multiples of FLUSH_MS
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** A minute row of the unit U1 at {@code hour}:{@code minute} of the day starting at {@code day}: a count and a maximum. */
    void minute(long day, int hour, int minute, long count, long max) throws Exception {
        long at = day + hour * 3_600_000L + minute * 60_000L;
        harness.processElement(new StreamRecord<>(
                new Rollup.In(Rollup.Span.DAY.start(at, CITY), "unit\u001fU1", at, new long[] {count, max})));
    }

    /** Rows written so far, as "day offset:count,max". */
    List<String> written() {
        return harness.extractOutputValues().stream()
                .map(o -> (o.spanStartMs() - DAY_1) / 86_400_000 + ":" + o.values()[0] + "," + o.values()[1] + " "
                        + o.part(0) + "/" + o.part(1))
                .toList();
    }

    @Test
    void theDaysRowIsTheSumOfItsMinutesLatestRowsWrittenAtAFlushAndAtItsEnd() throws Exception {
        minute(DAY_1, 9, 0, 2, 30);
        minute(DAY_1, 9, 1, 1, 10);
        assertThat(written()).as("nothing before the flush").isEmpty();
        harness.setProcessingTime(FLUSH_MS);
        assertThat(written()).containsExactly("0:3,30 unit/U1");

        minute(DAY_1, 9, 0, 5, 45); // minute 9:00 again, fuller: it replaces its earlier row
        harness.setProcessingTime(2 * FLUSH_MS);
        assertThat(written()).containsExactly("0:3,30 unit/U1", "0:6,45 unit/U1");
        harness.setProcessingTime(3 * FLUSH_MS); // nothing changed: no row
        assertThat(written()).hasSize(2);

        minute(DAY_1, 23, 59, 1, 5);
        harness.processWatermark(DAY_2 - 1); // the day has ended: written at once, not at the next flush
        assertThat(written()).containsExactly("0:3,30 unit/U1", "0:6,45 unit/U1", "0:7,45 unit/U1");
        harness.setProcessingTime(4 * FLUSH_MS);
        assertThat(written()).hasSize(3);
    }

    @Test
    void aLateRowCorrectsTheDayAtTheNextFlushUntilItIsFinalThenNothingIsHeld() throws Exception {
        minute(DAY_1, 10, 0, 4, 0);
        harness.processWatermark(DAY_2 + 60_000);
        assertThat(written()).containsExactly("0:4,0 unit/U1");
        minute(DAY_1, 10, 0, 6, 0); // the minute corrected by late events, within the allowed lateness
        minute(DAY_1, 11, 0, 1, 0);
        harness.setProcessingTime(FLUSH_MS);
        assertThat(written()).containsExactly("0:4,0 unit/U1", "0:7,0 unit/U1");

        harness.processWatermark(DAY_2 - 1 + LATENESS_MS); // final: forgotten
        assertThat(written()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theEndOfTheInputWritesWhatIsInProgress() throws Exception {
        minute(DAY_2, 8, 0, 3, 0);
        minute(DAY_1, 8, 0, 2, 0);
        harness.processWatermark(Long.MAX_VALUE); // a bounded input ends before any flush
        assertThat(written()).containsExactlyInAnyOrder("0:2,0 unit/U1", "1:3,0 unit/U1");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void additionsAreEachCountedOnceRetractionsIncludedAndNothingIsHeldOnceFinal() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(Rollup.additions(
                        Rollup.Span.DAY, 2, CITY, Duration.ofMillis(FLUSH_MS), Duration.ofMillis(LATENESS_MS))),
                Rollup.In::key,
                Types.STRING);
        harness.open();
        harness.setProcessingTime(1);
        minute(DAY_1, 9, 0, 1, 0);
        minute(DAY_1, 9, 0, 1, 0); // the same minute again: another fact, added (not a fuller row replacing the first)
        minute(DAY_1, 9, 5, 0, 1);
        harness.setProcessingTime(FLUSH_MS);
        assertThat(written()).containsExactly("0:2,1 unit/U1");
        minute(DAY_1, 9, 0, -1, 0); // a retraction
        minute(DAY_2, 0, 0, 1, 0);
        harness.processWatermark(DAY_2 - 1);
        assertThat(written()).containsExactly("0:2,1 unit/U1", "0:1,1 unit/U1");
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(written()).containsExactly("0:2,1 unit/U1", "0:1,1 unit/U1", "1:1,0 unit/U1");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void spansAreTheCitysDaysAndQuarterHours() {
        long lateEvening = DAY_1 - 60_000; // 23:59 on 31 August in the city, 15:59 UTC
        assertThat(Rollup.Span.DAY.start(lateEvening, CITY)).isEqualTo(DAY_1 - 86_400_000);
        assertThat(Rollup.Span.DAY.end(DAY_1 - 86_400_000, CITY)).isEqualTo(DAY_1);
        assertThat(Rollup.Span.QUARTER_HOUR.start(DAY_1 + 29 * 60_000, CITY)).isEqualTo(DAY_1 + 15 * 60_000);
        assertThat(Rollup.Span.QUARTER_HOUR.end(DAY_1 + 15 * 60_000, CITY)).isEqualTo(DAY_1 + 30 * 60_000);
    }
}
