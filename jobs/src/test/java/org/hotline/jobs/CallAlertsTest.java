package org.hotline.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventWriter;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.io.SourcedDeserializer;
import org.hotline.jobs.tickets.TicketEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The call alert rules with the built-in thresholds, on explicit event times after 08:00. */
class CallAlertsTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final EventWriter WRITER = new EventWriter(ZoneId.of("Asia/Shanghai"));
    final List<Sourced<CallEvent>> calls = new ArrayList<>();
    final InMemoryJob job = new InMemoryJob();
    int next;

    void call(long offeredAt, boolean answered, int wait) {
        String id = "c" + (++next);
        add(new CallEvent(id + "-o", 1, CallEventType.OFFERED, offeredAt, id, "12345", "雨湖区", null, null, null));
        long at = offeredAt + wait * 1000L;
        add(
                answered
                        ? new CallEvent(id + "-a", 1, CallEventType.ANSWERED, at, id, "12345", "雨湖区", "a1", wait, null)
                        : new CallEvent(
                                id + "-x", 1, CallEventType.ABANDONED, at, id, "12345", "雨湖区", null, wait, null));
    }

    void add(CallEvent e) {
        calls.add(SourcedDeserializer.calls(java.time.Duration.ofHours(1))
                .parse("calls", 0, calls.size(), WRITER.write(e).getBytes(UTF_8)));
    }

    @Test
    void aLowConnectionRateFiresAsCriticalAndResolvesOnceCallsAreAnsweredAgain() throws Exception {
        for (int i = 0; i < 60; i++) { // 08:00-08:20: one call in three abandoned
            call(TicketEvents.t(0) + i * 20_000L, i % 3 != 0, 10);
        }
        for (int i = 0; i < 120; i++) { // 08:30-09:30: every call answered
            call(TicketEvents.t(30) + i * 30_000L, true, 10);
        }
        calls.sort(java.util.Comparator.comparingLong(s -> s.event().eventTimeMs()));
        job.run(calls, List.of());
        List<Alert> rate = job.alerts.results().stream()
                .filter(a -> a.rule().equals("connection_rate"))
                .toList();
        assertThat(rate)
                .extracting(Alert::state, Alert::severity)
                .containsExactly(tuple("firing", "critical"), tuple("resolved", "critical"));
        assertThat(rate.get(0).value()).isLessThan(70);
        assertThat(rate.get(1).value()).isGreaterThan(82);
    }

    @Test
    void aLongWaitFiresForItsMinute() throws Exception {
        call(TicketEvents.t(0), true, 20);
        call(TicketEvents.t(1), true, 700);
        call(TicketEvents.t(30), true, 20);
        job.run(calls, List.of());
        assertThat(job.alerts.results())
                .filteredOn(a -> a.rule().equals("long_wait"))
                .extracting(Alert::state, Alert::severity, Alert::value)
                .containsExactly(tuple("firing", "warning", 700.0), tuple("resolved", "warning", 20.0));
    }
}
