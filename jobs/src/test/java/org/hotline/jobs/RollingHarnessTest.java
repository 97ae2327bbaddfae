package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rolling figures with the clock in the test's hands. The truth is computed here by brute force from the latest row
 * of every slot: sums over the minutes of each period (the greatest for a maximum), as of the latest minute with data.
 */
class RollingHarnessTest {

    @Test
    void aSlotsMinuteIsReadBackAsWritten() {
        for (long minute : new long[] {0L, 1_693_526_460_000L, -60_000L, Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
            assertThat(Rolling.slotMinuteOf(Rolling.slot(minute, Keys.join("12345", "岳塘区"))))
                    .isEqualTo(minute);
        }
    }

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long FLUSH_MS = 1_000;
    /** Two values: a count, and a maximum. */
    static final boolean[] MAX = {false, true};

    Rolling rolling;
    KeyedOneInputStreamOperatorTestHarness<String, Rolling.In, Rolling.Row> harness;
    /** The latest row of each slot, per scope: what the truth is computed from. */
    final Map<String, Map<String, Rolling.In>> latest = new HashMap<>();

    long processingTime;

    @BeforeEach
    void open() throws Exception {
        rolling = new Rolling(MAX, ZONE, Duration.ofMillis(FLUSH_MS), Duration.ofHours(1));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(rolling), Rolling.In::scope, Types.STRING);
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static long t(int day, int hour, int minute) {
        return LocalDateTime.of(2024, 5, day, hour, minute)
                .atZone(ZONE)
                .toInstant()
                .toEpochMilli();
    }

    /** A minute's row; its maximum never falls below an earlier row's of the same slot (a minute's maximum only grows). */
    void row(String unit, String slice, long minute, long count, long max) throws Exception {
        Rolling.In earlier = latest.getOrDefault("unit\u001f" + unit, Map.of()).get(Rolling.slot(minute, slice));
        max = earlier == null ? max : Math.max(max, earlier.values()[1]);
        Rolling.In in = new Rolling.In("unit", unit, Rolling.slot(minute, slice), minute, new long[] {count, max});
        latest.computeIfAbsent(in.scope(), k -> new LinkedHashMap<>()).put(in.slot(), in);
        harness.processElement(new StreamRecord<>(in, minute));
    }

    /** Every row written so far, the last of each "unit period" (as a read with FINAL sees them). */
    final Map<String, Rolling.Row> board = new LinkedHashMap<>();

    /** The rows written at the next flush, per "unit period"; they also go on the {@link #board}. */
    Map<String, Rolling.Row> flush() throws Exception {
        processingTime += FLUSH_MS;
        harness.setProcessingTime(processingTime);
        Map<String, Rolling.Row> out = new LinkedHashMap<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Rolling.Row row) {
                out.put(row.value() + " " + row.period(), row);
            }
        }
        harness.getOutput().clear();
        board.putAll(out);
        return out;
    }

    /** The truth for one scope as of {@code now}: period -> {count, max}. */
    Map<String, long[]> truth(String unit, long now) {
        Map<String, long[]> out = new LinkedHashMap<>();
        java.time.LocalDate today =
                java.time.Instant.ofEpochMilli(now).atZone(ZONE).toLocalDate();
        for (String period : Rolling.PERIODS) {
            long[] f = new long[2];
            for (Rolling.In in :
                    latest.getOrDefault("unit\u001f" + unit, Map.of()).values()) {
                java.time.LocalDate day =
                        java.time.Instant.ofEpochMilli(in.minute()).atZone(ZONE).toLocalDate();
                boolean counts = switch (period) {
                    case "15m" -> in.minute() <= now && in.minute() > now - 15 * 60_000;
                    case "1h" -> in.minute() <= now && in.minute() > now - 60 * 60_000;
                    case "today" -> day.equals(today);
                    case "month" -> day.getMonth() == today.getMonth() && !day.isAfter(today);
                    default -> true;
                };
                if (counts) {
                    f[0] += in.values()[0];
                    f[1] = Math.max(f[1], in.values()[1]);
                }
            }
            out.put(period, f);
        }
        return out;
    }

    /** What the board shows for a scope: each period's figures, written when they changed. */
    Map<String, long[]> shown(String unit) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String period : Rolling.PERIODS) {
            Rolling.Row r = board.get(unit + " " + period);
            assertThat(r).as("%s %s written", unit, period).isNotNull();
            out.put(period, r.values());
        }
        return out;
    }

    @Test
    void eachPeriodIsTheSumOfItsMinutesRowsReplacedByLaterOnes() throws Exception {
        row("U1", "a", t(1, 9, 0), 5, 30);
        row("U1", "a", t(2, 9, 0), 2, 10);
        row("U1", "b", t(2, 9, 50), 1, 70);
        row("U1", "a", t(2, 10, 0), 3, 20);
        row("U1", "a", t(2, 10, 0), 4, 25); // the same minute again, with a late event: replaces, not adds
        Map<String, Rolling.Row> rows = flush();
        assertThat(rows.get("U1 total").asOfMs()).isEqualTo(t(2, 10, 0));
        assertThat(shown("U1")).usingRecursiveComparison().isEqualTo(truth("U1", t(2, 10, 0)));
        assertThat(rows.get("U1 15m").values()).as("10:00 and 9:50").containsExactly(5, 70);
        assertThat(rows.get("U1 today").values()).containsExactly(7, 70);
        assertThat(rows.get("U1 month").values()).containsExactly(12, 70);
        assertThat(flush()).as("nothing changed, nothing written").isEmpty();
    }

    @Test
    void anIdleScopesWindowsMoveWithTheOthersTime() throws Exception {
        row("U1", "a", t(2, 10, 0), 3, 5);
        flush();
        row("U2", "a", t(2, 10, 30), 1, 1); // the subtask's now moves to 10:30, with no watermark at all
        Map<String, Rolling.Row> rows = flush();
        assertThat(rows.get("U1 15m").values())
                .as("10:00 left the quarter hour")
                .containsExactly(0, 0);
        assertThat(rows).as("the hour did not change: not written again").doesNotContainKey("U1 1h");
        assertThat(shown("U1")).usingRecursiveComparison().isEqualTo(truth("U1", t(2, 10, 30)));

        row("U2", "a", t(3, 0, 5), 1, 1); // the next day: U1's today is empty, its month is not
        rows = flush();
        assertThat(rows.get("U1 today").values()).containsExactly(0, 0);
        assertThat(shown("U1").get("month")).containsExactly(3, 5);

        row("U2", "a", t(3, 2, 0), 1, 1); // U1's windows are empty but the month and all time: not looked at again
        assertThat(flush()).doesNotContainKeys("U1 15m", "U1 1h", "U1 today", "U1 month", "U1 total");
    }

    @Test
    void afterARestoreNowIsStillTheSubtasksLatestMinute() throws Exception {
        row("U1", "a", t(2, 10, 0), 3, 5);
        row("U2", "a", t(2, 12, 0), 1, 1); // the subtask's now: 12:00, when U1's 10:00 has left the hour
        flush();
        assertThat(shown("U1").get("1h")).containsExactly(0, 0);
        var snapshot = harness.snapshot(1, processingTime);
        harness.close();

        rolling = new Rolling(MAX, ZONE, Duration.ofMillis(FLUSH_MS), Duration.ofHours(1));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(rolling), Rolling.In::scope, Types.STRING);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(processingTime);
        row("U1", "a", t(2, 10, 0), 4, 5); // a row for U1 again (a late event): its figures worked out anew
        Map<String, Rolling.Row> rows = flush();
        assertThat(rows.get("U1 total").asOfMs())
                .as("now, as before the restart")
                .isEqualTo(t(2, 12, 0));
        assertThat(rows).as("the hour stays empty, not 10:00's again").doesNotContainKey("U1 1h");
        assertThat(shown("U1")).usingRecursiveComparison().isEqualTo(truth("U1", t(2, 12, 0)));
    }

    @Test
    void aCheckpointOfTheLayoutBeforeIsMovedIntoTheScopesOneEntry() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LayoutBefore()), Rolling.In::scope, Types.STRING);
        harness.open();
        row("U1", "a", t(1, 9, 0), 5, 30);
        row("U1", "a", t(2, 9, 55), 2, 10);
        row("U1", "b", t(2, 9, 58), 1, 70);
        row("U2", "a", t(2, 9, 59), 4, 4);
        var snapshot = harness.snapshot(1, processingTime);
        harness.close();

        rolling = new Rolling(MAX, ZONE, Duration.ofMillis(FLUSH_MS), Duration.ofHours(1));
        harness = Harnesses.restored(
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(rolling), Rolling.In::scope, Types.STRING),
                snapshot);
        harness.setProcessingTime(processingTime);
        row("U1", "a", t(2, 10, 0), 3, 20); // U1 touched again: its parts moved into the one entry
        row("U2", "a", t(2, 9, 59), 6, 6); // U2's slot replaced: the row it replaces came from the layout before
        flush();
        assertThat(shown("U1")).usingRecursiveComparison().isEqualTo(truth("U1", t(2, 10, 0)));
        assertThat(shown("U2")).usingRecursiveComparison().isEqualTo(truth("U2", t(2, 10, 0)));
        assertThat(board.get("U1 total").values()).containsExactly(11, 70);
        assertThat(board.get("U2 total").values()).containsExactly(6, 6);
    }

    /** What the layout before kept for each row, a state per part (no flushes: only the state matters here). */
    static final class LayoutBefore
            extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Rolling.In, Rolling.Row> {
        private static final org.apache.flink.api.common.typeinfo.TypeInformation<long[]> LONGS =
                org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;
        private transient org.apache.flink.api.common.state.MapState<String, long[]> slots;
        private transient org.apache.flink.api.common.state.MapState<Long, long[]> minutes;
        private transient org.apache.flink.api.common.state.MapState<Long, long[]> days;
        private transient org.apache.flink.api.common.state.ValueState<long[]> total;
        private transient org.apache.flink.api.common.state.ValueState<Long> now;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            var c = getRuntimeContext();
            slots = c.getMapState(
                    new org.apache.flink.api.common.state.MapStateDescriptor<>("slots", Types.STRING, LONGS));
            minutes = c.getMapState(
                    new org.apache.flink.api.common.state.MapStateDescriptor<>("minutes", Types.LONG, LONGS));
            days = c.getMapState(new org.apache.flink.api.common.state.MapStateDescriptor<>("days", Types.LONG, LONGS));
            total = c.getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>("total", LONGS));
            now = c.getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>("now", Types.LONG));
        }

        @Override
        public void processElement(Rolling.In in, Context ctx, org.apache.flink.util.Collector<Rolling.Row> out)
                throws Exception {
            long[] before = slots.get(in.slot());
            long[] delta = new long[2];
            delta[0] = in.values()[0] - (before == null ? 0 : before[0]);
            delta[1] = in.values()[1];
            slots.put(in.slot(), in.values().clone());
            minutes.put(in.minute(), add(minutes.get(in.minute()), delta));
            long day = java.time.Instant.ofEpochMilli(in.minute())
                    .atZone(ZONE)
                    .toLocalDate()
                    .atStartOfDay(ZONE)
                    .toInstant()
                    .toEpochMilli();
            days.put(day, add(days.get(day), delta));
            total.update(add(total.value(), delta));
            now.update(now.value() == null ? in.minute() : Math.max(now.value(), in.minute()));
        }

        private static long[] add(long[] to, long[] delta) {
            long[] out = to == null ? new long[2] : to.clone();
            out[0] += delta[0];
            out[1] = Math.max(out[1], delta[1]);
            return out;
        }
    }

    @Test
    void randomRowsAgreeWithTheTruthAtEveryFlushAndTheEndOfTheInputWritesEveryScope() throws Exception {
        Random random = new Random(7);
        long minute = t(30, 20, 0); // across a day's and a month's end
        for (int i = 0; i < 600; i++) {
            minute += random.nextInt(3) * 60_000L;
            long at = minute - random.nextInt(30) * 60_000L; // some rows for earlier minutes, within the lateness
            row("U" + random.nextInt(3), "s" + random.nextInt(2), at, random.nextInt(10), random.nextInt(100));
            if (i % 50 == 49) {
                flush();
                long now = latest.values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToLong(Rolling.In::minute)
                        .max()
                        .orElseThrow();
                for (String unit : List.of("U0", "U1", "U2")) {
                    if (latest.containsKey("unit\u001f" + unit)) {
                        assertThat(shown(unit))
                                .as("%s at row %d", unit, i)
                                .usingRecursiveComparison()
                                .isEqualTo(truth(unit, now));
                    }
                }
            }
        }
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        List<String> written = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Rolling.Row row) {
                written.add(row.value() + " " + row.period());
                assertThat(row.values())
                        .as("%s %s at the end", row.value(), row.period())
                        .isEqualTo(truth(row.value(), row.asOfMs()).get(row.period()));
            }
        }
        assertThat(written)
                .as("every period of every scope, once")
                .hasSize(3 * Rolling.PERIODS.size())
                .doesNotHaveDuplicates();
    }

    /**
     * Fed additions (no slot: each fact counted once, retractions negative) instead of each slot's latest full row, the
     * same rows are written at every flush and at the end: each row's difference to its slot's row before, as a
     * fact-by-fact feed would have it.
     */
    @Test
    void additionsWriteWhatTheMinuteRowsTheyAddUpToWrite() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Rolling.In, Rolling.Row> additions =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new Rolling(MAX, ZONE, Duration.ofMillis(FLUSH_MS), Duration.ofHours(1))),
                        Rolling.In::scope,
                        Types.STRING);
        additions.open();
        additions.setProcessingTime(0);
        Random random = new Random(11);
        long minute = t(30, 20, 0); // across a day's and a month's end
        int compared = 0;
        for (int i = 0; i < 600; i++) {
            minute += random.nextInt(3) * 60_000L;
            long at = minute - random.nextInt(30) * 60_000L;
            String unit = "U" + random.nextInt(3);
            String slot = Rolling.slot(at, "s" + random.nextInt(2));
            Rolling.In before =
                    latest.getOrDefault("unit\u001f" + unit, Map.of()).get(slot);
            row(unit, slot.substring(slot.indexOf('\u001f') + 1), at, random.nextInt(10), random.nextInt(100));
            Rolling.In now = latest.get("unit\u001f" + unit).get(slot);
            long added = now.values()[0] - (before == null ? 0 : before.values()[0]);
            additions.processElement(new StreamRecord<>(
                    new Rolling.In("unit", unit, null, at, new long[] {added, now.values()[1]}), at));
            if (i % 50 == 49) {
                processingTime += FLUSH_MS;
                additions.setProcessingTime(processingTime);
                harness.setProcessingTime(processingTime);
                compared += assertSameRows(harness, additions);
            }
        }
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        additions.processWatermark(new Watermark(Long.MAX_VALUE));
        compared += assertSameRows(harness, additions);
        assertThat(compared).as("rows compared").isGreaterThan(3 * Rolling.PERIODS.size());
        additions.close();
    }

    /** The rows both wrote since last asked are the same (versions aside); returns how many. */
    static int assertSameRows(
            KeyedOneInputStreamOperatorTestHarness<String, Rolling.In, Rolling.Row> a,
            KeyedOneInputStreamOperatorTestHarness<String, Rolling.In, Rolling.Row> b) {
        List<String> rowsA = rows(a);
        assertThat(rows(b)).containsExactlyInAnyOrderElementsOf(rowsA);
        return rowsA.size();
    }

    static List<String> rows(KeyedOneInputStreamOperatorTestHarness<String, Rolling.In, Rolling.Row> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Rolling.Row row) {
                out.add(row.dimension() + " " + row.value() + " " + row.period() + " " + row.asOfMs() + " "
                        + java.util.Arrays.toString(row.values()));
            }
        }
        h.getOutput().clear();
        return out;
    }

    /** The hotspots' periods, each with the window before it, across a month's end. */
    @Test
    void hotspotPeriodsAndTheWindowsBeforeThem() throws Exception {
        harness.close();
        rolling = new Rolling(Rolling.HOTSPOT_PERIODS, MAX, ZONE, Duration.ofMillis(FLUSH_MS), Duration.ofHours(1));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(rolling), Rolling.In::scope, Types.STRING);
        harness.open();
        Random random = new Random(11);
        long minute = t(29, 6, 0) - 30L * 24 * 60 * 60_000; // from the end of March to the start of May
        int checked = 0;
        for (int i = 0; i < 3000; i++) {
            minute += random.nextInt(40) * 60_000L;
            row("U" + random.nextInt(2), "s", minute, 1 + random.nextInt(5), 0);
            if (i % 100 == 99) {
                flush();
                for (String unit : List.of("U0", "U1")) {
                    if (latest.containsKey("unit\u001f" + unit)) {
                        for (String period : Rolling.HOTSPOT_PERIODS) {
                            Rolling.Row r = board.get(unit + " " + period);
                            assertThat(r == null ? 0 : r.values()[0])
                                    .as(
                                            "%s %s as of %s",
                                            unit,
                                            period,
                                            java.time.Instant.ofEpochMilli(minute)
                                                    .atZone(ZONE))
                                    .isEqualTo(hotspotTruth(unit, period, minute));
                        }
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    long hotspotTruth(String unit, String period, long now) {
        java.time.ZonedDateTime at = java.time.Instant.ofEpochMilli(now).atZone(ZONE);
        long sum = 0;
        for (Rolling.In in : latest.get("unit\u001f" + unit).values()) {
            long m = in.minute();
            java.time.LocalDate day =
                    java.time.Instant.ofEpochMilli(m).atZone(ZONE).toLocalDate();
            java.time.YearMonth month = java.time.YearMonth.from(day);
            boolean counts = switch (period) {
                case "1h" -> m <= now && m > now - 60 * 60_000;
                case "prev_1h" -> m <= now - 60 * 60_000 && m > now - 120 * 60_000;
                case "today" -> day.equals(at.toLocalDate());
                case "yesterday" -> day.equals(at.toLocalDate().minusDays(1)) && m <= now - 24 * 60 * 60_000L;
                case "month" -> month.equals(java.time.YearMonth.from(at)) && !day.isAfter(at.toLocalDate());
                case "prev_month" ->
                    month.equals(java.time.YearMonth.from(at).minusMonths(1))
                            && day.getDayOfMonth() < at.getDayOfMonth();
                default -> throw new IllegalArgumentException(period);
            };
            sum += counts ? in.values()[0] : 0;
        }
        return sum;
    }

    @Test
    void minutesOutOfEveryWindowAndPastTheLatenessAreForgotten() throws Exception {
        for (int m = 0; m < 120; m++) {
            row("U1", "a", t(2, 8, 0) + m * 60_000L, 1, 1);
        }
        flush();
        harness.getOperator().setCurrentKey("unit\u001fU1");
        assertThat(rolling.minutesHeld())
                .as("every slot (no watermark yet); the minutes of the last hour, 8:59 to 9:59")
                .isEqualTo(120 + 61);
        row("U1", "a", t(3, 12, 0), 1, 1); // a day later: the minutes of the day before leave every window
        flush();
        harness.getOperator().setCurrentKey("unit\u001fU1");
        assertThat(rolling.minutesHeld())
                .as("their slots kept (the watermark has not made them final): 121 slots, 1 minute")
                .isEqualTo(121 + 1);
        harness.processWatermark(new Watermark(t(3, 11, 59)));
        row("U1", "a", t(3, 12, 1), 1, 1);
        flush();
        harness.getOperator().setCurrentKey("unit\u001fU1");
        assertThat(rolling.minutesHeld())
                .as("only the new minutes' slots and minutes")
                .isEqualTo(4);
    }
}
