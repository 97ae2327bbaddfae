package org.hotline.simulator;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.CallbackSource;
import org.hotline.events.Channel;
import org.hotline.events.Desk;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.events.Wire;
import org.hotline.figures.Rates;

/**
 * Generates a month of call and ticket events from a {@link Profile}, seeded and deterministic, with
 * a daily and weekly rhythm, and calibrated exactly: the month's totals are the profile's counts
 * and its rates round to the profile's percentages. The incidents of the profile are generated
 * from its {@code incidents} list: {@code backlog}, {@code returns}, {@code bouncing_ticket} and
 * {@code emerging_hotspot}. {@link #sequence} generates consecutive months whose tickets and callbacks
 * cross the months' ends, each month still calibrated to its own profile. What a profile must satisfy
 * is written in docs/design.md ("What makes a profile consistent"); a profile that does not is refused
 * with the unit, the figures and the rule.
 */
public final class MonthSimulator {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** Callers' regions beyond those the profile names: the urban districts and parks. */
    static final List<String> URBAN_REGIONS = List.of("雨湖区", "岳塘区", "高新区", "经开区");

    static final List<String> CIVILISED_CITY =
            List.of("大气污染", "黑臭水体", "生活噪音", "占道经营", "违章建筑", "道路保洁", "停车管理", "电动车牌照", "交通信号灯");
    /** Categories beyond the published top ones, each drawing fewer tickets than the last of those. */
    static final List<String> OTHER_CATEGORIES = List.of(
            "路灯", "房产交易", "供水", "供电", "燃气", "公交", "出租车", "道路维修", "拆迁安置", "住房保障", "公积金", "户籍管理", "出入境", "交通违法", "医疗服务",
            "药品安全", "食品安全", "价格监管", "市场秩序", "教育收费", "招生入学", "农业农村", "林业", "水利", "民政救助", "残疾人服务", "养老服务", "殡葬管理", "宗教事务",
            "税务", "工商登记", "企业服务", "环境卫生", "园林绿化", "物流快递", "网络通信", "广播电视", "旅游服务", "文化体育", "消防安全", "安全生产", "大气污染",
            "黑臭水体", "占道经营", "违章建筑", "道路保洁", "电动车牌照", "交通信号灯", "其他");

    private final Profile profile;
    private final Random random;
    private final long monthStart;
    private final long monthEnd;
    private final double[] hourWeights;
    private final double totalWeight;

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
        this.random = new Random(seed);
        ZonedDateTime start = profile.month().atDay(1).atStartOfDay(profile.zone());
        this.monthStart = start.toInstant().toEpochMilli();
        this.monthEnd = start.plusMonths(1).toInstant().toEpochMilli();
        int hours = (int) ((monthEnd - monthStart) / HOUR);
        this.hourWeights = new double[hours];
        double total = 0;
        for (int h = 0; h < hours; h++) {
            ZonedDateTime at = start.plusHours(h);
            hourWeights[h] = hourOfDayWeight(at.getHour()) * (isWeekend(at.getDayOfWeek()) ? 0.6 : 1.0);
            total += hourWeights[h];
        }
        this.totalWeight = total;
    }

    private static boolean isWeekend(DayOfWeek d) {
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    /** The hotline's day: quiet at night, busy in office hours, a dip at lunch. */
    private static double hourOfDayWeight(int hour) {
        if (hour < 7) {
            return 0.15;
        }
        if (hour < 8) {
            return 0.8;
        }
        if (hour < 12) {
            return 3.0;
        }
        if (hour < 14) {
            return 1.6;
        }
        if (hour < 18) {
            return 2.8;
        }
        if (hour < 22) {
            return 1.2;
        }
        return 0.4;
    }

    /** A moment of the month following the hotline's rhythm. */
    private long moment() {
        double x = random.nextDouble() * totalWeight;
        int h = 0;
        while (h < hourWeights.length - 1 && x >= hourWeights[h]) {
            x -= hourWeights[h];
            h++;
        }
        return monthStart + h * HOUR + (long) (random.nextDouble() * HOUR);
    }

    private long between(long from, long to) {
        if (to <= from) {
            return from;
        }
        return from + (long) (random.nextDouble() * (to - from));
    }

    public Month generate() {
        List<long[]> answered = generateCalls();
        generateTickets(answered);
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

    // ---- calls ---------------------------------------------------------------------------------------

    /** Answered and abandoned calls per region; returns, per answered call, {end time, region index}. */
    private List<long[]> generateCalls() {
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
        spread(rest, urban.size()).forEach((i, n) -> byRegion.merge(urban.get(i), n, Long::sum));
        List<String> regions = new ArrayList<>(byRegion.keySet());
        List<Long> abandonedPerRegion = proportional(offered - answered, new ArrayList<>(byRegion.values()));
        regionsByIndex = regions;

        List<long[]> answeredCalls = new ArrayList<>();
        int n = 0;
        for (int r = 0; r < regions.size(); r++) {
            for (long i = 0; i < byRegion.get(regions.get(r)); i++) {
                answeredCalls.add(answeredCall(String.format("%s-C%06d", prefix(), ++n), regions.get(r), r));
            }
            for (long i = 0; i < abandonedPerRegion.get(r); i++) {
                abandonedCall(String.format("%s-C%06d", prefix(), ++n), regions.get(r));
            }
        }
        return answeredCalls;
    }

    private List<String> regionsByIndex;

    private String prefix() {
        return profile.month().toString();
    }

    private long[] answeredCall(String id, String region, int regionIndex) {
        long offered = Math.min(moment(), monthEnd - 2 * HOUR);
        int wait = (int) Math.min(600, Math.round(-Math.log(1 - random.nextDouble()) * 20));
        int talk = 20 + (int) Math.min(3000, Math.round(-Math.log(1 - random.nextDouble()) * 180));
        String agent = "agent-" + (1 + random.nextInt(60));
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
        long offered = Math.min(moment(), monthEnd - HOUR);
        int wait = 5 + (int) Math.min(900, Math.round(-Math.log(1 - random.nextDouble()) * 45));
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

    /** {@code total} split into {@code parts} nearly equal whole numbers. */
    private static Map<Integer, Long> spread(long total, int parts) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i = 0; i < parts; i++) {
            out.put(i, total / parts + (i < total % parts ? 1 : 0));
        }
        return out;
    }

    /** {@code total} split in proportion to {@code weights}, exactly (largest remainders). */
    private static List<Long> proportional(long total, List<Long> weights) {
        long sum = weights.stream().mapToLong(Long::longValue).sum();
        List<Long> out = new ArrayList<>();
        List<double[]> remainders = new ArrayList<>();
        long given = 0;
        for (int i = 0; i < weights.size(); i++) {
            double exact = sum == 0 ? 0 : (double) total * weights.get(i) / sum;
            out.add((long) Math.floor(exact));
            given += (long) Math.floor(exact);
            remainders.add(new double[] {exact - Math.floor(exact), i});
        }
        remainders.sort((a, b) -> Double.compare(b[0], a[0]));
        for (int i = 0; i < total - given; i++) {
            int idx = (int) remainders.get(i % remainders.size())[1];
            out.set(idx, out.get(idx) + 1);
        }
        return out;
    }

    // ---- tickets -------------------------------------------------------------------------------------

    /** A ticket being built: its attributes, then its life. */
    private static final class Ticket {
        String id;
        long created;
        String callId;
        String region;
        Channel channel;
        RequestType requestType;
        String category;
        String topic;
        List<String> tags = new ArrayList<>();
        Desk desk;
        boolean dispatched;
        String unit;
        boolean onTime;
        boolean extended;
        boolean contacted;
        /** What special story it tells, if any: piled (backlog), late, returned, bouncing, rejected, open, carried. */
        String story = "";

        int sysCallbacks;
        int sysSatisfied;
        int spotCallbacks;
        int spotSatisfied;
        /** Events written so far (its events' ids count on), when it was dispatched (open, carried) and completed. */
        int steps;

        long dispatchedAt;
        long completedAt;
        /** A piled-up ticket is completed only after all of its unit's piled-up tickets were dispatched. */
        long notBefore;
    }

    private <T extends Enum<T> & Wire> List<T> exactly(Class<T> type, Map<String, Long> counts, int n) {
        List<T> out = new ArrayList<>();
        counts.forEach((k, v) -> {
            T value = Wire.parse(type, k);
            if (value == null) {
                throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + k + "' in the profile");
            }
            for (long i = 0; i < v; i++) {
                out.add(value);
            }
        });
        if (out.size() != n) {
            throw new IllegalArgumentException(
                    type.getSimpleName() + " counts add up to " + out.size() + ", not the " + n + " valid tickets");
        }
        Collections.shuffle(out, random);
        return out;
    }

    private void generateTickets(List<long[]> answeredCalls) {
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
        List<Channel> channels = exactly(Channel.class, profile.byChannel(), n);
        List<RequestType> types = exactly(RequestType.class, profile.byRequestType(), n);
        long invalid = types.stream().filter(t -> t == RequestType.INVALID).count();
        if (invalid > profile.resolvedOnline()) {
            throw new IllegalArgumentException(String.format(
                    "%d invalid tickets, but only %d resolved online: an invalid " + "request is never dispatched",
                    invalid, profile.resolvedOnline()));
        }
        List<String> categories = categories(n);
        long phone = channels.stream().filter(c -> c == Channel.PHONE).count();
        if (phone > answeredCalls.size()) {
            throw new IllegalArgumentException(
                    String.format("%d phone tickets, more than the %d answered calls", phone, answeredCalls.size()));
        }
        Collections.shuffle(answeredCalls, random);
        List<Ticket> all = new ArrayList<>();
        int phoneUsed = 0;
        for (int i = 0; i < n; i++) {
            Ticket t = new Ticket();
            t.id = String.format("%s-T%06d", prefix(), i + 1);
            t.channel = channels.get(i);
            t.requestType = types.get(i);
            t.category = categories.get(i);
            if (t.channel == Channel.PHONE) {
                long[] call = answeredCalls.get(phoneUsed++);
                t.created = call[0] + between(10_000, 5 * MINUTE);
                t.callId = String.format("%s-C%06d", prefix(), call[2]);
                t.region = regionsByIndex.get((int) call[1]);
            } else {
                t.created = moment();
                t.region = regionsByIndex.get(random.nextInt(regionsByIndex.size()));
            }
            t.created = Math.min(t.created, monthEnd - 10 * MINUTE);
            all.add(t);
        }
        tagAndDesks(all);
        emergingTopics(all);
        chooseDispatched(all, open);
        for (Ticket t : carryIn.open()) {
            writeLife(t);
        }
        for (Ticket t : all) {
            writeLife(t);
        }
        if (next != null) {
            spillCallbacks();
        }
    }

    /** The published top categories exactly; the rest spread over other categories, each below the last top one. */
    private List<String> categories(int n) {
        Map<String, Long> top = profile.hotspotCategories();
        long rest = n - top.values().stream().mapToLong(Long::longValue).sum();
        if (rest < 0) {
            throw new IllegalArgumentException("the top categories add up to more than the " + n + " valid tickets");
        }
        long floor = top.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        List<String> others = new ArrayList<>(
                OTHER_CATEGORIES.stream().filter(c -> !top.containsKey(c)).toList());
        if (rest > 0 && floor <= 1) {
            throw new IllegalArgumentException(String.format(
                    "%d tickets are outside the published top categories, but the "
                            + "smallest of those has %d: every other category must have fewer",
                    rest, floor));
        }
        // as many other categories as it takes to keep each below the smallest top one
        long needed = rest == 0 || floor == Long.MAX_VALUE ? others.size() : (rest + floor - 2) / (floor - 1);
        for (int i = 1; others.size() < needed; i++) {
            others.add("其他" + i);
        }
        Map<Integer, Long> shares = spread(rest, others.size());
        List<String> out = new ArrayList<>();
        top.forEach((c, v) -> {
            for (long i = 0; i < v; i++) {
                out.add(c);
            }
        });
        shares.forEach((i, v) -> {
            for (long j = 0; j < v; j++) {
                out.add(others.get(i));
            }
        });
        Collections.shuffle(out, random);
        return out;
    }

    private void tagAndDesks(List<Ticket> all) {
        for (Map.Entry<String, Long> tag : profile.tags().entrySet()) {
            List<Ticket> candidates = new ArrayList<>(all.stream()
                    .filter(t -> !"civilised_city".equals(tag.getKey()) || CIVILISED_CITY.contains(t.category))
                    .toList());
            if (candidates.size() < tag.getValue()) {
                throw new IllegalArgumentException(String.format(
                        "tag %s: %d tickets published, but only %d tickets are in " + "its categories",
                        tag.getKey(), tag.getValue(), candidates.size()));
            }
            Collections.shuffle(candidates, random);
            candidates.stream().limit(tag.getValue()).forEach(t -> t.tags.add(tag.getKey()));
        }
        long desks =
                profile.desks().values().stream().mapToLong(Long::longValue).sum();
        if (desks > all.size()) {
            throw new IllegalArgumentException(
                    "the desks' tickets add up to " + desks + ", more than the " + all.size() + " valid tickets");
        }
        List<Ticket> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, random);
        int next = 0;
        for (Map.Entry<String, Long> desk : profile.desks().entrySet()) {
            Desk d = Wire.parse(Desk.class, desk.getKey());
            for (long i = 0; i < desk.getValue(); i++) {
                shuffled.get(next++).desk = d;
            }
        }
    }

    /**
     * An emerging hotspot: a topic nobody asked about, then a wave of requests in the second half of the month
     * (about housing when it can), or in its last tickets when the second half holds too few.
     */
    private void emergingTopics(List<Ticket> all) {
        long waveStart = monthStart + (monthEnd - monthStart) / 2;
        for (Profile.Incident incident : profile.incidents()) {
            if (!incident.kind().equals("emerging_hotspot")) {
                continue;
            }
            int count = incident.number("count");
            List<Ticket> free =
                    new ArrayList<>(all.stream().filter(t -> t.topic == null).toList());
            if (free.size() < count) {
                throw new IllegalArgumentException(String.format(
                        "emerging hotspot '%s': %d requests, but only %d tickets " + "have no topic yet",
                        incident.text("topic"), count, free.size()));
            }
            Collections.shuffle(free, random);
            // housing in the wave first, then the rest of the wave, then the latest before it
            free.sort(Comparator.comparingInt(
                            (Ticket t) -> t.created >= waveStart ? (t.category.equals("房产交易") ? 0 : 1) : 2)
                    .thenComparing(t -> -t.created));
            free.stream().limit(count).forEach(t -> t.topic = incident.text("topic"));
        }
    }

    /** Which tickets go to which unit, and how each unit's tickets end (on time, extended, contacted, called back). */
    private void chooseDispatched(List<Ticket> all, long open) {
        Map<String, Profile.UnitFigures> units = new LinkedHashMap<>();
        profile.units().forEach(u -> units.put(u.unit(), u));
        List<Ticket> pool = new ArrayList<>(
                all.stream().filter(t -> t.requestType != RequestType.INVALID).toList());
        Collections.shuffle(pool, random);
        // tickets created in the month's last hours have the least time for a life: they are taken last
        pool.sort(Comparator.comparing(t -> t.created >= monthEnd - 8 * HOUR));
        Set<Ticket> taken = new HashSet<>();
        Map<String, List<Ticket>> byUnit = new LinkedHashMap<>();
        units.keySet().forEach(u -> byUnit.put(u, new ArrayList<>()));
        Map<String, Long> rejectBudget = new LinkedHashMap<>();
        units.values().forEach(u -> rejectBudget.put(u.unit(), u.rejects()));
        long early = monthStart + 10 * DAY;

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
                        t -> t.created < monthStart + 8 * DAY,
                        "the backlog of " + u.unit());
                long allIn = piled.stream().mapToLong(t -> t.created).max().orElse(monthStart) + HOUR;
                piled.forEach(t -> {
                    t.story = "piled";
                    t.notBefore = allIn;
                    assign(t, u.unit(), byUnit);
                });
            }
        }
        // Tickets still open from the month before are completed by the units with the most room.
        for (Ticket t : carryIn.open()) {
            String unit = units.values().stream()
                    .max(Comparator.comparingLong(
                            u -> u.tickets() - byUnit.get(u.unit()).size()))
                    .map(Profile.UnitFigures::unit)
                    .orElse(null);
            if (unit == null || byUnit.get(unit).size() >= units.get(unit).tickets()) {
                throw new IllegalArgumentException(String.format(
                        "the %d tickets still open at the end of the month before "
                                + "do not fit the tickets published for the units",
                        carryIn.open().size()));
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
                t -> t.created >= monthEnd - 2 * DAY,
                open + " tickets dispatched and still open at the month's end");
        left.sort(Comparator.comparingLong(t -> t.created));
        List<String> names = new ArrayList<>(units.keySet());
        if (next == null && names.isEmpty() && open > 0) {
            throw new IllegalArgumentException(
                    open + " tickets dispatched, but units.csv names no unit to dispatch them to");
        }
        for (int i = 0; i < left.size(); i++) {
            Ticket t = left.get(i);
            t.dispatched = true;
            t.story = "open";
            t.dispatchedAt = dispatchAfter(t.created);
            t.unit = next != null ? null : names.get(i % names.size());
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
                            t -> t.created < monthStart + (monthEnd - monthStart) / 2 - 2 * DAY,
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
        callbacks(all, units, byUnit);
        carryOut = new Carry(next == null ? List.of() : left, new HashMap<>());
        this.byUnit = byUnit;
    }

    private Map<String, List<Ticket>> byUnit;

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
            java.util.function.Predicate<Ticket> fits,
            java.util.function.Predicate<Ticket> prefer,
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
        Collections.shuffle(others, random);
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
        Collections.shuffle(contact, random);
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
            Collections.shuffle(f, random);
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

    /**
     * Callbacks per unit (system and spot-check) at the published satisfaction, with those the month before left in
     * this one, and on resolved-online tickets for the city's rate. Each unit starts with the fewest callbacks that
     * give its rates; when the city's rate cannot be reached from there, units take other numbers of callbacks at the
     * same rates until it can.
     */
    private void callbacks(List<Ticket> all, Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit) {
        for (String unit : carryIn.callbacks().keySet()) {
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
            long[] before = carryIn.callbacks().getOrDefault(u.unit(), new long[4]);
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
                long[] before = carryIn.callbacks().getOrDefault(u.unit(), new long[4]);
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

    /**
     * Callbacks in the next month on this month's last completed tickets, for the units the next month publishes a
     * rate for: per unit and source the fewest that give the next month's rate, so that its own callbacks still give it.
     */
    private void spillCallbacks() {
        Map<String, Profile.UnitFigures> after = new HashMap<>();
        next.units().forEach(u -> after.put(u.unit(), u));
        for (Map.Entry<String, List<Ticket>> e : byUnit.entrySet()) {
            Profile.UnitFigures u = after.get(e.getKey());
            if (u == null) {
                continue;
            }
            long[] spilled = new long[4];
            for (boolean system : new boolean[] {true, false}) {
                BigDecimal pct = system ? u.sysSatisfactionPct() : u.spotSatisfactionPct();
                List<Ticket> last = e.getValue().stream()
                        .filter(t ->
                                t.completedAt >= monthEnd - 2 * DAY && (system ? t.sysCallbacks : t.spotCallbacks) == 0)
                        .toList();
                if (pct.signum() == 0 || last.isEmpty()) {
                    continue;
                }
                long[] f;
                try {
                    f = Rates.fraction(pct, last.size());
                } catch (IllegalArgumentException tooFew) {
                    continue;
                }
                for (int i = 0; i < f[1]; i++) {
                    Ticket t = last.get(i);
                    long at = between(monthEnd + MINUTE, Math.max(monthEnd + 2 * MINUTE, t.completedAt + 2 * DAY));
                    event(
                            t,
                            TicketEventType.CALLBACK,
                            at,
                            null,
                            null,
                            null,
                            system ? CallbackSource.SYSTEM : CallbackSource.SPOT_CHECK,
                            i < f[0]);
                }
                spilled[system ? 0 : 2] = f[0];
                spilled[system ? 1 : 3] = f[1];
            }
            if (spilled[1] + spilled[3] > 0) {
                carryOut.callbacks().put(e.getKey(), spilled);
            }
        }
    }

    // ---- a ticket's life as events -------------------------------------------------------------------

    private TicketEvent event(
            Ticket t,
            TicketEventType type,
            long time,
            String unit,
            Long due,
            Long newDue,
            CallbackSource source,
            Boolean satisfied) {
        TicketEvent e = new TicketEvent(
                t.id + "-" + (++t.steps),
                1,
                type,
                time,
                t.id,
                null,
                null,
                null,
                null,
                null,
                null,
                new String[0],
                null,
                unit,
                due,
                newDue,
                null,
                source,
                satisfied);
        tickets.add(e);
        return e;
    }

    private static long dueAfter(RequestType type) {
        return switch (type) {
            case CONSULTATION -> 3 * DAY;
            case SUGGESTION -> 10 * DAY;
            case INVALID -> DAY;
            default -> 5 * DAY;
        };
    }

    private void writeLife(Ticket t) {
        long span = dueAfter(t.requestType);
        if (t.story.equals(
                "carried")) { // created and dispatched in the month before: its due time reaches into this one
            finish(t, t.dispatchedAt, Math.max(t.dispatchedAt + span, monthStart + DAY));
            return;
        }
        t.steps = 0;
        tickets.add(new TicketEvent(
                t.id + "-" + (++t.steps),
                1,
                TicketEventType.CREATED,
                t.created,
                t.id,
                t.callId,
                t.channel,
                t.requestType,
                t.category,
                t.topic,
                t.region,
                t.tags.toArray(String[]::new),
                t.desk,
                null,
                null,
                null,
                null,
                null,
                null));
        if (!t.dispatched) {
            long resolved = t.created
                    + between(
                            Math.min(MINUTE, (monthEnd - t.created) / 8),
                            Math.min(20 * MINUTE, (monthEnd - t.created) / 4));
            event(t, TicketEventType.RESOLVED_ONLINE, resolved, null, null, null, null, null);
            callbackEvents(t, resolved);
            return;
        }
        if (t.story.equals("open")) { // the next month completes it (and writes the rest), or it stays open
            if (t.unit != null) {
                event(t, TicketEventType.DISPATCHED, t.dispatchedAt, t.unit, t.dispatchedAt + span, null, null, null);
            }
            return;
        }
        long d = dispatchAfter(t.created);
        // the usual pace of a hand-over, shorter for tickets created near the month's end
        long gap = Math.min(12 * HOUR, (monthEnd - d) / 16);
        if (t.story.startsWith("returned")) {
            String zone = t.story.substring("returned:".length());
            long due0 = d + span;
            // left past its due time (the zone kept extending it), then returned: when the month has room for that
            boolean slow = due0 + 3 * DAY + 2 * DAY + span < monthEnd;
            event(t, TicketEventType.DISPATCHED, d, zone, due0, null, null, null);
            if (t.extended) { // the zone extended it (the extension counts for the unit that completes it)
                long newDue = due0 + 3 * DAY;
                event(
                        t,
                        TicketEventType.EXTENSION_GRANTED,
                        slow ? due0 - between(HOUR, DAY) : d + between(MINUTE, gap),
                        zone,
                        null,
                        newDue,
                        null,
                        null);
                due0 = newDue;
            }
            long back = slow ? due0 + between(DAY, 2 * DAY) : d + between(gap, 2 * gap);
            event(t, TicketEventType.RETURNED, back, zone, null, null, null, null);
            d = back + between(MINUTE, gap);
            finish(t, d, d + span);
            return;
        }
        if (t.story.startsWith("bouncing")) {
            String[] parts = t.story.split(":");
            List<String> between = List.of(parts[2].split(","));
            int dispatches = Integer.parseInt(parts[1]);
            long bounce = Math.min(12 * HOUR, (monthEnd - d) / (4L * dispatches));
            for (int i = 0; i < dispatches - 1; i++) {
                String unit = between.get(i % between.size());
                event(t, TicketEventType.DISPATCHED, d, unit, d + span, null, null, null);
                long rejected = d + between(bounce / 6, bounce);
                event(t, TicketEventType.REJECTED, rejected, unit, null, null, null, null);
                d = rejected + between(bounce / 12, bounce / 6);
            }
            finish(t, d, d + span);
            return;
        }
        if (t.story.startsWith("rejected")) {
            String rejecting = t.story.split(":")[1];
            event(t, TicketEventType.DISPATCHED, d, rejecting, d + span, null, null, null);
            long rejected = d + between(gap / 12, gap);
            event(t, TicketEventType.REJECTED, rejected, rejecting, null, null, null, null);
            d = rejected + between(gap / 12, gap / 6);
        }
        finish(t, d, d + span);
    }

    /**
     * The final unit's part: dispatched at {@code d} with {@code due}, then contact, extension, completion (in this
     * month) and callbacks. A late ticket needs its due time before the completion: when the usual one falls too near
     * the month's end, it is given a shorter one.
     */
    private void finish(Ticket t, long d, long due) {
        long from = Math.max(d, monthStart);
        long end = monthEnd - Math.min(30 * MINUTE, (monthEnd - from) / 4);
        long step = Math.min(HOUR, (end - from) / 12);
        boolean piled = t.story.equals("piled");
        boolean extendsHere = t.extended && !t.story.startsWith("returned");
        if (!t.onTime && due > end - 6 * step) {
            due = Math.max(from, d + 2 * step) + 2 * step;
        }
        event(t, TicketEventType.DISPATCHED, d, t.unit, due, null, null, null);
        long last = d;
        if (t.contacted) {
            last = d + between(step / 6, step);
            event(t, TicketEventType.CONTACTED, last, t.unit, null, null, null, null);
        }
        if (extendsHere) { // asked before the due time in force
            long at = between(last + 1, Math.min(due, last + step));
            long newDue = piled && t.onTime
                    ? monthEnd - HOUR
                    : t.onTime ? due + 3 * DAY : due + Math.min(3 * DAY, (end - due) / 2);
            event(t, TicketEventType.EXTENSION_GRANTED, at, t.unit, null, newDue, null, null);
            due = newDue;
            last = at;
        }
        long earliest = Math.max(Math.max(last, monthStart), piled ? Math.max(t.notBefore, monthEnd - 5 * DAY) : 0)
                + Math.min(MINUTE, step / 6);
        long completed;
        if (t.onTime) {
            completed = between(earliest, Math.min(due, end));
        } else {
            completed = between(Math.max(earliest, due + Math.min(MINUTE, step / 6)), end);
        }
        if (t.onTime != (completed <= due) || completed <= last || completed < monthStart || completed >= monthEnd) {
            throw new IllegalStateException("ticket " + t.id + " (" + t.story + ", on time " + t.onTime + ", extended "
                    + t.extended + ", " + t.requestType + ", dispatched " + java.time.Instant.ofEpochMilli(d) + ", due "
                    + java.time.Instant.ofEpochMilli(due) + ") cannot be placed in the month as its figures require");
        }
        event(t, TicketEventType.COMPLETED, completed, t.unit, null, null, null, null);
        t.completedAt = completed;
        callbackEvents(t, completed);
    }

    private void callbackEvents(Ticket t, long done) {
        for (int i = 0; i < t.sysCallbacks; i++) {
            callbackEvent(t, CallbackSource.SYSTEM, t.sysSatisfied > 0, done);
        }
        for (int i = 0; i < t.spotCallbacks; i++) {
            callbackEvent(t, CallbackSource.SPOT_CHECK, t.spotSatisfied > 0, done);
        }
    }

    /** A callback after the ticket is done, within the month (within two days when the month has them). */
    private void callbackEvent(Ticket t, CallbackSource source, boolean satisfied, long done) {
        long at = between(done + 1 + Math.min(MINUTE, (monthEnd - done) / 4), Math.min(done + 2 * DAY, monthEnd - 1));
        event(t, TicketEventType.CALLBACK, at, null, null, null, source, satisfied);
    }

    /** When a ticket created at {@code created} is dispatched: within the hour, sooner near the month's end. */
    private long dispatchAfter(long created) {
        long room = monthEnd - created;
        return created + between(Math.min(5 * MINUTE, room / 16), Math.min(HOUR, room / 8));
    }
}
