package org.hotline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.hotline.figures.Rates;
import org.junit.jupiter.api.Test;

/**
 * Many random consistent profiles ({@link RandomProfiles}), alone and as consecutive months whose tickets and
 * callbacks cross the month's end: each calibrates exactly, counted from the generated events by {@link CountedMonth}.
 * A failure is shrunk to a small profile and shown with the simulator's or the counter's message.
 */
class MonthSimulatorPropertyTest {

    static final int PROFILES = 1000;
    static final int SEQUENCES = 500;

    @Test
    void everyConsistentProfileCalibrates() {
        check(PROFILES, seed -> RandomProfiles.random(seed), spec -> List.of(spec.profile("random-" + spec.seed(), 0)));
    }

    @Test
    void consecutiveMonthsCalibrateEachToItsOwnFigures() {
        check(SEQUENCES, seed -> RandomProfiles.random(seed * 7919 + 1), RandomProfiles::pair);
    }

    interface Profiles {
        List<Profile> of(RandomProfiles.Spec spec);
    }

    private static void check(
            int count, java.util.function.LongFunction<RandomProfiles.Spec> specs, Profiles profiles) {
        for (long seed = 0; seed < count; seed++) {
            RandomProfiles.Spec spec = specs.apply(seed);
            Predicate<RandomProfiles.Spec> fails = s -> failure(profiles.of(s), s.seed()) != null;
            if (fails.test(spec)) {
                RandomProfiles.Spec small = RandomProfiles.shrink(spec, fails);
                List<Profile> shown = profiles.of(small);
                fail(
                        "profile(s) from seed %d do not calibrate; shrunk to %s%n%s%nbecause: %s",
                        seed, small, describe(shown), failure(shown, small.seed()));
            }
        }
    }

    /** Null when the months generate and each one's counted figures are its published ones; else what went wrong. */
    static String failure(List<Profile> months, long seed) {
        try {
            List<MonthSimulator.Month> generated = MonthSimulator.sequence(months, seed);
            MonthSimulator.Month all = MonthSimulator.Month.concat(generated);
            for (Profile p : months) {
                CountedMonth counted = CountedMonth.of(p.month(), p.zone(), all.calls(), all.tickets());
                SoftAssertions soft = new SoftAssertions();
                assertCalibrated(soft, p, counted);
                soft.assertAll();
            }
            return null;
        } catch (RuntimeException | AssertionError e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static void assertCalibrated(SoftAssertions soft, Profile p, CountedMonth c) {
        String m = p.month() + " ";
        soft.assertThat(c.answered).as(m + "calls answered").isEqualTo(p.callsAnswered());
        soft.assertThat(Rates.pct(c.answered, c.offered))
                .as(m + "connection rate")
                .isEqualByComparingTo(p.connectionRatePct());
        soft.assertThat(c.answeredByRegion).as(m + "calls by region").containsAllEntriesOf(nonZero(p.callsByRegion()));
        soft.assertThat(c.valid).as(m + "valid tickets").isEqualTo(p.ticketsValid());
        soft.assertThat(c.resolvedOnline).as(m + "resolved online").isEqualTo(p.resolvedOnline());
        soft.assertThat(c.dispatched).as(m + "dispatched").isEqualTo(p.dispatched());
        soft.assertThat(Rates.pct(c.satisfied, c.callbacks))
                .as(m + "callback satisfaction (%d of %d)", c.satisfied, c.callbacks)
                .isEqualByComparingTo(p.callbackSatisfactionPct());
        soft.assertThat(c.byChannel).as(m + "channels").isEqualTo(nonZero(p.byChannel()));
        soft.assertThat(c.byRequestType).as(m + "request types").isEqualTo(nonZero(p.byRequestType()));
        soft.assertThat(c.byCategory).as(m + "top categories").containsAllEntriesOf(nonZero(p.hotspotCategories()));
        long lastTop = p.hotspotCategories().values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElse(Long.MAX_VALUE);
        c.byCategory.forEach((category, n) -> {
            if (!p.hotspotCategories().containsKey(category)) {
                soft.assertThat(n)
                        .as(m + "category %s, not a top one", category)
                        .isLessThan(lastTop);
            }
        });
        soft.assertThat(c.byTag).as(m + "tags").isEqualTo(nonZero(p.tags()));
        soft.assertThat(c.byDesk).as(m + "desks").isEqualTo(nonZero(p.desks()));
        long onTime = 0;
        for (Profile.UnitFigures u : p.units()) {
            long[] f = c.unit(u.unit());
            onTime += f[CountedMonth.ON_TIME];
            soft.assertThat(new long[] {
                        f[CountedMonth.TICKETS],
                        f[CountedMonth.ON_TIME],
                        f[CountedMonth.EXTENDED],
                        f[CountedMonth.CONTACTED],
                        f[CountedMonth.REJECTS]
                    })
                    .as(m + u.unit() + ": tickets, on time, extended, contacted, rejects")
                    .containsExactly(u.tickets(), u.onTime(), u.extensions(), u.contacted(), u.rejects());
            soft.assertThat(Rates.pct(f[CountedMonth.SYS_SAT], f[CountedMonth.SYS]))
                    .as(m + u.unit() + " system satisfaction")
                    .isEqualByComparingTo(u.sysSatisfactionPct());
            soft.assertThat(Rates.pct(f[CountedMonth.SPOT_SAT], f[CountedMonth.SPOT]))
                    .as(m + u.unit() + " spot-check satisfaction")
                    .isEqualByComparingTo(u.spotSatisfactionPct());
        }
        soft.assertThat(onTime).as(m + "completed on time").isEqualTo(p.completedOnTime());
        c.units.forEach((unit, f) -> {
            if (p.units().stream().noneMatch(u -> u.unit().equals(unit))) {
                soft.assertThat(f[CountedMonth.TICKETS]
                                + f[CountedMonth.SYS]
                                + f[CountedMonth.SPOT]
                                + f[CountedMonth.REJECTS])
                        .as(m + "figures of %s, which the month does not publish", unit)
                        .isZero();
            }
        });
        for (Profile.Incident i : p.incidents()) {
            switch (i.kind()) {
                case "returns" ->
                    soft.assertThat(c.unit(i.text("unit"))[CountedMonth.RETURNS])
                            .as(m + "returns")
                            .isEqualTo(i.number("count"));
                case "bouncing_ticket" ->
                    soft.assertThat(c.mostDispatches)
                            .as(m + "bouncing ticket's dispatches")
                            .isGreaterThanOrEqualTo(i.number("dispatches"));
                case "emerging_hotspot" ->
                    soft.assertThat(c.byTopic.getOrDefault(i.text("topic"), 0L))
                            .as(m + "emerging topic")
                            .isEqualTo(i.number("count"));
                case "backlog" ->
                    soft.assertThat(c.unit(i.text("unit"))[CountedMonth.MOST_OPEN])
                            .as(m + "backlog")
                            .isGreaterThanOrEqualTo(i.number("count"));
                default -> soft.fail("unknown incident " + i.kind());
            }
        }
    }

    private static Map<String, Long> nonZero(Map<String, Long> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** A profile as its two files would read. */
    static String describe(List<Profile> months) {
        List<String> out = new ArrayList<>();
        for (Profile p : months) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(
                    "%s: calls answered %d at %s %%, regions %s; tickets valid %d, online %d, dispatched %d, "
                            + "on time %d, satisfaction %s %%; channels %s; types %s; top %s; tags %s; desks %s%n",
                    p.month(),
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
                    p.desks()));
            p.incidents()
                    .forEach(i -> s.append("  incident ").append(i.fields()).append('\n'));
            s.append(
                    "  unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,rejects\n");
            p.units()
                    .forEach(u -> s.append(String.format(
                            "  %s,%s,%d,%d,%d,%d,%s,%s,%d%n",
                            u.unit(),
                            u.group(),
                            u.tickets(),
                            u.onTime(),
                            u.extensions(),
                            u.contacted(),
                            u.sysSatisfactionPct(),
                            u.spotSatisfactionPct(),
                            u.rejects())));
            out.add(s.toString());
        }
        return String.join("", out);
    }

    /** The check fails when the events are one completion short of the figures. */
    @Test
    void theCheckCatchesAFigureThatIsOff() {
        Profile p = RandomProfiles.random(3).profile("random-3", 0);
        MonthSimulator.Month month = MonthSimulator.sequence(List.of(p), 3).get(0);
        SoftAssertions exact = new SoftAssertions();
        assertCalibrated(exact, p, CountedMonth.of(p.month(), p.zone(), month.calls(), month.tickets()));
        exact.assertAll();

        org.hotline.events.TicketEvent completion = month.tickets().stream()
                .filter(e -> e.type() == org.hotline.events.TicketEventType.COMPLETED)
                .findFirst()
                .orElseThrow();
        List<org.hotline.events.TicketEvent> short1 =
                month.tickets().stream().filter(e -> e != completion).toList();
        SoftAssertions off = new SoftAssertions();
        assertCalibrated(off, p, CountedMonth.of(p.month(), p.zone(), month.calls(), short1));
        assertThat(off.errorsCollected())
                .isNotEmpty()
                .anySatisfy(e -> assertThat(e).hasMessageContaining(completion.unitId() + ": tickets"));
    }
}
