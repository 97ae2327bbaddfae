package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
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
    void everyUnitsOldestOpenTicketAtEveryFlush() throws Exception {
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
                            before == null ? null : before.assignedAtMs());
                case 1 ->
                    before != null && "assigned".equals(before.status())
                            ? state(ticket, "assigned", before.unitId(), before.assignedAtMs())
                            : state(ticket, "assigned", "U" + random.nextInt(4), at); // a step that changes nothing
                default ->
                    state(ticket, "assigned", "U" + random.nextInt(4), at); // dispatched (again), maybe elsewhere
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
            }
        }
        units.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(units.getOutput())
                .as("nothing changed since the last flush: nothing more written at the end")
                .noneMatch(o -> o instanceof StreamRecord<?>);
        changes.close();
        units.close();
    }

    static TicketState state(String ticket, String status, String unit, Long assignedAt) {
        return new TicketState(
                ticket, status, unit, 1, "c", "r", 0L, assignedAt, null, false, null, null, false, false, 0, 1);
    }
}
