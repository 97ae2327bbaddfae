package org.hotline.simulator;

import static org.hotline.simulator.MonthClock.DAY;
import static org.hotline.simulator.MonthClock.HOUR;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.hotline.events.RequestType;

/**
 * Which tickets go to which unit, and how each unit's tickets end: the incidents' stories first (returns, the
 * bouncing ticket, backlogs), the tickets the month before left open, those left open for the next month, then
 * exactly each unit's published tickets, on-time, extended and contacted ones, and rejections.
 */
final class Dispatching {

    /** The units by name, the tickets each completes this month, and those dispatched and left open at its end. */
    record Dispatch(Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit, List<Ticket> left) {}

    private final Profile profile;
    private final MonthClock clock;
    private final List<Ticket> carriedIn;
    private final boolean continues;

    /** {@code carriedIn}: tickets the month before left open; {@code continues}: a next month completes those left open. */
    Dispatching(Profile profile, MonthClock clock, List<Ticket> carriedIn, boolean continues) {
        this.profile = profile;
        this.clock = clock;
        this.carriedIn = carriedIn;
        this.continues = continues;
    }

    /** Which tickets go to which unit, and how each unit's tickets end (on time, extended, contacted, called back). */
    Dispatch choose(List<Ticket> all, long open) {
        Map<String, Profile.UnitFigures> units = new LinkedHashMap<>();
        profile.units().forEach(u -> units.put(u.unit(), u));
        List<Ticket> pool = new ArrayList<>(
                all.stream().filter(t -> t.requestType != RequestType.INVALID).toList());
        Collections.shuffle(pool, clock.random);
        // tickets created in the month's last hours have the least time for a life: they are taken last
        pool.sort(Comparator.comparing(t -> t.created >= clock.end - 8 * HOUR));
        Set<Ticket> taken = new HashSet<>();
        Map<String, List<Ticket>> byUnit = new LinkedHashMap<>();
        units.keySet().forEach(u -> byUnit.put(u, new ArrayList<>()));
        Map<String, Long> rejectBudget = new LinkedHashMap<>();
        units.values().forEach(u -> rejectBudget.put(u.unit(), u.rejects()));
        long early = clock.start + 10 * DAY;

        for (Profile.Incident incident : profile.incidents()) {
            switch (incident.kind()) {
                case "returns" -> {
                    List<String> to = incident.texts("redispatched_to");
                    int count = incident.number("count");
                    String category = incident.text("category");
                    List<Ticket> picked = take(
                            pool,
                            taken,
                            count,
                            t -> t.category.equals(category),
                            t -> t.created < early,
                            "returns of " + incident.text("unit") + ": " + count + " tickets of category " + category);
                    int i = 0;
                    for (Ticket t : picked) {
                        t.story = "returned:" + unitOf(units, incident.text("unit"));
                        String target = receiver(units, byUnit, to, i++);
                        if (target == null) {
                            throw new IllegalArgumentException(String.format(
                                    "the %d tickets returned by %s do not fit the " + "tickets published for %s",
                                    count, incident.text("unit"), String.join(", ", to)));
                        }
                        assign(t, target, byUnit);
                    }
                }
                case "bouncing_ticket" -> {
                    List<String> between = incident.texts("units").stream()
                            .map(u -> unitOf(units, u))
                            .toList();
                    int dispatches = incident.number("dispatches");
                    String last = between.get((dispatches - 1) % between.size());
                    requireRoom(units.get(last), byUnit, 1, "the bouncing ticket it completes");
                    Ticket t = take(pool, taken, 1, x -> true, x -> x.created < early, "the bouncing ticket")
                            .get(0);
                    t.story = "bouncing:" + dispatches + ":" + String.join(",", between);
                    for (int d = 0; d < dispatches - 1; d++) {
                        String rejecting = between.get(d % between.size());
                        rejectBudget.merge(rejecting, -1L, Long::sum);
                    }
                    assign(t, last, byUnit);
                }
                case "backlog", "emerging_hotspot" -> {}
                default -> throw new IllegalArgumentException("unknown incident kind '" + incident.kind() + "'");
            }
        }
        for (Profile.Incident incident : profile.incidents()) {
            if (incident.kind().equals("backlog")) {
                Profile.UnitFigures u = units.get(unitOf(units, incident.text("unit")));
                int count = incident.number("count");
                requireRoom(u, byUnit, count, "its backlog of " + count);
                // a piled-up ticket is completed late, or on time only after an extension
                long canPile = (u.tickets() - u.onTime()) + Math.min(u.onTime(), u.extensions());
                if (count > canPile) {
                    throw new IllegalArgumentException(String.format(
                            "%s: a backlog of %d piled-up tickets, but its figures "
                                    + "(%d tickets, %d on time, %d extensions) let only %d be late or extended and on time",
                            u.unit(), count, u.tickets(), u.onTime(), u.extensions(), canPile));
                }
                List<Ticket> piled = take(
                        pool,
                        taken,
                        count,
                        t -> true,
                        t -> t.created < clock.start + 8 * DAY,
                        "the backlog of " + u.unit());
                long allIn = piled.stream().mapToLong(t -> t.created).max().orElse(clock.start) + HOUR;
                piled.forEach(t -> {
                    t.story = "piled";
                    t.notBefore = allIn;
                    assign(t, u.unit(), byUnit);
                });
            }
        }
        // Tickets still open from the month before are completed by the units with the most room.
        for (Ticket t : carriedIn) {
            String unit = units.values().stream()
                    .max(Comparator.comparingLong(
                            u -> u.tickets() - byUnit.get(u.unit()).size()))
                    .map(Profile.UnitFigures::unit)
                    .orElse(null);
            if (unit == null || byUnit.get(unit).size() >= units.get(unit).tickets()) {
                throw new IllegalArgumentException(String.format(
                        "the %d tickets still open at the end of the month before "
                                + "do not fit the tickets published for the units",
                        carriedIn.size()));
            }
            t.story = "carried";
            assign(t, unit, byUnit);
        }
        // Tickets dispatched and not completed this month: the latest ones; the next month completes them.
        List<Ticket> left = take(
                pool,
                taken,
                Math.toIntExact(open),
                t -> true,
                t -> t.created >= clock.end - 2 * DAY,
                open + " tickets dispatched and still open at the month's end");
        left.sort(Comparator.comparingLong(t -> t.created));
        List<String> names = new ArrayList<>(units.keySet());
        if (!continues && names.isEmpty() && open > 0) {
            throw new IllegalArgumentException(
                    open + " tickets dispatched, but units.csv names no unit to dispatch them to");
        }
        for (int i = 0; i < left.size(); i++) {
            Ticket t = left.get(i);
            t.dispatched = true;
            t.story = "open";
            t.dispatchedAt = clock.dispatchAfter(t.created);
            t.unit = continues ? null : names.get(i % names.size());
        }
        // Tickets that finish late need their due time well inside the month: they are taken from its first half.
        for (Profile.UnitFigures u : units.values()) {
            long piled = byUnit.get(u.unit()).stream()
                    .filter(t -> t.story.equals("piled"))
                    .count();
            long piledOnTime = Math.min(piled, Math.min(u.onTime(), u.extensions()));
            long late = (u.tickets() - u.onTime()) - (piled - piledOnTime);
            long missing = u.tickets() - byUnit.get(u.unit()).size();
            long lateFirst = Math.max(0, Math.min(late, missing));
            take(
                            pool,
                            taken,
                            (int) lateFirst,
                            t -> true,
                            t -> t.created < clock.start + (clock.end - clock.start) / 2 - 2 * DAY,
                            u.unit() + "'s tickets")
                    .forEach(t -> {
                        t.story = "late";
                        assign(t, u.unit(), byUnit);
                    });
            take(
                            pool,
                            taken,
                            (int) (u.tickets() - byUnit.get(u.unit()).size()),
                            t -> true,
                            t -> true,
                            u.unit() + "'s tickets")
                    .forEach(t -> assign(t, u.unit(), byUnit));
        }
        for (Profile.UnitFigures u : units.values()) {
            flags(u, byUnit.get(u.unit()));
        }
        rejections(byUnit, rejectBudget);
        return new Dispatch(units, byUnit, left);
    }

    private static String unitOf(Map<String, Profile.UnitFigures> units, String name) {
        if (!units.containsKey(name)) {
            throw new IllegalArgumentException("incident names unit '" + name + "', which is not in units.csv");
        }
        return name;
    }

    private static void requireRoom(Profile.UnitFigures u, Map<String, List<Ticket>> byUnit, int count, String what) {
        if (byUnit.get(u.unit()).size() + count > u.tickets()) {
            throw new IllegalArgumentException(String.format(
                    "%s: %d tickets published, too few for %s besides the %d the " + "other incidents give it",
                    u.unit(), u.tickets(), what, byUnit.get(u.unit()).size()));
        }
    }

    /**
     * The unit of {@code to}, taken in turn from {@code start}, that receives a returned ticket: the first with room
     * for an extended, on-time one, else the first with room for a ticket at all; null when none has room.
     */
    private static String receiver(
            Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit, List<String> to, int start) {
        for (boolean extendedOnTime : new boolean[] {true, false}) {
            for (int k = 0; k < to.size(); k++) {
                String unit = unitOf(units, to.get((start + k) % to.size()));
                if (room(units.get(unit), byUnit, extendedOnTime)) {
                    return unit;
                }
            }
        }
        return null;
    }

    private static boolean room(Profile.UnitFigures u, Map<String, List<Ticket>> byUnit, boolean extendedOnTime) {
        List<Ticket> held = byUnit.get(u.unit());
        return held.size() < u.tickets() && (!extendedOnTime || held.size() < Math.min(u.extensions(), u.onTime()));
    }

    private void assign(Ticket t, String unit, Map<String, List<Ticket>> byUnit) {
        t.dispatched = true;
        t.unit = unit;
        byUnit.get(unit).add(t);
    }

    /**
     * {@code count} tickets of the pool that {@code fit}, those that also match {@code prefer} first (the story reads
     * best with them, but any that fits will do); {@code what} names them when the month has too few.
     */
    private List<Ticket> take(
            List<Ticket> pool,
            Set<Ticket> taken,
            int count,
            Predicate<Ticket> fits,
            Predicate<Ticket> prefer,
            String what) {
        List<Ticket> out = new ArrayList<>();
        for (boolean preferred : new boolean[] {true, false}) {
            for (Ticket t : pool) {
                if (out.size() == count) {
                    break;
                }
                if (!taken.contains(t) && !out.contains(t) && fits.test(t) && prefer.test(t) == preferred) {
                    out.add(t);
                }
            }
        }
        if (out.size() < count) {
            throw new IllegalArgumentException(String.format(
                    "%s: the month has only %d such tickets left to dispatch " + "(valid and not invalid)",
                    what, out.size()));
        }
        taken.addAll(out);
        return out;
    }

    /** Exactly the unit's on-time, extended and contacted counts, given what the incidents require of some tickets. */
    private void flags(Profile.UnitFigures u, List<Ticket> held) {
        if (held.size() != u.tickets()) {
            throw new IllegalStateException(u.unit() + " holds " + held.size() + " tickets, not " + u.tickets());
        }
        if (u.onTime() > u.tickets() || u.extensions() > u.tickets() || u.contacted() > u.tickets()) {
            throw new IllegalArgumentException(String.format(
                    "%s: %d tickets, but %d on time, %d extensions and %d contacted: "
                            + "none can be more than its tickets",
                    u.unit(), u.tickets(), u.onTime(), u.extensions(), u.contacted()));
        }
        long onTime = u.onTime();
        long extended = u.extensions();
        // Piled-up tickets first: one on time must have been extended; late ones are late either way.
        List<Ticket> piled = held.stream().filter(t -> t.story.equals("piled")).toList();
        for (Ticket t : piled) {
            if (onTime > 0 && extended > 0) {
                t.onTime = true;
                t.extended = true;
                onTime--;
                extended--;
            } else if (extended > 0) {
                t.extended = true;
                extended--;
            }
        }
        List<Ticket> rest = new ArrayList<>();
        for (Ticket t : held) {
            // A returned ticket is extended by the zone before it gives it back (as in the real incident) and met the
            // new due time of its redispatch, while the unit's figures have room; otherwise it is like any other: a
            // redispatch sets a new due time, so it needs no extension, and it may finish late.
            if (t.story.startsWith("returned") && onTime > 0 && extended > 0) {
                t.onTime = true;
                t.extended = true;
                onTime--;
                extended--;
            } else if (!t.story.equals("piled")) {
                rest.add(t);
            }
        }
        List<Ticket> late = rest.stream().filter(t -> t.story.equals("late")).toList();
        List<Ticket> normal = rest.stream().filter(t -> !t.story.equals("late")).toList();
        // on time: the ordinary tickets first, then those chosen to be late when there are more on time than those
        List<Ticket> others = new ArrayList<>(normal);
        others.addAll(late);
        for (Ticket t : others) {
            if (onTime > 0) {
                t.onTime = true;
                onTime--;
            }
        }
        if (onTime != 0) {
            throw new IllegalArgumentException(String.format(
                    "%s: %d of its %d tickets are published as completed on time, but "
                            + "%d of them piled up (backlog) and can be on time only with an extension, of its %d",
                    u.unit(), u.onTime(), u.tickets(), piled.size(), u.extensions()));
        }
        Collections.shuffle(others, clock.random);
        for (Ticket t : others) {
            if (extended > 0) {
                t.extended = true;
                extended--;
            }
        }
        if (extended != 0) {
            throw new IllegalStateException(u.unit() + ": cannot place its extended tickets");
        }
        List<Ticket> contact = new ArrayList<>(held);
        Collections.shuffle(contact, clock.random);
        for (int i = 0; i < u.contacted(); i++) {
            contact.get(i).contacted = true;
        }
    }

    /**
     * Each unit's published rejections: tickets it was given first and turned down, then re-dispatched to the unit that
     * completes them. The units with the fewest tickets of others to reject go first, and each takes from the units
     * with the most tickets left, so that every unit finds its own when the month has them.
     */
    private void rejections(Map<String, List<Ticket>> byUnit, Map<String, Long> budget) {
        Map<String, List<Ticket>> free = new LinkedHashMap<>();
        byUnit.forEach((unit, held) -> {
            List<Ticket> f = new ArrayList<>(held.stream()
                    .filter(t -> t.story.isEmpty() || t.story.equals("late"))
                    .toList());
            Collections.shuffle(f, clock.random);
            free.put(unit, f);
        });
        long all = free.values().stream().mapToLong(List::size).sum();
        List<String> rejecting = new ArrayList<>(budget.keySet());
        rejecting.sort(Comparator.comparingLong(u -> all - free.get(u).size()));
        for (String unit : rejecting) {
            long wanted = budget.get(unit);
            if (wanted < 0) {
                throw new IllegalArgumentException(String.format(
                        "%s: the bouncing ticket needs %d more rejections than the " + "%d published",
                        unit,
                        -wanted,
                        profile.units().stream()
                                .filter(u -> u.unit().equals(unit))
                                .findFirst()
                                .orElseThrow()
                                .rejects()));
            }
            for (long i = 0; i < wanted; i++) {
                List<Ticket> from = free.entrySet().stream()
                        .filter(e -> !e.getKey().equals(unit) && !e.getValue().isEmpty())
                        .max(Comparator.comparingInt(e -> e.getValue().size()))
                        .map(Map.Entry::getValue)
                        .orElse(null);
                if (from == null) {
                    throw new IllegalArgumentException(String.format(
                            "%s: %d rejections published, but only %d tickets are left "
                                    + "that another unit completes this month (a rejected ticket is re-dispatched and completed by "
                                    + "another unit; incidents' tickets and each rejected one count once)",
                            unit, wanted, i));
                }
                Ticket t = from.remove(from.size() - 1);
                t.story = "rejected:" + unit + (t.story.equals("late") ? ":late" : "");
            }
        }
    }
}
