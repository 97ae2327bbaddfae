package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hotline.jobs.tickets.FactKind.CLOSED;
import static org.hotline.jobs.tickets.FactKind.COMPLETED;
import static org.hotline.jobs.tickets.FactKind.COMPLETED_CONTACTED;
import static org.hotline.jobs.tickets.FactKind.COMPLETED_EXTENDED;
import static org.hotline.jobs.tickets.FactKind.COMPLETED_ON_TIME;
import static org.hotline.jobs.tickets.FactKind.CONTACTS;
import static org.hotline.jobs.tickets.FactKind.CREATED;
import static org.hotline.jobs.tickets.FactKind.DISPATCHED_TICKETS;
import static org.hotline.jobs.tickets.FactKind.DISPATCHES;
import static org.hotline.jobs.tickets.FactKind.EXTENSIONS;
import static org.hotline.jobs.tickets.FactKind.EXTENSIONS_REFUSED;
import static org.hotline.jobs.tickets.FactKind.OPENED;
import static org.hotline.jobs.tickets.FactKind.OVERDUE_CLOSED;
import static org.hotline.jobs.tickets.FactKind.OVERDUE_OPENED;
import static org.hotline.jobs.tickets.FactKind.REJECTED;
import static org.hotline.jobs.tickets.FactKind.RESOLVED_ONLINE;
import static org.hotline.jobs.tickets.FactKind.RETURNED;
import static org.hotline.jobs.tickets.FactKind.SPOT_CALLBACKS;
import static org.hotline.jobs.tickets.FactKind.SYS_CALLBACKS;
import static org.hotline.jobs.tickets.FactKind.SYS_SATISFIED;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.groups.Tuple;
import org.hotline.events.CallbackSource;
import org.hotline.events.TicketEvent;
import org.junit.jupiter.api.Test;

/** The rules of a ticket's life, one per test, on explicit event times. */
class TicketLifeTest {

    static final long END = t(100_000);
    final TicketEvents k = new TicketEvents("k1");

    static TicketLife.Result life(long asOf, TicketEvent... events) {
        return TicketLife.replay("k1", List.of(events), asOf);
    }

    /** The unit facts as (kind, unit, minute after 08:00). */
    static List<Tuple> unitFacts(TicketLife.Result r) {
        return r.facts().stream()
                .filter(f -> f.dimension().equals(TicketLife.UNIT))
                .map(f -> tuple(f.kind(), f.value(), (f.timeMs() - TicketEvents.START) / 60_000))
                .toList();
    }

    /** The whole-city facts as (kind, minute after 08:00). */
    static List<Tuple> cityFacts(TicketLife.Result r) {
        return r.facts().stream()
                .filter(f -> f.dimension().equals("all"))
                .map(f -> tuple(f.kind(), (f.timeMs() - TicketEvents.START) / 60_000))
                .toList();
    }

    @Test
    void completedExactlyAtTheDueTimeIsOnTime() {
        TicketLife.Result r = life(END, k.created(t(0), "路灯"), k.dispatched("A", t(1), t(60)), k.completed("A", t(60)));
        assertThat(unitFacts(r))
                .containsExactlyInAnyOrder(
                        tuple(DISPATCHES, "A", 1L),
                        tuple(OPENED, "A", 1L),
                        tuple(COMPLETED, "A", 60L),
                        tuple(COMPLETED_ON_TIME, "A", 60L),
                        tuple(CLOSED, "A", 60L));
        assertThat(r.state().onTime()).isTrue();
        assertThat(r.state().status()).isEqualTo("completed");
    }

    @Test
    void completedAMillisecondLateIsNotOnTimeAndWasOverdueFromItsDueTime() {
        TicketLife.Result r =
                life(END, k.created(t(0), "路灯"), k.dispatched("A", t(1), t(60)), k.completed("A", t(60) + 1));
        assertThat(unitFacts(r))
                .containsExactlyInAnyOrder(
                        tuple(DISPATCHES, "A", 1L),
                        tuple(OPENED, "A", 1L),
                        tuple(OVERDUE_OPENED, "A", 60L),
                        tuple(COMPLETED, "A", 60L),
                        tuple(CLOSED, "A", 60L),
                        tuple(OVERDUE_CLOSED, "A", 60L));
        assertThat(r.state().onTime()).isFalse();
    }

    @Test
    void anOpenTicketBecomesOverdueOnlyOnceTheWatermarkPassesItsDueTime() {
        TicketEvent created = k.created(t(0), "路灯");
        TicketEvent dispatched = k.dispatched("A", t(1), t(60));
        assertThat(unitFacts(life(t(60), created, dispatched))).doesNotContain(tuple(OVERDUE_OPENED, "A", 60L));
        TicketLife.Result after = life(t(60) + 1, created, dispatched);
        assertThat(unitFacts(after)).contains(tuple(OVERDUE_OPENED, "A", 60L));
        assertThat(after.state().overdue()).isTrue();
        assertThat(after.state().version())
                .isGreaterThan(life(t(60), created, dispatched).state().version());
    }

    @Test
    void anExtensionGrantedBeforeTheDueTimeMovesItAndCountsForTheCompletingUnit() {
        TicketLife.Result r = life(
                END,
                k.created(t(0), "路灯"),
                k.dispatched("A", t(1), t(60)),
                k.extension("A", t(30), t(120)),
                k.contacted("A", t(40)),
                k.completed("A", t(90)));
        assertThat(unitFacts(r))
                .contains(
                        tuple(EXTENSIONS, "A", 30L),
                        tuple(CONTACTS, "A", 40L),
                        tuple(COMPLETED_ON_TIME, "A", 90L),
                        tuple(COMPLETED_EXTENDED, "A", 90L),
                        tuple(COMPLETED_CONTACTED, "A", 90L));
        assertThat(unitFacts(r)).doesNotContain(tuple(OVERDUE_OPENED, "A", 60L));
        assertThat(r.state().dueMs()).isEqualTo(t(120));
    }

    @Test
    void anExtensionGrantedAfterTheDueTimeIsRefusedAndCountedAsSuch() {
        TicketLife.Result r = life(
                END,
                k.created(t(0), "路灯"),
                k.dispatched("A", t(1), t(60)),
                k.extension("A", t(61), t(120)),
                k.completed("A", t(90)));
        assertThat(unitFacts(r)).contains(tuple(EXTENSIONS_REFUSED, "A", 61L), tuple(OVERDUE_OPENED, "A", 60L));
        assertThat(unitFacts(r))
                .doesNotContain(
                        tuple(EXTENSIONS, "A", 61L),
                        tuple(COMPLETED_ON_TIME, "A", 90L),
                        tuple(COMPLETED_EXTENDED, "A", 90L));
        assertThat(r.state().dueMs()).isEqualTo(t(60));
    }

    @Test
    void aRejectionCountsForTheRejectingUnitAndTheOutcomeForTheUnitThatCompletes() {
        TicketLife.Result r = life(
                END,
                k.created(t(0), "路灯"),
                k.dispatched("A", t(1), t(60)),
                k.rejected("A", t(5)),
                k.dispatched("B", t(10), t(70)),
                k.completed("B", t(20)));
        assertThat(unitFacts(r))
                .containsExactlyInAnyOrder(
                        tuple(DISPATCHES, "A", 1L),
                        tuple(OPENED, "A", 1L),
                        tuple(REJECTED, "A", 5L),
                        tuple(CLOSED, "A", 5L),
                        tuple(DISPATCHES, "B", 10L),
                        tuple(OPENED, "B", 10L),
                        tuple(COMPLETED, "B", 20L),
                        tuple(COMPLETED_ON_TIME, "B", 20L),
                        tuple(CLOSED, "B", 20L));
        assertThat(cityFacts(r)).containsOnlyOnce(tuple(DISPATCHED_TICKETS, 1L));
        assertThat(r.state().dispatches()).isEqualTo(2);
        assertThat(r.state().unitId()).isEqualTo("B");
    }

    @Test
    void anApprovedReturnCountsAgainstNoOneAndTheExtensionsBeforeItGoWithTheTicket() {
        TicketLife.Result r = life(
                END,
                k.created(t(0), "路灯"),
                k.dispatched("zone", t(1), t(60)),
                k.extension("zone", t(50), t(200)),
                k.returned("zone", t(150)),
                k.dispatched("city", t(160), t(400)),
                k.completed("city", t(300)));
        assertThat(unitFacts(r)).contains(tuple(RETURNED, "zone", 150L), tuple(COMPLETED_EXTENDED, "city", 300L));
        assertThat(unitFacts(r)).extracting(x -> x.toArray()[0]).doesNotContain(REJECTED);
        assertThat(unitFacts(r))
                .filteredOn(x -> x.toArray()[1].equals("zone"))
                .extracting(x -> x.toArray()[0])
                .doesNotContain(COMPLETED);
    }

    @Test
    void aCallbackBeforeCompletionCountsCityWideAtOnceAndForTheUnitWhenItCompletes() {
        TicketLife.Result r = life(
                END,
                k.created(t(0), "路灯"),
                k.dispatched("A", t(1), t(60)),
                k.callback(t(10), CallbackSource.SYSTEM, true),
                k.completed("A", t(20)),
                k.callback(t(30), CallbackSource.SPOT_CHECK, false));
        assertThat(cityFacts(r))
                .contains(tuple(SYS_CALLBACKS, 10L), tuple(SYS_SATISFIED, 10L), tuple(SPOT_CALLBACKS, 30L));
        assertThat(unitFacts(r))
                .contains(
                        tuple(SYS_CALLBACKS, "A", 20L),
                        tuple(SYS_SATISFIED, "A", 20L),
                        tuple(SPOT_CALLBACKS, "A", 30L));
    }

    @Test
    void aTicketResolvedOnlineCountsCityWideOnlyInEverySliceOfIt() {
        TicketLife.Result r = life(
                END,
                k.created(t(0), "社会保险", "civilised_city"),
                k.resolvedOnline(t(3)),
                k.callback(t(30), CallbackSource.SYSTEM, true));
        assertThat(unitFacts(r)).isEmpty();
        assertThat(cityFacts(r))
                .containsExactlyInAnyOrder(
                        tuple(CREATED, 0L),
                        tuple(RESOLVED_ONLINE, 3L),
                        tuple(SYS_CALLBACKS, 30L),
                        tuple(SYS_SATISFIED, 30L));
        assertThat(r.facts())
                .filteredOn(f -> f.kind() == RESOLVED_ONLINE)
                .extracting(Fact::dimension, Fact::value)
                .containsExactlyInAnyOrder(
                        tuple("all", ""),
                        tuple("channel", "phone"),
                        tuple("request_type", "complaint"),
                        tuple("category", "社会保险"),
                        tuple("region", "雨湖区"),
                        tuple("tag", "civilised_city"));
    }

    @Test
    void stepsTheLifeDoesNotAllowAreRefusedWithWhy() {
        TicketEvent completedByOther = k.completed("B", t(5));
        TicketEvent dispatchAfterOnline = k.dispatched("A", t(50), t(100));
        TicketLife.Result wrongUnit =
                life(END, k.created(t(0), "路灯"), k.dispatched("A", t(1), t(60)), completedByOther);
        assertThat(wrongUnit.invalid()).singleElement().satisfies(i -> {
            assertThat(i.event()).isEqualTo(completedByOther);
            assertThat(i.message()).contains("assigned to A");
        });
        TicketLife.Result online = life(END, k.created(t(0), "路灯"), k.resolvedOnline(t(1)), dispatchAfterOnline);
        assertThat(online.invalid()).extracting(TicketLife.Invalid::event).containsExactly(dispatchAfterOnline);
        assertThat(unitFacts(online)).isEmpty();
    }

    @Test
    void theOrderOfArrivalDoesNotMatterOnlyEventTime() {
        List<TicketEvent> events = new ArrayList<>(List.of(
                k.created(t(0), "路灯"),
                k.dispatched("A", t(1), t(60)),
                k.rejected("A", t(2)),
                k.dispatched("B", t(3), t(30)),
                k.extension("B", t(20), t(90)),
                k.contacted("B", t(40)),
                k.callback(t(45), CallbackSource.SYSTEM, false),
                k.completed("B", t(80))));
        TicketLife.Result inOrder = TicketLife.replay("k1", events, END);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(events, random);
            TicketLife.Result shuffled = TicketLife.replay("k1", events, END);
            assertThat(shuffled.facts()).containsExactlyInAnyOrderElementsOf(inOrder.facts());
            assertThat(shuffled.state()).isEqualTo(inOrder.state());
        }
    }
}
