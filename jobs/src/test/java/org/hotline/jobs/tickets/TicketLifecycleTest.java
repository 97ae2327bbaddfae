package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.InMemoryJobAccess;
import org.hotline.jobs.Sourced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ticket part of the job on a MiniCluster, in-order input at parallelism 1: out-of-order and
 * late events, retractions, duplicates and refused steps, asserted on what the store would keep.
 */
class TicketLifecycleTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    final List<Sourced<TicketEvent>> input = new ArrayList<>();
    final InMemoryJobAccess job = new InMemoryJobAccess();

    void send(TicketEvent e) {
        input.add(new Sourced<>("tickets", 0, input.size(), e, null, null));
    }

    /** The counts a ReplacingMergeTree would keep for the unit, per minute after 08:00. */
    Map<Long, long[]> unitMinutes(String unit) {
        Map<Long, long[]> out = new java.util.TreeMap<>();
        job.latestTicketMinutes().forEach((key, row) -> {
            if (row.dimension().equals("unit") && row.value().equals(unit)) {
                out.put((row.minuteStartMs() - TicketEvents.START) / 60_000, row.counts());
            }
        });
        return out;
    }

    static long count(long[] counts, FactKind kind) {
        return counts == null ? 0 : counts[kind.ordinal()];
    }

    @Test
    void aLateExtensionCorrectsTheOutcomeAndALaterEventIsKeptAside() throws Exception {
        TicketEvents k1 = new TicketEvents("k1");
        TicketEvents k2 = new TicketEvents("k2");
        TicketEvents k3 = new TicketEvents("k3");
        send(k1.created(t(0), "路灯"));
        send(k1.dispatched("A", t(1), t(60)));
        send(k1.completed("A", t(90)));
        send(k1.contacted("A", t(90) - 20_000)); // 20 s out of order, within the watermark's bound: put in order
        send(k2.created(t(100), "路灯")); // the watermark passes 09:39:30: k1 was completed late, overdue since 09:00
        send(k1.extension("A", t(59), t(100))); // late, within the allowed lateness: k1 was on time after all
        send(k1.dispatched("A", t(95), t(200))); // dispatched after completion: refused
        send(k2.completed("X", t(101))); // never dispatched: refused
        send(k3.created(t(300), "路灯")); // the watermark passes 12:59:30
        send(k1.contacted("A", t(10))); // more than an hour behind the watermark: late
        job.run(input);

        Map<Long, long[]> a = unitMinutes("A");
        assertThat(count(a.get(59L), FactKind.EXTENSIONS)).isEqualTo(1);
        assertThat(count(a.get(60L), FactKind.OVERDUE_OPENED))
                .as("overdue retracted")
                .isZero();
        long[] completion = a.get(90L);
        assertThat(List.of(
                                FactKind.COMPLETED,
                                FactKind.COMPLETED_ON_TIME,
                                FactKind.COMPLETED_EXTENDED,
                                FactKind.CLOSED,
                                FactKind.OVERDUE_CLOSED,
                                FactKind.COMPLETED_CONTACTED)
                        .stream()
                        .map(f -> count(completion, f))
                        .toList())
                .containsExactly(1L, 1L, 1L, 1L, 0L, 1L);
        assertThat(count(a.get(89L), FactKind.CONTACTS)).isEqualTo(1);
        assertThat(job.ticketMinutes().stream().filter(m -> m.dimension().equals("unit") && m.minuteStartMs() == t(60)))
                .as("minute 09:00 was written, then corrected")
                .hasSize(2);

        TicketState k1State = job.latestTicketStates().get("k1");
        assertThat(k1State.onTime()).isTrue();
        assertThat(k1State.extended()).isTrue();
        assertThat(k1State.dispatches()).as("the repeated dispatch was refused").isEqualTo(1);

        assertThat(job.deadLetters())
                .extracting(DeadLetter::reason, DeadLetter::offset)
                .containsExactlyInAnyOrder(tuple("invalid_step", 6L), tuple("invalid_step", 7L), tuple("late", 9L));
        // every event is in exactly one place: accepted as a raw event, or kept aside
        assertThat(job.ticketEvents().size() + job.deadLetters().size()).isEqualTo(input.size());
        assertThat(job.ticketEvents()).extracting(s -> s.offset()).doesNotContain(6L, 7L, 9L);
    }

    /** Open longer than the retention (90 days): still known when it completes, so the unit's backlog closes. */
    @Test
    void anOpenTicketIsNeverForgottenAndAFinishedOneIs() throws Exception {
        int day = 24 * 60;
        TicketEvents open = new TicketEvents("open");
        TicketEvents done = new TicketEvents("done");
        send(open.created(t(0), "路灯"));
        send(open.dispatched("A", t(1), t(60)));
        send(done.created(t(2), "路灯"));
        send(done.resolvedOnline(t(3)));
        TicketEvents later = new TicketEvents("later");
        send(later.created(t(100 * day), "路灯")); // the watermark passes both tickets' retention
        send(open.completed("A", t(100 * day + 60)));
        send(done.callback(
                t(100 * day + 61),
                org.hotline.events.CallbackSource.values()[0],
                true)); // a callback a hundred days on: the finished ticket is gone
        job.run(input);

        assertThat(job.deadLetters())
                .extracting(DeadLetter::reason, DeadLetter::offset)
                .containsExactly(tuple("invalid_step", 6L));
        assertThat(job.latestTicketStates().get("open").status()).isEqualTo("completed");
        Map<Long, long[]> a = unitMinutes("A");
        assertThat(a.values().stream()
                        .mapToLong(c -> count(c, FactKind.OPENED) - count(c, FactKind.CLOSED))
                        .sum())
                .as("the unit's backlog, closed")
                .isZero();
        assertThat(count(a.get(100L * day + 60), FactKind.COMPLETED)).isEqualTo(1);
    }

    @Test
    void aRepeatedEventIsCountedOnce() throws Exception {
        TicketEvents k1 = new TicketEvents("k1");
        TicketEvent created = k1.created(t(0), "路灯");
        send(created);
        send(created);
        send(k1.resolvedOnline(t(2)));
        job.run(input);
        Map<String, Long> all = new java.util.HashMap<>();
        job.latestTicketMinutes().values().stream()
                .filter(m -> m.dimension().equals("all"))
                .forEach(m -> all.merge("created", m.counts()[FactKind.CREATED.ordinal()], Long::sum));
        assertThat(all).containsEntry("created", 1L);
        assertThat(job.deadLetters()).extracting(DeadLetter::reason).containsExactly("duplicate");
    }
}
