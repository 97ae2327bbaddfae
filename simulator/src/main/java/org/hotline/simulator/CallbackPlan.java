package org.hotline.simulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hotline.figures.Rates;

/**
 * Which tickets get callbacks, and which of those are satisfied: each unit's system and spot-check satisfaction
 * and the city's callback satisfaction exactly as published, at most one callback of each source per ticket.
 */
final class CallbackPlan {

    private final Profile profile;
    private final Random random;
    /** Per unit, the callbacks the month before left in this one: {sys satisfied, sys, spot satisfied, spot}. */
    private final Map<String, long[]> callbacksBefore;

    CallbackPlan(Profile profile, Random random, Map<String, long[]> callbacksBefore) {
        this.profile = profile;
        this.random = random;
        this.callbacksBefore = callbacksBefore;
    }

    /**
     * Callbacks per unit (system and spot-check) at the published satisfaction, with those the month before left in
     * this one, and on resolved-online tickets for the city's rate. Each unit starts with the fewest callbacks that
     * give its rates; when the city's rate cannot be reached from there, units take other numbers of callbacks at the
     * same rates until it can.
     */
    void place(List<Ticket> all, Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit) {
        for (String unit : callbacksBefore.keySet()) {
            if (!units.containsKey(unit)) {
                throw new IllegalStateException("callbacks left for " + unit + ", which is not in units.csv");
            }
        }
        List<Ticket> online =
                new ArrayList<>(all.stream().filter(t -> !t.dispatched).toList());
        Collections.shuffle(online, random);
        List<Profile.UnitFigures> list = new ArrayList<>(units.values());
        long[][] chosen = new long[2 * list.size()][]; // per unit: system, spot-check
        long satisfied = 0;
        long callbacks = 0;
        for (int i = 0; i < list.size(); i++) {
            Profile.UnitFigures u = list.get(i);
            long[] before = callbacksBefore.getOrDefault(u.unit(), new long[4]);
            long held = byUnit.get(u.unit()).size();
            chosen[2 * i] = own(u, "system", u.sysSatisfactionPct(), held, before[1]);
            chosen[2 * i + 1] = own(u, "spot-check", u.spotSatisfactionPct(), held, before[3]);
            satisfied += chosen[2 * i][0] + chosen[2 * i + 1][0] + before[0] + before[2];
            callbacks += chosen[2 * i][1] + chosen[2 * i + 1][1] + before[1] + before[3];
        }
        BigDecimal target = profile.callbackSatisfactionPct();
        long[] onOnline = onlineCallbacks(target, satisfied, callbacks, online.size());
        if (onOnline == null) { // other numbers of the units' callbacks, at their rates, moving the city's rate to its
            // figure
            List<List<long[]>> options = new ArrayList<>();
            for (int i = 0; i < chosen.length; i++) {
                Profile.UnitFigures u = list.get(i / 2);
                long[] before = callbacksBefore.getOrDefault(u.unit(), new long[4]);
                long held = byUnit.get(u.unit()).size();
                options.add(options(
                        i % 2 == 0 ? u.sysSatisfactionPct() : u.spotSatisfactionPct(),
                        held,
                        before[i % 2 == 0 ? 1 : 3]));
            }
            long beforeSatisfied = satisfied - sum(chosen, 0);
            long beforeCallbacks = callbacks - sum(chosen, 1);
            long[][] exact = exactCallbacks(options, beforeSatisfied, beforeCallbacks, target, online.size());
            if (exact != null) {
                chosen = exact;
                satisfied = beforeSatisfied + sum(chosen, 0);
                callbacks = beforeCallbacks + sum(chosen, 1);
                onOnline = onlineCallbacks(target, satisfied, callbacks, online.size());
            }
            // a month too large for the exact search: a random walk towards the rate
            double distance = distance(target, satisfied, callbacks, online.size());
            for (int step = 0; step < 50_000 && onOnline == null && !options.isEmpty(); step++) {
                int i = random.nextInt(chosen.length);
                List<long[]> o = options.get(i);
                long[] pick = o.get(random.nextInt(o.size()));
                long s2 = satisfied - chosen[i][0] + pick[0];
                long n2 = callbacks - chosen[i][1] + pick[1];
                double d2 = distance(target, s2, n2, online.size());
                if (d2 <= distance || random.nextInt(8) == 0) { // now and then a step away, out of a dead end
                    chosen[i] = pick;
                    satisfied = s2;
                    callbacks = n2;
                    distance = d2;
                    onOnline = d2 == 0 ? onlineCallbacks(target, satisfied, callbacks, online.size()) : null;
                }
            }
        }
        if (onOnline == null) {
            throw new IllegalArgumentException(String.format(
                    "the city's callback satisfaction of %s %% cannot be reached: the "
                            + "units' callbacks at their rates give %d satisfied of %d (after a search), and at most one callback on each of the "
                            + "%d tickets resolved online can be added",
                    target, satisfied, callbacks, online.size()));
        }
        for (int i = 0; i < list.size(); i++) {
            List<Ticket> order = new ArrayList<>(byUnit.get(list.get(i).unit()));
            long[] sys = chosen[2 * i];
            long[] spot = chosen[2 * i + 1];
            Collections.shuffle(order, random);
            for (int k = 0; k < sys[1]; k++) {
                order.get(k).sysCallbacks = 1;
                order.get(k).sysSatisfied = k < sys[0] ? 1 : 0;
            }
            Collections.shuffle(order, random);
            for (int k = 0; k < spot[1]; k++) {
                order.get(k).spotCallbacks = 1;
                order.get(k).spotSatisfied = k < spot[0] ? 1 : 0;
            }
        }
        for (int i = 0; i < onOnline[1]; i++) {
            Ticket t = online.get(i);
            boolean system = random.nextDouble() < 0.8;
            t.sysCallbacks = system ? 1 : 0;
            t.spotCallbacks = system ? 0 : 1;
            boolean happy = i < onOnline[0];
            t.sysSatisfied = system && happy ? 1 : 0;
            t.spotSatisfied = !system && happy ? 1 : 0;
        }
    }

    /**
     * Callbacks on tickets resolved online, {satisfied, callbacks}, that bring the city's rate to {@code target}: on about
     * a third of them or more if the rate allows, else as few as it takes; null when none do.
     */
    private static long[] onlineCallbacks(BigDecimal target, long satisfied, long callbacks, int online) {
        List<Long> tries = new ArrayList<>();
        for (long n = online / 3; n <= online; n++) {
            tries.add(n);
        }
        for (long n = online / 3 - 1; n >= 0; n--) {
            tries.add(n);
        }
        for (long n : tries) {
            for (long all : Rates.numerators(target, callbacks + n)) {
                long c = all - satisfied; // satisfied among the n new ones
                if (c >= 0 && c <= n) {
                    return new long[] {c, n};
                }
            }
        }
        return null;
    }

    private static long sum(long[][] chosen, int part) {
        long out = 0;
        for (long[] c : chosen) {
            out += c[part];
        }
        return out;
    }

    /**
     * Exactly, for a month whose callbacks number a few thousand at most: every total the units' options can make
     * (per total of callbacks, the set of satisfied ones), then one that the city's rate allows, traced back to an
     * option per unit and source. Null when there is none, or the month is too large for it.
     */
    private static long[][] exactCallbacks(
            List<List<long[]>> options, long beforeSatisfied, long beforeCallbacks, BigDecimal target, int online) {
        int most = 0;
        for (List<long[]> o : options) {
            most += (int) o.stream().mapToLong(x -> x[1]).max().orElse(0);
        }
        if (most > 3_000) {
            return null;
        }
        int words = most / 64 + 1;
        long[][][] reach = new long[options.size() + 1][most + 1][]; // [choices made][callbacks] -> satisfied (bits)
        reach[0][0] = new long[words];
        reach[0][0][0] = 1;
        for (int i = 0; i < options.size(); i++) {
            for (int n = 0; n <= most; n++) {
                if (reach[i][n] == null) {
                    continue;
                }
                for (long[] o : options.get(i)) {
                    int to = n + (int) o[1];
                    if (reach[i + 1][to] == null) {
                        reach[i + 1][to] = new long[words];
                    }
                    orShifted(reach[i + 1][to], reach[i][n], (int) o[0]);
                }
            }
        }
        int last = options.size();
        for (int n = 0; n <= most; n++) {
            if (reach[last][n] == null) {
                continue;
            }
            for (int k = 0; k <= n; k++) {
                if (bit(reach[last][n], k)
                        && distance(target, beforeSatisfied + k, beforeCallbacks + n, online) == 0
                        && onlineCallbacks(target, beforeSatisfied + k, beforeCallbacks + n, online) != null) {
                    long[][] chosen = new long[last][];
                    int sn = n;
                    int sk = k;
                    for (int i = last - 1; i >= 0; i--) {
                        for (long[] o : options.get(i)) {
                            int pn = sn - (int) o[1];
                            int pk = sk - (int) o[0];
                            if (pn >= 0 && pk >= 0 && reach[i][pn] != null && bit(reach[i][pn], pk)) {
                                chosen[i] = o;
                                sn = pn;
                                sk = pk;
                                break;
                            }
                        }
                    }
                    return chosen;
                }
            }
        }
        return null;
    }

    private static boolean bit(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << (i & 63))) != 0;
    }

    /** {@code to |= from << shift}, over bit sets of the same length. */
    private static void orShifted(long[] to, long[] from, int shift) {
        int words = shift >>> 6;
        int bits = shift & 63;
        for (int w = to.length - 1; w >= words; w--) {
            long v = from[w - words] << bits;
            if (bits != 0 && w - words - 1 >= 0) {
                v |= from[w - words - 1] >>> (64 - bits);
            }
            to[w] |= v;
        }
    }

    /** How far the rates reachable with online callbacks lie from those published as {@code target} (0: overlapping). */
    private static double distance(BigDecimal target, long satisfied, long callbacks, int online) {
        double low = (target.doubleValue() - 0.005) / 100;
        double high = (target.doubleValue() + 0.005) / 100;
        long n = callbacks + online;
        double lowest = n == 0 ? 0 : (double) satisfied / n;
        double highest = n == 0 ? 0 : (double) (satisfied + online) / n;
        return Math.max(0, Math.max(lowest - high, low - highest));
    }

    /** Every {satisfied, callbacks} of at most one callback on each of {@code tickets} that gives {@code pct}. */
    private static List<long[]> options(BigDecimal pct, long tickets, long before) {
        List<long[]> out = new ArrayList<>();
        if (tickets == 0 || (before > 0 && pct.signum() == 0)) {
            out.add(new long[] {0, 0});
            return out;
        }
        if (pct.signum() == 0 || before > 0) { // none of its own: those left from the month before give the rate
            out.add(new long[] {0, 0});
        }
        for (long n = 1; n <= tickets; n++) {
            for (long c : Rates.numerators(pct, n)) {
                out.add(new long[] {c, n});
            }
        }
        return out;
    }

    /**
     * A unit's own callbacks of one source, {satisfied, callbacks}, at most one per ticket it completed: the fewest that
     * give its published rate. With those the month before left (at the same rate), the total still gives it.
     */
    private static long[] own(Profile.UnitFigures u, String source, BigDecimal pct, long tickets, long before) {
        if (pct.signum() == 0 || (tickets == 0 && before > 0)) {
            return new long[] {0, 0};
        }
        try {
            return Rates.fraction(pct, tickets);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s: %s satisfaction %s %% cannot be made of at most one callback "
                                    + "on each of its %d tickets",
                            u.unit(), source, pct, tickets),
                    e);
        }
    }
}
