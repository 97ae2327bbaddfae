package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Each unit's oldest open ticket, from where tickets stand: random lives (dispatched, moved to another unit,
 * re-dispatched later, completed), checked at every flush against the truth worked out here from each ticket's latest
 * state, as the analysts' view works it out from ticket_state.
 */
class OldestOpenHarnessTest {

    @Test
    void everyUnitsOldestOpenTicketAndItsOpenTicketsDueTimesAtEveryFlush() throws Exception {
        var changes = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OldestOpen.Changes()), TicketState::ticketId, Types.STRING);
        OldestOpen.Since since = new OldestOpen.Since(Duration.ofMillis(1000));
        var units = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(since), OldestOpen.Change::unit, Types.STRING);
        changes.open();
        units.open();
        Random random = new Random(5);
        Map<String, TicketState> latest = new HashMap<>();
        Map<String, Long> board = new TreeMap<>();
        Map<String, List<Long>> boardDue = new TreeMap<>();
        long clock = 0;
        for (int i = 0; i < 2000; i++) {
            String ticket = "T" + random.nextInt(60);
            TicketState before = latest.get(ticket);
            long at = 1_000_000L + i * 1000L;
            TicketState now = switch (random.nextInt(4)) {
                case 0 ->
                    state(
                            ticket,
                            "completed",
                            before == null ? null : before.unitId(),
                            before == null ? null : before.assignedAtMs(),
                            before == null ? null : before.dueMs());
                case 1 ->
                    before != null && "assigned".equals(before.status())
                            ? state(
                                    ticket,
                                    "assigned",
                                    before.unitId(),
                                    before.assignedAtMs(),
                                    before.dueMs() + (random.nextBoolean() ? 0 : 3_600_000L)) // nothing, or extended
                            : state(
                                    ticket,
                                    "assigned",
                                    "U" + random.nextInt(4),
                                    at,
                                    at + 3_600_000L * random.nextInt(5));
                default -> // dispatched (again), maybe elsewhere; due times may coincide
                    state(ticket, "assigned", "U" + random.nextInt(4), at, 3_600_000L * random.nextInt(100));
            };
            latest.put(ticket, now);
            changes.processElement(new StreamRecord<>(now));
            for (Object o : changes.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    units.processElement(new StreamRecord<>((OldestOpen.Change) r.getValue()));
                }
            }
            changes.getOutput().clear();
            if (i % 100 == 99) {
                clock += 1000;
                units.setProcessingTime(clock);
                for (Object o : units.getOutput()) {
                    if (o instanceof StreamRecord<?> r && r.getValue() instanceof OldestOpen.Row row) {
                        board.put(row.unit(), row.sinceMs());
                        boardDue.put(
                                row.unit(),
                                java.util.Arrays.stream(row.dueMs()).boxed().toList());
                    }
                }
                units.getOutput().clear();
                Map<String, Long> truth = new TreeMap<>();
                latest.values().stream()
                        .filter(s -> s.status().equals("assigned"))
                        .forEach(s -> truth.merge(s.unitId(), s.assignedAtMs(), Math::min));
                Map<String, Long> shown = new TreeMap<>();
                board.forEach((u, s) -> {
                    if (s != null) {
                        shown.put(u, s);
                    }
                });
                assertThat(shown).as("after %d steps", i + 1).isEqualTo(truth);
                Map<String, List<Long>> dueTruth = new TreeMap<>();
                latest.values().stream()
                        .filter(s -> s.status().equals("assigned"))
                        .forEach(s -> dueTruth.computeIfAbsent(s.unitId(), u -> new java.util.ArrayList<>())
                                .add(s.dueMs()));
                dueTruth.values().forEach(java.util.Collections::sort);
                Map<String, List<Long>> dueShown = new TreeMap<>(boardDue);
                dueShown.values().removeIf(List::isEmpty);
                assertThat(dueShown).as("due times after %d steps", i + 1).isEqualTo(dueTruth);
            }
        }
        units.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(units.getOutput())
                .as("nothing changed since the last flush: nothing more written at the end")
                .noneMatch(o -> o instanceof StreamRecord<?>);
        changes.close();
        units.close();
    }

    static TicketState state(String ticket, String status, String unit, Long assignedAt, Long due) {
        return new TicketState(
                ticket, status, unit, 1, "c", "r", 0L, assignedAt, due, false, null, null, false, false, 0, 1);
    }
}
