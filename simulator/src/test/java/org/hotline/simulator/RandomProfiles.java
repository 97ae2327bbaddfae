package org.hotline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hotline.figures.Rates;

/**
 * Random profiles that are consistent by construction: a {@link Spec} says what the month holds (each unit's
 * tickets and outcomes, the tickets resolved online, those left open, the incidents), and {@link Spec#profile}
 * derives the published figures from it by the rules of a ticket's life, clamping what the rules forbid.
 * {@link #shrink} makes a failing spec smaller while it still fails, so that a failure reads as a small profile.
 */
final class RandomProfiles {
    private RandomProfiles() {}

    static final List<String> GROUPS = List.of("district", "park", "department", "enterprise");
    /** Top-category names: civilised-city ones (for the tag), the returns' streetlights, and others. */
    static final List<String> CATEGORIES = List.of("路灯", "占道经营", "社会保险", "生活噪音", "消费维权", "物业管理");

    static final List<String> REGIONS = List.of("湘潭县", "湘乡市", "韶山市");

    record UnitSpec(
            String group,
            int tickets,
            int onTime,
            int extensions,
            int contacted,
            int sysSatisfied,
            int sys,
            int spotSatisfied,
            int spot,
            int rejects) {}

    /** An incident: its kind and the units (by index) and numbers it needs. */
    record IncidentSpec(String kind, int unit, int other, int count) {}

    record Spec(
            long seed,
            YearMonth month,
            List<UnitSpec> units,
            int online,
            int invalid,
            int open,
            int onlineCallbacks,
            int onlineSatisfied,
            int extraAnswered,
            int abandoned,
            int topCategories,
            boolean tagged,
            int desks,
            List<IncidentSpec> incidents) {

        Spec with(
                UnaryOperator<List<UnitSpec>> u,
                int online,
                int open,
                int extraAnswered,
                int abandoned,
                int topCategories,
                List<IncidentSpec> incidents) {
            return new Spec(
                    seed,
                    month,
                    u.apply(units),
                    online,
                    Math.min(invalid, online),
                    open,
                    Math.min(onlineCallbacks, online),
                    onlineSatisfied,
                    extraAnswered,
                    abandoned,
                    topCategories,
                    tagged,
                    desks,
                    incidents);
        }

        Spec withUnits(List<UnitSpec> u) {
            return new Spec(
                    seed,
                    month,
                    u,
                    online,
                    invalid,
                    open,
                    onlineCallbacks,
                    onlineSatisfied,
                    extraAnswered,
                    abandoned,
                    topCategories,
                    tagged,
                    desks,
                    incidents.stream()
                            .filter(i -> i.unit() < u.size() && i.other() < u.size())
                            .toList());
        }

        Spec withIncidents(List<IncidentSpec> i) {
            return new Spec(
                    seed,
                    month,
                    units,
                    online,
                    invalid,
                    open,
                    onlineCallbacks,
                    onlineSatisfied,
                    extraAnswered,
                    abandoned,
                    topCategories,
                    tagged,
                    desks,
                    i);
        }

        Spec withMonthAndOpen(YearMonth m, int o) {
            return new Spec(
                    seed,
                    m,
                    units,
                    online,
                    invalid,
                    o,
                    onlineCallbacks,
                    onlineSatisfied,
                    extraAnswered,
                    abandoned,
                    topCategories,
                    tagged,
                    desks,
                    incidents);
        }

        static String unitName(int i) {
            return "单位" + (char) ('A' + i);
        }

        /**
         * The published figures of this month. {@code carriedIn} tickets, dispatched the month before, are completed
         * this month by its units, so the month dispatches that many fewer of its own.
         */
        Profile profile(String name, int carriedIn) {
            Random r = new Random(seed);
            int n = units.size();
            // incidents first: each takes room in a unit's tickets, in the order the simulator gives it
            int[] room = units.stream().mapToInt(UnitSpec::tickets).toArray();
            int[] rejectsNeeded = new int[n];
            int[] piled = new int[n];
            List<ObjectNode> incidents = new ArrayList<>();
            JsonNodeFactory json = JsonNodeFactory.instance;
            String returnsCategory = CATEGORIES.get(0);
            int returned = 0;
            for (IncidentSpec i : sorted(this.incidents)) {
                ObjectNode o = json.objectNode();
                switch (i.kind()) {
                    case "returns" -> {
                        int count = Math.min(i.count(), room[i.other()]);
                        if (count <= 0 || i.unit() == i.other()) {
                            continue;
                        }
                        room[i.other()] -= count;
                        returned += count;
                        o.put("kind", "returns")
                                .put("unit", unitName(i.unit()))
                                .put("category", returnsCategory)
                                .put("count", count);
                        o.putArray("redispatched_to").add(unitName(i.other()));
                    }
                    case "bouncing_ticket" -> {
                        int dispatches = Math.max(2, i.count());
                        int last = (dispatches - 1) % 2 == 0 ? i.unit() : i.other();
                        if (i.unit() == i.other() || room[last] < 1) {
                            continue;
                        }
                        room[last]--;
                        rejectsNeeded[i.unit()] += dispatches / 2;
                        rejectsNeeded[i.other()] += (dispatches - 1) / 2;
                        o.put("kind", "bouncing_ticket").put("dispatches", dispatches);
                        o.putArray("units").add(unitName(i.unit())).add(unitName(i.other()));
                    }
                    case "backlog" -> {
                        UnitSpec u = units.get(i.unit());
                        int canPile =
                                (u.tickets() - onTime(u)) + Math.min(onTime(u), Math.min(u.extensions(), u.tickets()));
                        int count = Math.min(Math.min(i.count(), room[i.unit()]), canPile);
                        if (count <= 0) {
                            continue;
                        }
                        room[i.unit()] -= count;
                        piled[i.unit()] += count;
                        o.put("kind", "backlog").put("unit", unitName(i.unit())).put("count", count);
                    }
                    default -> {
                        continue; // the emerging hotspot comes last: it needs the month's tickets
                    }
                }
                incidents.add(o);
            }
            int freeTickets = 0;
            for (int k = 0; k < n; k++) {
                freeTickets += room[k];
            }
            int carried = Math.min(carriedIn, freeTickets);
            freeTickets -= carried;
            // rejections: each needs a ticket another unit completes, apart from the incidents' and carried ones
            List<Profile.UnitFigures> figures = new ArrayList<>();
            int rejectable = freeTickets;
            for (int k = 0; k < n; k++) {
                UnitSpec u = units.get(k);
                int others = freeTickets - room[k];
                int rejects = rejectsNeeded[k] + Math.max(0, Math.min(u.rejects(), Math.min(rejectable, others)));
                rejectable -= rejects - rejectsNeeded[k];
                figures.add(new Profile.UnitFigures(
                        unitName(k),
                        u.group(),
                        u.tickets(),
                        onTime(u),
                        Math.min(u.extensions(), u.tickets()),
                        Math.min(u.contacted(), u.tickets()),
                        rate(u.sysSatisfied(), u.sys(), u.tickets()),
                        rate(u.spotSatisfied(), u.spot(), u.tickets()),
                        rejects,
                        BigDecimal.valueOf(r.nextInt(21)),
                        BigDecimal.valueOf(r.nextInt(6)),
                        BigDecimal.valueOf(r.nextInt(3))));
            }
            long unitTickets =
                    figures.stream().mapToLong(Profile.UnitFigures::tickets).sum();
            long dispatched = unitTickets + open - carried;
            if (dispatched
                    < returned
                            + incidents.stream()
                                    .filter(o -> o.get("kind").asText().equals("bouncing_ticket"))
                                    .count()) {
                dispatched = unitTickets + open; // (never fewer own tickets than the incidents take)
            }
            int valid = Math.toIntExact(online + dispatched);
            int invalidTickets = Math.min(invalid, online);
            // what the tickets are: channels, request types, categories, tags, desks
            Map<String, Long> types = split(
                    r, valid - invalidTickets, List.of("help", "consultation", "complaint", "suggestion", "other"));
            if (invalidTickets > 0) {
                types.put("invalid", (long) invalidTickets);
            }
            Map<String, Long> channels =
                    split(r, valid, List.of("phone", "provincial_12345_transfer", "mayor_mailbox", "city_app_12345"));
            Map<String, Long> top = new LinkedHashMap<>();
            int left = valid;
            int floor = Integer.MAX_VALUE;
            for (int k = 0; k < topCategories && left > 0; k++) {
                int count = k == 0
                        ? Math.max(returned + invalidTickets, 1 + r.nextInt(Math.max(1, left / 2 + 1)))
                        : 1 + r.nextInt(Math.max(1, Math.min(left, floor)));
                count = Math.min(count, Math.min(left, floor));
                if (count < 2 && left - count > 0) {
                    break; // the smallest top category must leave room below it for the rest
                }
                top.put(CATEGORIES.get(k), (long) count);
                left -= count;
                floor = count;
            }
            if (returned > 0 && top.getOrDefault(returnsCategory, 0L) < returned + invalidTickets) {
                // the streetlight tickets returned must exist: make them the top category
                top.clear();
                top.put(returnsCategory, (long) Math.min(valid, Math.max(2, returned + invalidTickets)));
            }
            long civilised = top.getOrDefault("占道经营", 0L) + top.getOrDefault("生活噪音", 0L);
            Map<String, Long> tags = new LinkedHashMap<>();
            if (tagged && civilised > 0) {
                tags.put("civilised_city", 1 + (long) r.nextInt((int) civilised));
            }
            Map<String, Long> deskCounts = new LinkedHashMap<>();
            if (desks > 0 && valid > 0) {
                long deputy = r.nextInt(Math.min(desks, valid) + 1);
                deskCounts.put("deputy_desk", deputy);
                deskCounts.put("business_desk", Math.min(desks, valid) - deputy);
            }
            // the calls behind the phone tickets
            long phone = channels.getOrDefault("phone", 0L);
            long answered = phone + extraAnswered;
            BigDecimal connection = Rates.pct(answered, answered + abandoned);
            Map<String, Long> regions = new LinkedHashMap<>();
            long regionLeft = answered;
            for (String region : REGIONS) {
                long c = regionLeft == 0 ? 0 : r.nextInt((int) Math.min(regionLeft, Integer.MAX_VALUE - 1) / 3 + 1);
                regions.put(region, c);
                regionLeft -= c;
            }
            // the city's callback satisfaction: the units' callbacks and some on tickets resolved online
            long callbacks = onlineCallbacks;
            long satisfied = Math.min(onlineSatisfied, onlineCallbacks);
            for (UnitSpec u : units) {
                callbacks += Math.min(u.sys(), u.tickets()) + Math.min(u.spot(), u.tickets());
                satisfied += Math.min(u.sysSatisfied(), Math.min(u.sys(), u.tickets()))
                        + Math.min(u.spotSatisfied(), Math.min(u.spot(), u.tickets()));
            }
            for (IncidentSpec i : incidents()) {
                if (i.kind().equals("emerging_hotspot") && valid > 0) {
                    ObjectNode o = json.objectNode();
                    o.put("kind", "emerging_hotspot")
                            .put("topic", "新话题")
                            .put("count", 1 + Math.min(i.count(), valid - 1));
                    incidents.add(o);
                }
            }
            List<Profile.Incident> parsed = incidents.stream()
                    .map(o -> new Profile.Incident(o.get("kind").asText(), (JsonNode) o))
                    .toList();
            return new Profile(
                    name,
                    "Testville",
                    month,
                    ZoneId.of("Asia/Shanghai"),
                    answered,
                    connection,
                    regions,
                    valid,
                    online,
                    dispatched,
                    figures.stream().mapToLong(Profile.UnitFigures::onTime).sum(),
                    Rates.pct(satisfied, callbacks),
                    channels,
                    types,
                    top,
                    tags,
                    deskCounts,
                    parsed,
                    MissingNode.getInstance(),
                    figures);
        }

        private static List<IncidentSpec> sorted(List<IncidentSpec> incidents) {
            List<IncidentSpec> out = new ArrayList<>();
            for (String kind : List.of("returns", "bouncing_ticket", "backlog")) {
                incidents.stream().filter(i -> i.kind().equals(kind)).forEach(out::add);
            }
            return out;
        }

        private static int onTime(UnitSpec u) {
            return Math.min(u.onTime(), u.tickets());
        }

        private static BigDecimal rate(int satisfied, int callbacks, int tickets) {
            int n = Math.min(callbacks, tickets);
            return Rates.pct(Math.min(satisfied, n), n);
        }
    }

    /** {@code total} split at random over {@code keys} (each key present, some with 0). */
    static Map<String, Long> split(Random r, long total, List<String> keys) {
        Map<String, Long> out = new LinkedHashMap<>();
        long left = total;
        for (int i = 0; i < keys.size(); i++) {
            long c = i == keys.size() - 1 ? left : (left == 0 ? 0 : (long) (r.nextDouble() * (left + 1)));
            out.put(keys.get(i), c);
            left -= c;
        }
        return out;
    }

    /** A random month: a few units of every group, figures over their whole ranges (zeros and 100 % included). */
    static Spec random(long seed) {
        Random r = new Random(seed);
        List<UnitSpec> units = new ArrayList<>();
        int count = 1 + r.nextInt(6);
        for (int i = 0; i < count; i++) {
            int tickets = r.nextInt(5) == 0 ? 0 : r.nextInt(40);
            int onTime = r.nextBoolean() ? tickets : r.nextInt(tickets + 1);
            int sys = r.nextInt(tickets + 1);
            int spot = r.nextInt(tickets + 1);
            units.add(new UnitSpec(
                    GROUPS.get(r.nextInt(GROUPS.size())),
                    tickets,
                    onTime,
                    r.nextInt(tickets + 1),
                    r.nextBoolean() ? tickets : r.nextInt(tickets + 1),
                    r.nextBoolean() ? sys : r.nextInt(sys + 1),
                    sys,
                    r.nextBoolean() ? spot : r.nextInt(spot + 1),
                    spot,
                    r.nextInt(4) == 0 ? r.nextInt(4) : 0));
        }
        int online = r.nextInt(4) == 0 ? 0 : r.nextInt(80);
        int onlineCallbacks = r.nextInt(online + 1);
        List<IncidentSpec> incidents = new ArrayList<>();
        String[] kinds = {"backlog", "returns", "bouncing_ticket", "emerging_hotspot"};
        for (String kind : kinds) {
            if (r.nextInt(3) == 0) {
                incidents.add(new IncidentSpec(
                        kind,
                        r.nextInt(count),
                        r.nextInt(count),
                        1 + r.nextInt(kind.equals("bouncing_ticket") ? 8 : 12)));
            }
        }
        YearMonth month = YearMonth.of(2020 + r.nextInt(10), 1 + r.nextInt(12));
        return new Spec(
                seed,
                month,
                units,
                online,
                r.nextInt(3) == 0 ? r.nextInt(online + 1) : 0,
                r.nextInt(3) == 0 ? r.nextInt(6) : 0,
                onlineCallbacks,
                r.nextInt(onlineCallbacks + 1),
                r.nextInt(4) == 0 ? 0 : r.nextInt(200),
                r.nextInt(4) == 0 ? 0 : r.nextInt(60),
                r.nextInt(5),
                r.nextBoolean(),
                r.nextInt(3) == 0 ? r.nextInt(8) : 0,
                incidents);
    }

    /**
     * Two consecutive months: {@code a}, and a random month after it that completes the tickets {@code a} leaves
     * open (when it has room for them; else {@code a} leaves none open).
     */
    static List<Profile> pair(Spec a) {
        Spec b = random(a.seed() * 31 + 17).withMonthAndOpen(a.month().plusMonths(1), 0);
        Spec first = a;
        for (int attempt = 0; attempt < 2; attempt++) {
            Profile pa = first.profile("month-a", 0);
            int open = Math.toIntExact(pa.dispatched() - pa.unitTickets());
            Profile pb = b.profile("month-b", open);
            if (pb.dispatched() == pb.unitTickets() - open) {
                return List.of(pa, pb);
            }
            first = a.withMonthAndOpen(a.month(), 0);
        }
        return List.of(first.profile("month-a", 0), b.profile("month-b", 0));
    }

    /** Smaller specs than {@code s}, one step each: a unit, an incident or part of a number taken away. */
    static List<Spec> smaller(Spec s) {
        List<Spec> out = new ArrayList<>();
        for (int i = 0; i < s.units().size() && s.units().size() > 1; i++) {
            List<UnitSpec> u = new ArrayList<>(s.units());
            u.remove(i);
            out.add(s.withUnits(u));
        }
        for (int i = 0; i < s.incidents().size(); i++) {
            List<IncidentSpec> inc = new ArrayList<>(s.incidents());
            inc.remove(i);
            out.add(s.withIncidents(inc));
        }
        for (int i = 0; i < s.units().size(); i++) {
            UnitSpec u = s.units().get(i);
            if (u.tickets() > 0) {
                int t = u.tickets() / 2;
                List<UnitSpec> us = new ArrayList<>(s.units());
                us.set(
                        i,
                        new UnitSpec(
                                u.group(),
                                t,
                                Math.min(u.onTime(), t),
                                Math.min(u.extensions(), t),
                                Math.min(u.contacted(), t),
                                Math.min(u.sysSatisfied(), Math.min(u.sys(), t)),
                                Math.min(u.sys(), t),
                                Math.min(u.spotSatisfied(), Math.min(u.spot(), t)),
                                Math.min(u.spot(), t),
                                u.rejects()));
                out.add(s.withUnits(us));
            }
            if (u.rejects() > 0) {
                List<UnitSpec> us = new ArrayList<>(s.units());
                us.set(
                        i,
                        new UnitSpec(
                                u.group(),
                                u.tickets(),
                                u.onTime(),
                                u.extensions(),
                                u.contacted(),
                                u.sysSatisfied(),
                                u.sys(),
                                u.spotSatisfied(),
                                u.spot(),
                                0));
                out.add(s.withUnits(us));
            }
        }
        if (s.online() > 0) {
            out.add(s.with(
                    u -> u,
                    s.online() / 2,
                    s.open(),
                    s.extraAnswered(),
                    s.abandoned(),
                    s.topCategories(),
                    s.incidents()));
        }
        if (s.open() > 0) {
            out.add(s.with(u -> u, s.online(), 0, s.extraAnswered(), s.abandoned(), s.topCategories(), s.incidents()));
        }
        if (s.extraAnswered() > 0 || s.abandoned() > 0) {
            out.add(s.with(
                    u -> u,
                    s.online(),
                    s.open(),
                    s.extraAnswered() / 2,
                    s.abandoned() / 2,
                    s.topCategories(),
                    s.incidents()));
        }
        if (s.topCategories() > 0) {
            out.add(s.with(
                    u -> u,
                    s.online(),
                    s.open(),
                    s.extraAnswered(),
                    s.abandoned(),
                    s.topCategories() - 1,
                    s.incidents()));
        }
        return out;
    }

    /** The smallest spec reached from a failing one by steps that keep it failing. */
    static Spec shrink(Spec failing, java.util.function.Predicate<Spec> fails) {
        Spec current = failing;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (Spec candidate : smaller(current)) {
                if (fails.test(candidate)) {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }
        return current;
    }
}
