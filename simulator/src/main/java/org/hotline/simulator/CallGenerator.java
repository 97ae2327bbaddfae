package org.hotline.simulator;

import static org.hotline.simulator.MonthClock.HOUR;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.figures.Rates;

/** The month's calls: exactly the answered calls per caller region, and as many abandoned as the connection rate needs. */
final class CallGenerator {

    /** Callers' regions beyond those the profile names: the urban districts and parks. */
    static final List<String> URBAN_REGIONS = List.of("雨湖区", "岳塘区", "高新区", "经开区");

    private final Profile profile;
    private final MonthClock clock;
    private final List<CallEvent> calls;
    private List<String> regions;

    /** Appends the calls to {@code calls}. */
    CallGenerator(Profile profile, MonthClock clock, List<CallEvent> calls) {
        this.profile = profile;
        this.clock = clock;
        this.calls = calls;
    }

    /** The callers' regions, by the index {@link #generate} gives each answered call. */
    List<String> regions() {
        return regions;
    }

    /** Answered and abandoned calls per region; returns, per answered call, {end time, region index, number}. */
    List<long[]> generate() {
        long answered = profile.callsAnswered();
        long offered;
        try {
            offered = Rates.denominator(answered, profile.connectionRatePct());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "calls: " + answered + " answered cannot have a connection rate of " + profile.connectionRatePct()
                            + " %: no whole number of calls offered gives it",
                    e);
        }
        Map<String, Long> byRegion = new LinkedHashMap<>(profile.callsByRegion());
        long rest =
                answered - byRegion.values().stream().mapToLong(Long::longValue).sum();
        if (rest < 0) {
            throw new IllegalArgumentException("calls by caller region add up to more than the calls answered");
        }
        List<String> urban =
                URBAN_REGIONS.stream().filter(r -> !byRegion.containsKey(r)).toList();
        Shares.spread(rest, urban.size()).forEach((i, n) -> byRegion.merge(urban.get(i), n, Long::sum));
        regions = new ArrayList<>(byRegion.keySet());
        List<Long> abandonedPerRegion = Shares.proportional(offered - answered, new ArrayList<>(byRegion.values()));

        List<long[]> answeredCalls = new ArrayList<>();
        int n = 0;
        for (int r = 0; r < regions.size(); r++) {
            for (long i = 0; i < byRegion.get(regions.get(r)); i++) {
                answeredCalls.add(answeredCall(callId(profile, ++n), regions.get(r), r));
            }
            for (long i = 0; i < abandonedPerRegion.get(r); i++) {
                abandonedCall(callId(profile, ++n), regions.get(r));
            }
        }
        return answeredCalls;
    }

    /** The id of the month's {@code n}th call (a phone ticket names the call it came from). */
    static String callId(Profile profile, long n) {
        return String.format("%s-C%06d", profile.month(), n);
    }

    private long[] answeredCall(String id, String region, int regionIndex) {
        long offered = Math.min(clock.moment(), clock.end - 2 * HOUR);
        int wait = (int) Math.min(600, Math.round(-Math.log(1 - clock.random.nextDouble()) * 20));
        int talk = 20 + (int) Math.min(3000, Math.round(-Math.log(1 - clock.random.nextDouble()) * 180));
        String agent = "agent-" + (1 + clock.random.nextInt(60));
        long answeredAt = offered + wait * 1000L;
        long ended = answeredAt + talk * 1000L;
        calls.add(new CallEvent(
                id + "-offered", 1, CallEventType.OFFERED, offered, id, "12345", region, null, null, null));
        calls.add(new CallEvent(
                id + "-answered", 1, CallEventType.ANSWERED, answeredAt, id, "12345", region, agent, wait, null));
        calls.add(new CallEvent(id + "-ended", 1, CallEventType.ENDED, ended, id, "12345", region, agent, null, talk));
        return new long[] {ended, regionIndex, Long.parseLong(id.substring(id.lastIndexOf('C') + 1))};
    }

    private void abandonedCall(String id, String region) {
        long offered = Math.min(clock.moment(), clock.end - HOUR);
        int wait = 5 + (int) Math.min(900, Math.round(-Math.log(1 - clock.random.nextDouble()) * 45));
        calls.add(new CallEvent(
                id + "-offered", 1, CallEventType.OFFERED, offered, id, "12345", region, null, null, null));
        calls.add(new CallEvent(
                id + "-abandoned",
                1,
                CallEventType.ABANDONED,
                offered + wait * 1000L,
                id,
                "12345",
                region,
                null,
                wait,
                null));
    }
}
