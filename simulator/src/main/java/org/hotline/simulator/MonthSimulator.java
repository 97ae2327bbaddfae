package org.hotline.simulator;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hotline.events.CallEvent;
import org.hotline.events.TicketEvent;

/**
 * Generates a month of call and ticket events from a {@link Profile}, seeded and deterministic, with
 * a daily and weekly rhythm, and calibrated exactly: the month's totals are the profile's counts
 * and its rates round to the profile's percentages. The incidents of the profile are generated
 * from its {@code incidents} list: {@code backlog}, {@code returns}, {@code bouncing_ticket} and
 * {@code emerging_hotspot}. {@link #sequence} generates consecutive months whose tickets and callbacks
 * cross the months' ends, each month still calibrated to its own profile. What a profile must satisfy
 * is written in docs/design.md ("What makes a profile consistent"); a profile that does not is refused
 * with the unit, the figures and the rule.
 *
 * <p>The steps, each in its own class and all drawing from the month's one {@link MonthClock}, in this order:
 * {@link CallGenerator} (the calls), {@link TicketAttributes} (the tickets as created), {@link Dispatching} (which
 * unit completes which ticket and how), {@link CallbackPlan} (callbacks and satisfaction), {@link TicketLives} (each
 * ticket's events).
 */
public final class MonthSimulator {

    private final Profile profile;
    private final MonthClock clock;
    private final List<CallEvent> calls = new ArrayList<>();
    private final List<TicketEvent> tickets = new ArrayList<>();
    /** What the month before left to this one, and the month after (null for the last or only month). */
    private final Carry carryIn;

    private final Profile next;
    private Carry carryOut = Carry.NONE;

    /** The generated month, every event in event-time order. */
    public record Month(Profile profile, List<CallEvent> calls, List<TicketEvent> tickets) {
        public int size() {
            return calls.size() + tickets.size();
        }

        /** The events from {@code fromMs} (inclusive) to {@code toMs} (exclusive), in their order. */
        public Month between(long fromMs, long toMs) {
            return new Month(
                    profile,
                    calls.stream()
                            .filter(e -> e.eventTimeMs() >= fromMs && e.eventTimeMs() < toMs)
                            .toList(),
                    tickets.stream()
                            .filter(e -> e.eventTimeMs() >= fromMs && e.eventTimeMs() < toMs)
                            .toList());
        }

        /** Several months' events as one stream, in event-time order (named after the first month). */
        public static Month concat(List<Month> months) {
            List<CallEvent> calls = new ArrayList<>();
            List<TicketEvent> tickets = new ArrayList<>();
            months.forEach(m -> {
                calls.addAll(m.calls());
                tickets.addAll(m.tickets());
            });
            return sorted(months.get(0).profile(), calls, tickets);
        }
    }

    private static Month sorted(Profile profile, List<CallEvent> calls, List<TicketEvent> tickets) {
        List<CallEvent> c = new ArrayList<>(calls);
        List<TicketEvent> t = new ArrayList<>(tickets);
        c.sort(Comparator.comparingLong(CallEvent::eventTimeMs).thenComparing(CallEvent::eventId));
        t.sort(Comparator.comparingLong(TicketEvent::eventTimeMs)
                .thenComparing(e -> e.type().ordinal())
                .thenComparing(TicketEvent::eventId));
        return new Month(profile, List.copyOf(c), List.copyOf(t));
    }

    /**
     * What a month leaves to the next: tickets dispatched in it and completed in the next (their lives
     * written by the next month, which decides who completes them), and callbacks in the next month on its
     * own last days' tickets, per unit {sys satisfied, sys callbacks, spot satisfied, spot callbacks}.
     */
    private record Carry(List<Ticket> open, Map<String, long[]> callbacks) {
        static final Carry NONE = new Carry(List.of(), Map.of());
    }

    public MonthSimulator(Profile profile, long seed) {
        this(profile, seed, Carry.NONE, null);
    }

    private MonthSimulator(Profile profile, long seed, Carry carryIn, Profile next) {
        this.carryIn = carryIn;
        this.next = next;
        this.profile = profile;
        this.clock = new MonthClock(profile, seed);
    }

    public Month generate() {
        CallGenerator callGenerator = new CallGenerator(profile, clock, calls);
        List<long[]> answered = callGenerator.generate();
        generateTickets(answered, callGenerator.regions());
        return sorted(profile, calls, tickets);
    }

    /**
     * Consecutive months, each calibrated to its profile: tickets dispatched near a month's end are completed
     * in the next (and count there, for the unit that completes them), callbacks on a month's last tickets fall
     * in the next (and count there). Each returned month holds the events whose time falls in it. The first
     * month is the one {@code new MonthSimulator(months.get(0), seed).generate()} gives when it leaves nothing
     * open; tickets still open at the end of the last month stay open.
     */
    public static List<Month> sequence(List<Profile> months, long seed) {
        for (int i = 1; i < months.size(); i++) {
            if (!months.get(i).month().equals(months.get(i - 1).month().plusMonths(1))) {
                throw new IllegalArgumentException(String.format(
                        "profiles %s (%s) and %s (%s) are not consecutive months",
                        months.get(i - 1).name(),
                        months.get(i - 1).month(),
                        months.get(i).name(),
                        months.get(i).month()));
            }
        }
        List<Month> generated = new ArrayList<>();
        Carry carry = Carry.NONE;
        for (int i = 0; i < months.size(); i++) {
            MonthSimulator m = new MonthSimulator(
                    months.get(i), seed + i, carry, i + 1 < months.size() ? months.get(i + 1) : null);
            generated.add(m.generate());
            carry = m.carryOut;
        }
        Month all = Month.concat(generated);
        List<Month> out = new ArrayList<>();
        for (Month g : generated) {
            ZonedDateTime start =
                    g.profile().month().atDay(1).atStartOfDay(g.profile().zone());
            Month own = all.between(
                    start.toInstant().toEpochMilli(),
                    start.plusMonths(1).toInstant().toEpochMilli());
            out.add(new Month(g.profile(), own.calls(), own.tickets()));
        }
        if (out.stream().mapToInt(Month::size).sum() != all.size()) {
            throw new IllegalStateException("an event of the sequence fell outside its months");
        }
        return out;
    }

    private void generateTickets(List<long[]> answeredCalls, List<String> regions) {
        int n = Math.toIntExact(profile.ticketsValid());
        if (profile.resolvedOnline() + profile.dispatched() != n) {
            throw new IllegalArgumentException(String.format(
                    "resolved online (%d) + dispatched (%d) must equal the %d valid " + "tickets",
                    profile.resolvedOnline(), profile.dispatched(), n));
        }
        long onTime =
                profile.units().stream().mapToLong(Profile.UnitFigures::onTime).sum();
        if (onTime != profile.completedOnTime()) {
            throw new IllegalArgumentException("units.csv on-time tickets add up to " + onTime + ", not the "
                    + profile.completedOnTime() + " completed on time");
        }
        long open = profile.dispatched() + carryIn.open().size() - profile.unitTickets();
        if (open < 0) {
            throw new IllegalArgumentException(String.format(
                    "units.csv tickets add up to %d, more than the %d dispatched "
                            + "plus the %d still open from the month before: a unit completes only tickets dispatched to it",
                    profile.unitTickets(), profile.dispatched(), carryIn.open().size()));
        }
        List<Ticket> all = new TicketAttributes(profile, clock).create(n, answeredCalls, regions);
        Dispatching.Dispatch dispatch = new Dispatching(profile, clock, carryIn.open(), next != null).choose(all, open);
        new CallbackPlan(profile, clock.random, carryIn.callbacks()).place(all, dispatch.units(), dispatch.byUnit());
        TicketLives lives = new TicketLives(clock, tickets);
        for (Ticket t : carryIn.open()) {
            lives.write(t);
        }
        for (Ticket t : all) {
            lives.write(t);
        }
        carryOut =
                next == null ? Carry.NONE : new Carry(dispatch.left(), lives.spillCallbacks(next, dispatch.byUnit()));
    }
}
