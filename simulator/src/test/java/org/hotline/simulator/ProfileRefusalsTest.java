package org.hotline.simulator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Profiles that break a rule of "What makes a profile consistent" are refused, naming the unit, the figures and the rule. */
class ProfileRefusalsTest {

    /** Two units, 30 tickets dispatched of 50, all calibrated (the property test's generator, one fixed draw). */
    static Profile base() {
        List<RandomProfiles.UnitSpec> units = List.of(
                new RandomProfiles.UnitSpec("district", 20, 20, 3, 20, 6, 10, 4, 5, 0),
                new RandomProfiles.UnitSpec("department", 10, 8, 2, 10, 3, 5, 1, 2, 0));
        return new RandomProfiles.Spec(
                        1, java.time.YearMonth.of(2024, 5), units, 20, 1, 0, 10, 7, 30, 5, 2, false, 0, List.of())
                .profile("base", 0);
    }

    static Profile withUnits(Profile p, List<Profile.UnitFigures> units) {
        return new Profile(
                p.name(),
                p.city(),
                p.month(),
                p.zone(),
                p.callsAnswered(),
                p.connectionRatePct(),
                p.callsByRegion(),
                p.ticketsValid(),
                p.resolvedOnline(),
                p.dispatched(),
                units.stream().mapToLong(Profile.UnitFigures::onTime).sum(),
                p.callbackSatisfactionPct(),
                p.byChannel(),
                p.byRequestType(),
                p.hotspotCategories(),
                p.tags(),
                p.desks(),
                p.incidents(),
                p.previousMonth(),
                units);
    }

    static Profile.UnitFigures unit(Profile.UnitFigures u, long tickets, long onTime, long extensions, long rejects) {
        return new Profile.UnitFigures(
                u.unit(),
                u.group(),
                tickets,
                onTime,
                extensions,
                Math.min(u.contacted(), tickets),
                u.sysSatisfactionPct(),
                u.spotSatisfactionPct(),
                rejects,
                u.knowledgeBase(),
                u.cooperation(),
                u.bonus());
    }

    static void refused(Profile p, String... said) {
        assertThatThrownBy(() -> new MonthSimulator(p, 1).generate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(said);
    }

    @Test
    void theBaseProfileCalibrates() {
        Profile p = base();
        MonthSimulator.Month m = new MonthSimulator(p, 1).generate();
        CountedMonth counted = CountedMonth.of(p.month(), p.zone(), m.calls(), m.tickets());
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        MonthSimulatorPropertyTest.assertCalibrated(soft, p, counted);
        soft.assertAll();
    }

    @Test
    void unitsCompletingMoreThanWasDispatched() {
        Profile p = base();
        List<Profile.UnitFigures> u = new ArrayList<>(p.units());
        u.set(0, unit(u.get(0), 21, 20, 3, 0));
        refused(
                withUnits(p, u),
                "units.csv tickets add up to 31, more than the 30 dispatched",
                "a unit completes only tickets dispatched to it");
    }

    @Test
    void aBacklogThatCannotBeLateOrExtended() {
        Profile p = base();
        ObjectNode backlog = JsonNodeFactory.instance
                .objectNode()
                .put("kind", "backlog")
                .put("unit", p.units().get(0).unit())
                .put("count", 5);
        refused(
                withIncidents(p, backlog),
                p.units().get(0).unit() + ": a backlog of 5 piled-up tickets",
                "(20 tickets, 20 on time, 3 extensions) let only 3 be late or extended and on time");
    }

    @Test
    void rejectionsWithNoOtherUnitsTicketsToReject() {
        Profile p = base();
        List<Profile.UnitFigures> u = new ArrayList<>(p.units());
        u.set(0, unit(u.get(0), 20, 20, 3, 11));
        refused(
                withUnits(p, u),
                p.units().get(0).unit() + ": 11 rejections published, but only 10 tickets are left that "
                        + "another unit completes");
    }

    @Test
    void moreInvalidRequestsThanTicketsResolvedOnline() {
        Profile p = base();
        Map<String, Long> types = new java.util.LinkedHashMap<>(p.byRequestType());
        long invalid = types.getOrDefault("invalid", 0L);
        types.put("invalid", p.resolvedOnline() + 1);
        String largest = types.entrySet().stream()
                .filter(e -> !e.getKey().equals("invalid"))
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        types.put(largest, types.get(largest) - (p.resolvedOnline() + 1 - invalid));
        Profile bad = new Profile(
                p.name(),
                p.city(),
                p.month(),
                p.zone(),
                p.callsAnswered(),
                p.connectionRatePct(),
                p.callsByRegion(),
                p.ticketsValid(),
                p.resolvedOnline(),
                p.dispatched(),
                p.completedOnTime(),
                p.callbackSatisfactionPct(),
                p.byChannel(),
                types,
                p.hotspotCategories(),
                p.tags(),
                p.desks(),
                p.incidents(),
                p.previousMonth(),
                p.units());
        refused(bad, "21 invalid tickets, but only 20 resolved online: an invalid request is never dispatched");
    }

    @Test
    void aConnectionRateNoNumberOfCallsGives() {
        Profile p = base();
        Profile bad = new Profile(
                p.name(),
                p.city(),
                p.month(),
                p.zone(),
                1450,
                new BigDecimal("94.1"),
                Map.of(),
                p.ticketsValid(),
                p.resolvedOnline(),
                p.dispatched(),
                p.completedOnTime(),
                p.callbackSatisfactionPct(),
                p.byChannel(),
                p.byRequestType(),
                p.hotspotCategories(),
                p.tags(),
                p.desks(),
                p.incidents(),
                p.previousMonth(),
                p.units());
        refused(bad, "calls: 1450 answered cannot have a connection rate of 94.1 %");
    }

    @Test
    void aSatisfactionRateNoCallbacksGive() {
        Profile p = base();
        List<Profile.UnitFigures> u = new ArrayList<>(p.units());
        Profile.UnitFigures d =
                u.get(1); // 10 tickets: 33.33 % needs 3 callbacks, 14.29 % needs 7 — but 12.34 % needs more
        u.set(
                1,
                new Profile.UnitFigures(
                        d.unit(),
                        d.group(),
                        d.tickets(),
                        d.onTime(),
                        d.extensions(),
                        d.contacted(),
                        new BigDecimal("12.34"),
                        d.spotSatisfactionPct(),
                        d.rejects(),
                        d.knowledgeBase(),
                        d.cooperation(),
                        d.bonus()));
        refused(
                withUnits(p, u),
                d.unit() + ": system satisfaction 12.34 % cannot be made of at most one callback on each of "
                        + "its 10 tickets");
    }

    static Profile withIncidents(Profile p, ObjectNode... incidents) {
        List<Profile.Incident> list = new ArrayList<>();
        for (ObjectNode o : incidents) {
            list.add(new Profile.Incident(o.get("kind").asText(), o));
        }
        return new Profile(
                p.name(),
                p.city(),
                p.month(),
                p.zone(),
                p.callsAnswered(),
                p.connectionRatePct(),
                p.callsByRegion(),
                p.ticketsValid(),
                p.resolvedOnline(),
                p.dispatched(),
                p.completedOnTime(),
                p.callbackSatisfactionPct(),
                p.byChannel(),
                p.byRequestType(),
                p.hotspotCategories(),
                p.tags(),
                p.desks(),
                list,
                p.previousMonth(),
                p.units());
    }
}
