package org.hotline.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.InMemoryJobAccess;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.tickets.TicketEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ticket alert rules in the job, with the built-in thresholds, on explicit event times. */
class AlertRulesJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    final List<Sourced<TicketEvent>> input = new ArrayList<>();
    final InMemoryJobAccess job = new InMemoryJobAccess();

    void send(TicketEvent e) {
        input.add(new Sourced<>("tickets", 0, input.size(), e, null, null));
    }

    @Test
    void aTicketDispatchedBackAndForthRaisesABouncingAlertThatEscalatesAndEndsWithTheTicket() throws Exception {
        TicketEvents k = new TicketEvents("bouncer");
        send(k.created(t(0), "围墙倒塌"));
        for (int i = 0; i < 6; i++) {
            String unit = i % 2 == 0 ? "A" : "B";
            send(k.dispatched(unit, t(10 + 20 * i), t(10000)));
            if (i < 5) {
                send(k.rejected(unit, t(20 + 20 * i)));
            }
        }
        send(k.completed("B", t(200)));
        job.run(input);
        assertThat(job.alerts()).filteredOn(a -> a.rule().equals("bouncing_ticket"))
                .extracting(Alert::state, Alert::severity, Alert::value, Alert::eventTimeMs)
                .containsExactly(tuple("firing", "warning", 4.0, t(70)), tuple("escalated", "critical", 6.0, t(110)),
                        tuple("resolved", "critical", 0.0, t(200)));
    }

    @Test
    void aUnitsOverdueTicketsRaiseABacklogAlertUntilTheyAreDone() throws Exception {
        List<TicketEvents> tickets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TicketEvents k = new TicketEvents("late-" + i);
            tickets.add(k);
            send(k.created(t(i), "通信管理"));
            send(k.dispatched("电信", t(i + 1), t(60)));
        }
        for (int i = 0; i < 6; i++) {
            send(tickets.get(i).completed("电信", t(120 + i)));
        }
        job.run(input);
        // overdue from 09:00 (the fifth fires it); resolved once fewer than 2.5 are left (the fourth completion)
        assertThat(job.alerts()).filteredOn(a -> a.rule().equals("backlog"))
                .extracting(Alert::unit, Alert::state, Alert::value, Alert::eventTimeMs)
                .containsExactly(tuple("电信", "firing", 5.0, t(60)), tuple("电信", "resolved", 2.0, t(123)));
    }
}
