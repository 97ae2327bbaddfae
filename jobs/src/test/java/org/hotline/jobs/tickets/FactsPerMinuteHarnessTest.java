package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subtask's facts summed per minute and slice before the network ({@link org.hotline.jobs.CombinePerMinute}): what goes on is, minute by minute, the facts'
 * own sums (counted here by hand), and it goes on before the watermark that passes the minute, before a checkpoint
 * barrier, at each flush of the wall clock and at the end of the input, so nothing is held where it could be lost or
 * arrive too late.
 */
class FactsPerMinuteHarnessTest {

    static final long FLUSH_MS = 500;
    static final long T0 = 1_693_497_600_000L; // 2023-09-01 00:00 +08:00, a minute's start

    OneInputStreamOperatorTestHarness<Fact, MinuteFacts> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(FactCounts.perMinute(Duration.ofMillis(FLUSH_MS)));
        harness.setup();
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static long t(int minute, int second) {
        return T0 + minute * 60_000L + second * 1_000L;
    }

    static Fact fact(FactKind kind, String dimension, String value, long timeMs, int sign) {
        return new Fact(kind, dimension, value, timeMs, sign);
    }

    void in(Fact f) throws Exception {
        harness.processElement(new StreamRecord<>(f, f.timeMs()));
    }

    /** What went on so far, in order: "m<minute> <dimension>=<value> <kind>:<count> ..." per slice, "wm<minute:second>". */
    List<String> out() {
        List<String> seen = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof Watermark w) {
                seen.add("wm" + (w.getTimestamp() - T0) / 1000);
            } else {
                MinuteFacts m = ((StreamRecord<MinuteFacts>) o).getValue();
                List<String> slices = new ArrayList<>();
                for (FactCounts.Acc a : m.slices()) {
                    StringBuilder s = new StringBuilder(a.dimension + "=" + a.value);
                    for (FactKind k : FactKind.values()) {
                        if (a.counts[k.ordinal()] != 0) {
                            s.append(' ').append(k.column()).append(':').append(a.counts[k.ordinal()]);
                        }
                    }
                    slices.add(s.toString());
                }
                slices.sort(null);
                seen.add("m" + (m.minuteStartMs() - T0) / 60_000 + " " + String.join(" | ", slices));
            }
        }
        return seen;
    }

    @Test
    void aMinutesFactsGoOnSummedPerSliceBeforeTheWatermarkThatPassesItsEnd() throws Exception {
        in(fact(FactKind.CREATED, "all", "", t(0, 5), 1));
        in(fact(FactKind.CREATED, "category", "路灯", t(0, 5), 1));
        in(fact(FactKind.CREATED, "all", "", t(0, 30), 1));
        in(fact(FactKind.DISPATCHES, "unit", "U1", t(0, 31), 1));
        in(fact(FactKind.CREATED, "all", "", t(1, 2), 1)); // the next minute
        harness.processWatermark(new Watermark(t(0, 59)));
        assertThat(out()).as("the watermark is inside minute 0: held").containsExactly("wm59");

        harness.processWatermark(new Watermark(t(1, 0) - 1)); // minute 0's last millisecond
        assertThat(out())
                .containsExactly(
                        "wm59", "m0 all= created:2 | category=路灯 created:1 | unit=U1 dispatches:1", "wm59") // 59.999 s
                .hasSize(3);
        assertThat(harness.getOutput()).last().isEqualTo(new Watermark(t(1, 0) - 1));
    }

    @Test
    void aCorrectionForAMinuteAlreadyPassedGoesOnBeforeTheNextWatermark() throws Exception {
        harness.processWatermark(new Watermark(t(5, 0)));
        in(fact(FactKind.OPENED, "unit", "U1", t(2, 0), -1)); // a late step retracts and adds
        in(fact(FactKind.OPENED, "unit", "U2", t(2, 0), 1));
        in(fact(FactKind.OPENED, "unit", "U1", t(2, 10), 1));
        in(fact(FactKind.OPENED, "unit", "U1", t(2, 10), -1));
        harness.processWatermark(new Watermark(t(5, 1)));
        assertThat(out()).containsExactly("wm300", "m2 unit=U1 opened:-1 | unit=U2 opened:1", "wm301");
    }

    @Test
    void everythingHeldGoesOnBeforeACheckpointBarrierAndNothingIsKeptInTheSnapshot() throws Exception {
        in(fact(FactKind.CREATED, "all", "", t(0, 5), 1));
        in(fact(FactKind.CREATED, "all", "", t(3, 5), 1));
        harness.prepareSnapshotPreBarrier(1);
        assertThat(out()).containsExactly("m0 all= created:1", "m3 all= created:1");
        var snapshot = harness.snapshot(1, 1);

        OneInputStreamOperatorTestHarness<Fact, MinuteFacts> restored =
                new OneInputStreamOperatorTestHarness<>(FactCounts.perMinute(Duration.ofMillis(FLUSH_MS)));
        restored.setup();
        restored.initializeState(snapshot);
        restored.open();
        restored.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(restored.extractOutputValues())
                .as("nothing sent twice after a restore")
                .isEmpty();
        restored.close();
    }

    @Test
    void theMinuteInProgressGoesOnAtEachFlushOfTheWallClock() throws Exception {
        in(fact(FactKind.CREATED, "all", "", t(0, 5), 1));
        harness.setProcessingTime(FLUSH_MS - 1);
        assertThat(out()).isEmpty();
        harness.setProcessingTime(FLUSH_MS);
        assertThat(out()).containsExactly("m0 all= created:1");
        in(fact(FactKind.CREATED, "all", "", t(0, 6), 1));
        harness.setProcessingTime(2 * FLUSH_MS);
        assertThat(out()).containsExactly("m0 all= created:1", "m0 all= created:1");
        harness.setProcessingTime(10 * FLUSH_MS);
        assertThat(out()).as("nothing held: nothing sent").hasSize(2);
    }

    @Test
    void theEndOfTheInputSendsWhatIsHeld() throws Exception {
        in(fact(FactKind.CREATED, "all", "", t(0, 5), 1));
        harness.endInput();
        assertThat(out()).containsExactly("m0 all= created:1");
    }

    @Test
    void whatGoesOnAddsUpToTheFactsWhateverTheWatermarksAndFlushes() throws Exception {
        java.util.Random random = new java.util.Random(17);
        String[] units = {"U1", "U2", "U3"};
        long[][] truth = new long[30][FactKind.values().length]; // minute x kind, unit U1 only
        long watermark = T0 - 1;
        for (int i = 0; i < 5_000; i++) {
            long time = watermark + 1 + random.nextInt(90_000); // up to a minute and a half ahead of the watermark
            if (time >= t(30, 0)) {
                continue;
            }
            FactKind kind = FactKind.values()[random.nextInt(FactKind.values().length)];
            String unit = units[random.nextInt(units.length)];
            int sign = random.nextInt(10) == 0 ? -1 : 1;
            in(fact(kind, "unit", unit, time, sign));
            if (unit.equals("U1")) {
                truth[(int) ((time - T0) / 60_000)][kind.ordinal()] += sign;
            }
            switch (random.nextInt(20)) {
                case 0 -> harness.processWatermark(new Watermark(watermark += random.nextInt(30_000)));
                case 1 -> harness.setProcessingTime(harness.getProcessingTime() + FLUSH_MS);
                case 2 -> harness.prepareSnapshotPreBarrier(i);
                default -> {}
            }
        }
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        long[][] sent = new long[30][FactKind.values().length];
        for (MinuteFacts m : harness.extractOutputValues()) {
            for (FactCounts.Acc a : m.slices()) {
                if (a.value.equals("U1")) {
                    int minute = (int) ((m.minuteStartMs() - T0) / 60_000);
                    for (int k = 0; k < a.counts.length; k++) {
                        sent[minute][k] += a.counts[k];
                    }
                }
            }
        }
        assertThat(sent).isDeepEqualTo(truth);
        assertThat(Arrays.stream(truth)
                        .flatMapToLong(Arrays::stream)
                        .map(Math::abs)
                        .sum())
                .as("the check counts something")
                .isGreaterThan(500);
    }
}
