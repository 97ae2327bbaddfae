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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ticket alert rules in the job, with the built-in thresholds, on explicit event times. */
class AlertRulesJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    final List<Sourced<TicketEvent>> input = new ArrayList<>();
    final InMemoryJobAccess job = new InMemoryJobAccess();

    void send(TicketEvent e) {
        input.add(new Sourced<>("tickets", 0, input.size(), e, null, null));
    }

    /** The same whether the watermark moves step by step or jumps over the ticket's whole life at once. */
    @ParameterizedTest
    @ValueSource(strings = {"PT30S", "P1D"})
    void aTicketDispatchedBackAndForthRaisesABouncingAlertThatEscalatesAndEndsWithTheTicket(String outOfOrderness)
            throws Exception {
        job.outOfOrderness(java.time.Duration.parse(outOfOrderness));
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
        assertThat(job.alerts())
                .filteredOn(a -> a.rule().equals("bouncing_ticket"))
                .extracting(Alert::state, Alert::severity, Alert::value, Alert::eventTimeMs)
                .containsExactly(
                        tuple("firing", "warning", 4.0, t(70)),
                        tuple("escalated", "critical", 6.0, t(110)),
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
        // all six overdue at 09:00, judged together (whatever order their facts arrive in); resolved once fewer than
        // 2.5 are left (the fourth completion)
        assertThat(job.alerts())
                .filteredOn(a -> a.rule().equals("backlog"))
                .extracting(Alert::unit, Alert::state, Alert::value, Alert::eventTimeMs)
                .containsExactly(tuple("电信", "firing", 6.0, t(60)), tuple("电信", "resolved", 2.0, t(123)));
    }

    @Test
    void oneUnitReturningManyTicketsOfOneCategoryRaisesAnAlertThatEndsAsTheyAge() throws Exception {
        for (int i = 0; i < 12; i++) {
            TicketEvents k = new TicketEvents("lamp-" + i);
            send(k.created(t(60 * i), "路灯"));
            send(k.dispatched("经开区", t(60 * i + 1), t(60 * i + 5000)));
            send(k.returned("经开区", t(60 * i + 30)));
        }
        send(new TicketEvents("later").created(t(60 * 24 * 9), "其他")); // nine days on: the returns have aged out
        job.run(input);
        assertThat(job.alerts())
                .filteredOn(a -> a.rule().equals("concentrated_returns"))
                .extracting(Alert::unit, Alert::category, Alert::state, Alert::value)
                .first()
                .isEqualTo(tuple("经开区", "路灯", "firing", 10.0));
        assertThat(job.alerts())
                .filteredOn(a -> a.rule().equals("concentrated_returns"))
                .extracting(Alert::state)
                .containsExactly("firing", "resolved");
    }

    @Test
    void aCategorySuddenlyDrawingFarMoreThanUsualIsAnEmergingHotspotAndASteadyOneIsNot() throws Exception {
        int n = 0;
        for (int day = 0; day < 9; day++) { // both categories: two tickets a day for eight days
            for (String category : List.of("房产交易", "路灯")) {
                for (int j = 0; j < 2; j++) {
                    TicketEvents k = new TicketEvents("d" + (n++));
                    send(k.created(t(60 * 24 * day + 300 * j + (category.equals("路灯") ? 7 : 0)), category));
                }
            }
        }
        for (int j = 0; j < 8; j++) { // then eight in an afternoon for one of them
            send(new TicketEvents("wave-" + j).created(t(60 * 24 * 9 + 10 * j), "房产交易"));
        }
        send(new TicketEvents("later").created(t(60 * 24 * 12), "其他"));
        input.sort(java.util.Comparator.comparingLong(s -> s.event().eventTimeMs()));
        job.run(input);
        List<Alert> hotspots = job.alerts().stream()
                .filter(a -> a.rule().equals("emerging_hotspot"))
                .toList();
        assertThat(hotspots)
                .extracting(Alert::category, Alert::state)
                .containsExactly(tuple("房产交易", "firing"), tuple("房产交易", "resolved"));
        // the 24 hours hold yesterday afternoon's ticket and the wave; it fires at three times the usual two a day
        assertThat(hotspots.get(0).value()).isEqualTo(6.0);
    }

    /** The same whether the watermark moves step by step or jumps a day at a time. */
    @ParameterizedTest
    @ValueSource(strings = {"PT30S", "P1D"})
    void aUnitsTicketsFallingDueWithinADayWarnBeforeTheyAreLateAndTheWarningEndsAsTheyAreDoneOrOverdue(
            String outOfOrderness) throws Exception {
        job.outOfOrderness(java.time.Duration.parse(outOfOrderness));
        long day = 60 * 24;
        List<TicketEvents> tickets = new ArrayList<>();
        for (int i = 0; i < 18; i++) { // due two days on, half an hour apart
            TicketEvents k = new TicketEvents("due-" + i);
            tickets.add(k);
            send(k.created(t(i), "供水"));
            send(k.dispatched("水务", t(i + 1), t(2 * day + 30 * i)));
        }
        send(tickets.get(17).extension("水务", t(100), t(9 * day))); // moved out of the window for good
        send(tickets.get(0).completed("水务", t(day + 300))); // done before it is due
        send(new TicketEvents("later").created(t(12 * day), "其他")); // time moves on past every due time
        job.run(input);
        // each enters the window 24 hours before its due time: the fifth (due-4) at day + 120 minutes; due-0's
        // completion takes one away; the fifteenth then is due-15, at day + 450; each leaves as it falls overdue, and
        // below 2.5 (half the warning level) it is over: when due-14 falls overdue
        List<Alert> dueSoon =
                job.alerts().stream().filter(a -> a.rule().equals("due_soon")).toList();
        assertThat(dueSoon)
                .extracting(Alert::unit, Alert::state, Alert::severity, Alert::value, Alert::eventTimeMs)
                .containsExactly(
                        tuple("水务", "firing", "warning", 5.0, t(day + 120)),
                        tuple("水务", "escalated", "critical", 15.0, t(day + 450)),
                        tuple("水务", "resolved", "critical", 2.0, t(2 * day + 420) + 1));
        assertThat(dueSoon.get(0).windowEndMs()).isEqualTo(t(2 * day + 120));
        assertThat(dueSoon)
                .extracting(Alert::detail)
                .as("the first five by due time, with their due times")
                .containsExactly(
                        "2023-09-03 08:00 due-0, 2023-09-03 08:30 due-1, 2023-09-03 09:00 due-2, "
                                + "2023-09-03 09:30 due-3, 2023-09-03 10:00 due-4",
                        "2023-09-03 08:30 due-1, 2023-09-03 09:00 due-2, 2023-09-03 09:30 due-3, "
                                + "2023-09-03 10:00 due-4, 2023-09-03 10:30 due-5 (+10)",
                        "2023-09-03 15:30 due-15, 2023-09-03 16:00 due-16");
    }
}
