package org.hotline.simulator;

import org.hotline.figures.Rates;
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

/**
 * Generates a month of call and ticket events from a {@link Profile}, seeded and deterministic, with
 * a daily and weekly rhythm, and calibrated exactly: the month's totals are the profile's counts
 * and its rates round to the profile's percentages. The incidents of the profile are generated
 * from its {@code incidents} list: {@code backlog}, {@code returns}, {@code bouncing_ticket} and
 * {@code emerging_hotspot}.
 */
public final class MonthSimulator {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** Callers' regions beyond those the profile names: the urban districts and parks. */
    static final List<String> URBAN_REGIONS = List.of("雨湖区", "岳塘区", "高新区", "经开区");
    static final List<String> CIVILISED_CITY = List.of("大气污染", "黑臭水体", "生活噪音", "占道经营", "违章建筑", "道路保洁",
            "停车管理", "电动车牌照", "交通信号灯");
    /** Categories beyond the published top ones, each drawing fewer tickets than the last of those. */
    static final List<String> OTHER_CATEGORIES = List.of("路灯", "房产交易", "供水", "供电", "燃气", "公交", "出租车",
            "道路维修", "拆迁安置", "住房保障", "公积金", "户籍管理", "出入境", "交通违法", "医疗服务", "药品安全", "食品安全",
            "价格监管", "市场秩序", "教育收费", "招生入学", "农业农村", "林业", "水利", "民政救助", "残疾人服务", "养老服务",
            "殡葬管理", "宗教事务", "税务", "工商登记", "企业服务", "环境卫生", "园林绿化", "物流快递", "网络通信", "广播电视",
            "旅游服务", "文化体育", "消防安全", "安全生产", "大气污染", "黑臭水体", "占道经营", "违章建筑", "道路保洁",
            "电动车牌照", "交通信号灯", "其他");

    private final Profile profile;
    private final Random random;
    private final long monthStart;
    private final long monthEnd;
    private final double[] hourWeights;
    private final double totalWeight;

    private final List<CallEvent> calls = new ArrayList<>();
    private final List<TicketEvent> tickets = new ArrayList<>();

    /** The generated month, every event in event-time order. */
    public record Month(Profile profile, List<CallEvent> calls, List<TicketEvent> tickets) {
        public int size() {
            return calls.size() + tickets.size();
        }

        /** The events from {@code fromMs} (inclusive) to {@code toMs} (exclusive), in their order. */
        public Month between(long fromMs, long toMs) {
            return new Month(profile, calls.stream().filter(e -> e.eventTimeMs() >= fromMs && e.eventTimeMs() < toMs).toList(),
                    tickets.stream().filter(e -> e.eventTimeMs() >= fromMs && e.eventTimeMs() < toMs).toList());
        }
    }

    public MonthSimulator(Profile profile, long seed) {
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
        calls.sort(Comparator.comparingLong(CallEvent::eventTimeMs).thenComparing(CallEvent::eventId));
        tickets.sort(Comparator.comparingLong(TicketEvent::eventTimeMs).thenComparing(e -> e.type().ordinal())
                .thenComparing(TicketEvent::eventId));
        return new Month(profile, List.copyOf(calls), List.copyOf(tickets));
    }

    // ---- calls ---------------------------------------------------------------------------------------

    /** Answered and abandoned calls per region; returns, per answered call, {end time, region index}. */
    private List<long[]> generateCalls() {
        long answered = profile.callsAnswered();
        long offered = Rates.denominator(answered, profile.connectionRatePct());
        Map<String, Long> byRegion = new LinkedHashMap<>(profile.callsByRegion());
        long rest = answered - byRegion.values().stream().mapToLong(Long::longValue).sum();
        if (rest < 0) {
            throw new IllegalArgumentException("calls by caller region add up to more than the calls answered");
        }
        List<String> urban = URBAN_REGIONS.stream().filter(r -> !byRegion.containsKey(r)).toList();
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
        calls.add(new CallEvent(id + "-offered", 1, CallEventType.OFFERED, offered, id, "12345", region, null, null, null));
        calls.add(new CallEvent(id + "-answered", 1, CallEventType.ANSWERED, answeredAt, id, "12345", region, agent, wait, null));
        calls.add(new CallEvent(id + "-ended", 1, CallEventType.ENDED, ended, id, "12345", region, agent, null, talk));
        return new long[] {ended, regionIndex, Long.parseLong(id.substring(id.lastIndexOf('C') + 1))};
    }

    private void abandonedCall(String id, String region) {
        long offered = Math.min(moment(), monthEnd - HOUR);
        int wait = 5 + (int) Math.min(900, Math.round(-Math.log(1 - random.nextDouble()) * 45));
        calls.add(new CallEvent(id + "-offered", 1, CallEventType.OFFERED, offered, id, "12345", region, null, null, null));
        calls.add(new CallEvent(id + "-abandoned", 1, CallEventType.ABANDONED, offered + wait * 1000L, id, "12345", region,
                null, wait, null));
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
        /** What special story it tells, if any: piled (backlog), returned, bouncing. */
        String story = "";
        int sysCallbacks;
        int sysSatisfied;
        int spotCallbacks;
        int spotSatisfied;
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
            throw new IllegalArgumentException(type.getSimpleName() + " counts add up to " + out.size() + ", not " + n);
        }
        Collections.shuffle(out, random);
        return out;
    }

    private void generateTickets(List<long[]> answeredCalls) {
        int n = Math.toIntExact(profile.ticketsValid());
        if (profile.resolvedOnline() + profile.dispatched() != n) {
            throw new IllegalArgumentException("resolved online + dispatched must equal the valid tickets");
        }
        long onTime = profile.units().stream().mapToLong(Profile.UnitFigures::onTime).sum();
        if (onTime != profile.completedOnTime()) {
            throw new IllegalArgumentException("units.csv on-time tickets add up to " + onTime + ", not the "
                    + profile.completedOnTime() + " completed on time");
        }
        if (profile.unitTickets() != profile.dispatched()) {
            throw new IllegalArgumentException("units.csv tickets add up to " + profile.unitTickets() + ", not the "
                    + profile.dispatched() + " dispatched");
        }
        List<Channel> channels = exactly(Channel.class, profile.byChannel(), n);
        List<RequestType> types = exactly(RequestType.class, profile.byRequestType(), n);
        List<String> categories = categories(n);
        long phone = channels.stream().filter(c -> c == Channel.PHONE).count();
        if (phone > answeredCalls.size()) {
            throw new IllegalArgumentException("more phone tickets than answered calls");
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
        chooseDispatched(all);
        for (Ticket t : all) {
            writeLife(t);
        }
    }

    /** The published top categories exactly; the rest spread over other categories, each below the last top one. */
    private List<String> categories(int n) {
        Map<String, Long> top = profile.hotspotCategories();
        long rest = n - top.values().stream().mapToLong(Long::longValue).sum();
        long floor = top.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        List<String> others = OTHER_CATEGORIES.stream().filter(c -> !top.containsKey(c)).toList();
        Map<Integer, Long> shares = spread(rest, others.size());
        if (shares.getOrDefault(0, 0L) >= floor) {
            throw new IllegalArgumentException("too few other categories to keep the published top categories on top");
        }
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
                    .filter(t -> !"civilised_city".equals(tag.getKey()) || CIVILISED_CITY.contains(t.category)).toList());
            Collections.shuffle(candidates, random);
            candidates.stream().limit(tag.getValue()).forEach(t -> t.tags.add(tag.getKey()));
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

    /** An emerging hotspot: a topic nobody asked about, then a wave of requests in the second half of the month. */
    private void emergingTopics(List<Ticket> all) {
        for (Profile.Incident incident : profile.incidents()) {
            if (!incident.kind().equals("emerging_hotspot")) {
                continue;
            }
            long waveStart = monthStart + (monthEnd - monthStart) / 2;
            List<Ticket> candidates = new ArrayList<>(all.stream()
                    .filter(t -> t.created >= waveStart && t.topic == null && t.category.equals("房产交易")).toList());
            if (candidates.size() < incident.number("count")) {
                candidates = new ArrayList<>(all.stream().filter(t -> t.created >= waveStart && t.topic == null).toList());
            }
            Collections.shuffle(candidates, random);
            candidates.stream().limit(incident.number("count")).forEach(t -> t.topic = incident.text("topic"));
        }
    }

    /** Which tickets go to which unit, and how each unit's tickets end (on time, extended, contacted, called back). */
    private void chooseDispatched(List<Ticket> all) {
        Map<String, Profile.UnitFigures> units = new LinkedHashMap<>();
        profile.units().forEach(u -> units.put(u.unit(), u));
        List<Ticket> pool = new ArrayList<>(all.stream()
                .filter(t -> t.requestType != RequestType.INVALID && t.created < monthEnd - 8 * HOUR).toList());
        Collections.shuffle(pool, random);
        Set<Ticket> taken = new HashSet<>();
        Map<String, List<Ticket>> byUnit = new LinkedHashMap<>();
        units.keySet().forEach(u -> byUnit.put(u, new ArrayList<>()));
        Map<String, Long> rejectBudget = new HashMap<>();
        units.values().forEach(u -> rejectBudget.put(u.unit(), u.rejects()));
        long early = monthStart + 10 * DAY;

        for (Profile.Incident incident : profile.incidents()) {
            switch (incident.kind()) {
                case "returns" -> {
                    List<String> to = incident.texts("redispatched_to");
                    int count = incident.number("count");
                    List<Ticket> picked = take(pool, taken, count,
                            t -> t.category.equals(incident.text("category")) && t.created < early);
                    int i = 0;
                    for (Ticket t : picked) {
                        t.story = "returned:" + unitOf(units, incident.text("unit"));
                        String target = receiver(units, byUnit, to, i++);
                        if (target == null) {
                            throw new IllegalArgumentException(String.format("the %d tickets returned by %s do not fit the "
                                    + "tickets published for %s", count, incident.text("unit"), String.join(", ", to)));
                        }
                        assign(t, target, byUnit);
                    }
                }
                case "bouncing_ticket" -> {
                    List<String> between = incident.texts("units").stream().map(u -> unitOf(units, u)).toList();
                    int dispatches = incident.number("dispatches");
                    Ticket t = take(pool, taken, 1, x -> x.created < early).get(0);
                    t.story = "bouncing:" + dispatches + ":" + String.join(",", between);
                    for (int d = 0; d < dispatches - 1; d++) {
                        String rejecting = between.get(d % between.size());
                        rejectBudget.merge(rejecting, -1L, Long::sum);
                    }
                    assign(t, between.get((dispatches - 1) % between.size()), byUnit);
                }
                case "backlog", "emerging_hotspot" -> { }
                default -> throw new IllegalArgumentException("unknown incident kind '" + incident.kind() + "'");
            }
        }
        for (Profile.Incident incident : profile.incidents()) {
            if (incident.kind().equals("backlog")) {
                String unit = unitOf(units, incident.text("unit"));
                List<Ticket> piled = take(pool, taken, incident.number("count"), t -> t.created < monthStart + 8 * DAY);
                piled.forEach(t -> {
                    t.story = "piled";
                    assign(t, unit, byUnit);
                });
            }
        }
        // Tickets that finish late need their due time well inside the month: they are taken from its first half.
        for (Profile.UnitFigures u : units.values()) {
            long piled = byUnit.get(u.unit()).stream().filter(t -> t.story.equals("piled")).count();
            long piledOnTime = Math.min(piled, Math.min(u.onTime(), u.extensions()));
            long late = (u.tickets() - u.onTime()) - (piled - piledOnTime);
            long missing = u.tickets() - byUnit.get(u.unit()).size();
            long lateFirst = Math.max(0, Math.min(late, missing));
            take(pool, taken, (int) lateFirst, t -> t.created < monthStart + (monthEnd - monthStart) / 2 - 2 * DAY)
                    .forEach(t -> {
                        t.story = "late";
                        assign(t, u.unit(), byUnit);
                    });
            take(pool, taken, (int) (u.tickets() - byUnit.get(u.unit()).size()), t -> true)
                    .forEach(t -> assign(t, u.unit(), byUnit));
        }
        for (Profile.UnitFigures u : units.values()) {
            flags(u, byUnit.get(u.unit()));
        }
        rejections(units, byUnit, rejectBudget);
        callbacks(all, units, byUnit);
    }

    private static String unitOf(Map<String, Profile.UnitFigures> units, String name) {
        if (!units.containsKey(name)) {
            throw new IllegalArgumentException("incident names unit '" + name + "', which is not in units.csv");
        }
        return name;
    }

    /**
     * The unit of {@code to}, taken in turn from {@code start}, that receives a returned ticket: the first with room
     * for an extended, on-time one, else the first with room for a ticket at all; null when none has room.
     */
    private static String receiver(Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit, List<String> to,
            int start) {
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

    private List<Ticket> take(List<Ticket> pool, Set<Ticket> taken, int count, java.util.function.Predicate<Ticket> fits) {
        List<Ticket> out = new ArrayList<>();
        for (Ticket t : pool) {
            if (out.size() == count) {
                break;
            }
            if (!taken.contains(t) && fits.test(t)) {
                out.add(t);
            }
        }
        if (out.size() < count) {
            throw new IllegalArgumentException("the profile asks for more tickets of a kind than the month has");
        }
        taken.addAll(out);
        return out;
    }

    /** Exactly the unit's on-time, extended and contacted counts, given what the incidents require of some tickets. */
    private void flags(Profile.UnitFigures u, List<Ticket> held) {
        if (held.size() != u.tickets()) {
            throw new IllegalStateException(u.unit() + " holds " + held.size() + " tickets, not " + u.tickets());
        }
        long onTime = u.onTime();
        long extended = u.extensions();
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
            } else {
                rest.add(t);
            }
        }
        // Piled-up tickets come in first: one on time must have been extended; late ones are late either way.
        rest.sort(Comparator.comparingInt(t -> t.story.equals("piled") ? 0 : t.story.equals("late") ? 1 : 2));
        List<Ticket> piled = rest.stream().filter(t -> t.story.equals("piled")).toList();
        List<Ticket> late = rest.stream().filter(t -> t.story.equals("late")).toList();
        List<Ticket> normal = rest.stream().filter(t -> t.story.isEmpty() || t.story.startsWith("bouncing")
                || t.story.startsWith("returned")).toList();
        if (onTime > rest.size() - late.size()) {
            throw new IllegalArgumentException(String.format("%s: %d of its %d tickets are published as completed on time, "
                    + "but the incidents and the late ones leave room for %d (a ticket completed after its due time is late)",
                    u.unit(), u.onTime(), u.tickets(), u.onTime() - onTime + rest.size() - late.size()));
        }
        if (extended > rest.size()) {
            throw new IllegalArgumentException(String.format("%s: %d extensions published, more than its %d tickets",
                    u.unit(), u.extensions(), u.tickets()));
        }
        // piled: the first ones on time and extended, then extended and late, then late
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
        List<Ticket> others = new ArrayList<>(normal);
        others.addAll(late);
        for (Ticket t : normal) {
            if (onTime > 0) {
                t.onTime = true;
                onTime--;
            }
        }
        if (onTime != 0) {
            throw new IllegalArgumentException(u.unit() + ": cannot place its on-time tickets");
        }
        Collections.shuffle(others, random);
        for (Ticket t : others) {
            if (extended > 0) {
                t.extended = true;
                extended--;
            }
        }
        if (extended != 0) {
            throw new IllegalArgumentException(u.unit() + ": cannot place its extended tickets");
        }
        List<Ticket> contact = new ArrayList<>(held);
        Collections.shuffle(contact, random);
        for (int i = 0; i < u.contacted(); i++) {
            contact.get(i).contacted = true;
        }
    }

    /** Each unit's published rejections: tickets it was given first and turned down, then re-dispatched. */
    private void rejections(Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit,
            Map<String, Long> budget) {
        List<Ticket> candidates = new ArrayList<>();
        byUnit.values().forEach(candidates::addAll);
        candidates.removeIf(t -> (!t.story.isEmpty() && !t.story.equals("late")) || t.created > monthEnd - 2 * DAY);
        Collections.shuffle(candidates, random);
        int next = 0;
        for (Map.Entry<String, Long> b : budget.entrySet()) {
            if (b.getValue() < 0) {
                throw new IllegalArgumentException(b.getKey() + ": the bouncing ticket needs more rejections than published");
            }
            for (long i = 0; i < b.getValue(); i++) {
                while (next < candidates.size() && (candidates.get(next).unit.equals(b.getKey())
                        || candidates.get(next).story.startsWith("rejected"))) {
                    next++;
                }
                if (next == candidates.size()) {
                    throw new IllegalArgumentException("not enough tickets to place " + b.getKey() + "'s rejections");
                }
                Ticket t = candidates.get(next++);
                t.story = "rejected:" + b.getKey() + (t.story.equals("late") ? ":late" : "");
            }
        }
    }

    /** Callbacks per unit (system and spot-check) at the published satisfaction, and on resolved-online tickets for the city's rate. */
    private void callbacks(List<Ticket> all, Map<String, Profile.UnitFigures> units, Map<String, List<Ticket>> byUnit) {
        long callbacks = 0;
        long satisfied = 0;
        for (Profile.UnitFigures u : units.values()) {
            List<Ticket> held = byUnit.get(u.unit());
            long[] sys = Rates.fraction(u.sysSatisfactionPct(), held.size());
            long[] spot = Rates.fraction(u.spotSatisfactionPct(), held.size());
            List<Ticket> order = new ArrayList<>(held);
            Collections.shuffle(order, random);
            for (int i = 0; i < sys[1]; i++) {
                order.get(i).sysCallbacks = 1;
                order.get(i).sysSatisfied = i < sys[0] ? 1 : 0;
            }
            Collections.shuffle(order, random);
            for (int i = 0; i < spot[1]; i++) {
                order.get(i).spotCallbacks = 1;
                order.get(i).spotSatisfied = i < spot[0] ? 1 : 0;
            }
            callbacks += sys[1] + spot[1];
            satisfied += sys[0] + spot[0];
        }
        List<Ticket> online = new ArrayList<>(all.stream().filter(t -> !t.dispatched).toList());
        Collections.shuffle(online, random);
        BigDecimal target = profile.callbackSatisfactionPct();
        for (long n = 0; n <= online.size(); n++) {
            long k = target.multiply(BigDecimal.valueOf(callbacks + n)).divide(Rates.HUNDRED, 0, java.math.RoundingMode.HALF_UP)
                    .longValue() - satisfied;
            if (k >= 0 && k <= n && Rates.matches(satisfied + k, callbacks + n, target) && n >= online.size() / 3) {
                for (int i = 0; i < n; i++) {
                    Ticket t = online.get(i);
                    boolean system = random.nextDouble() < 0.8;
                    t.sysCallbacks = system ? 1 : 0;
                    t.spotCallbacks = system ? 0 : 1;
                    boolean happy = i < k;
                    t.sysSatisfied = system && happy ? 1 : 0;
                    t.spotSatisfied = !system && happy ? 1 : 0;
                }
                return;
            }
        }
        throw new IllegalArgumentException("cannot reach the city's callback satisfaction of " + target + " %");
    }

    // ---- a ticket's life as events -------------------------------------------------------------------

    private int step;

    private TicketEvent event(Ticket t, TicketEventType type, long time, String unit, Long due, Long newDue,
            CallbackSource source, Boolean satisfied) {
        TicketEvent e = new TicketEvent(t.id + "-" + (++step), 1, type, time, t.id, null, null, null, null, null, null,
                new String[0], null, unit, due, newDue, null, source, satisfied);
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
        step = 0;
        tickets.add(new TicketEvent(t.id + "-" + (++step), 1, TicketEventType.CREATED, t.created, t.id, t.callId, t.channel,
                t.requestType, t.category, t.topic, t.region, t.tags.toArray(String[]::new), t.desk, null, null, null, null,
                null, null));
        if (!t.dispatched) {
            long resolved = Math.min(t.created + between(MINUTE, 20 * MINUTE), monthEnd - 2 * MINUTE);
            event(t, TicketEventType.RESOLVED_ONLINE, resolved, null, null, null, null, null);
            callbackEvents(t, resolved, resolved);
            return;
        }
        long d = t.created + between(5 * MINUTE, HOUR);
        long span = dueAfter(t.requestType);
        if (t.story.startsWith("returned")) {
            String zone = t.story.substring("returned:".length());
            long due0 = d + span;
            event(t, TicketEventType.DISPATCHED, d, zone, due0, null, null, null);
            if (t.extended) { // the zone kept extending it (the extension counts for the unit that completes it)
                long newDue = due0 + 3 * DAY;
                event(t, TicketEventType.EXTENSION_GRANTED, due0 - between(HOUR, DAY), zone, null, newDue, null, null);
                due0 = newDue;
            }
            long back = due0 + between(DAY, 2 * DAY); // left past its due time, then returned as not the zone's duty
            event(t, TicketEventType.RETURNED, back, zone, null, null, null, null);
            d = back + between(10 * MINUTE, 2 * HOUR);
            finish(t, d, Math.min(d + span, monthEnd - HOUR));
            return;
        }
        if (t.story.startsWith("bouncing")) {
            String[] parts = t.story.split(":");
            List<String> between = List.of(parts[2].split(","));
            int dispatches = Integer.parseInt(parts[1]);
            for (int i = 0; i < dispatches - 1; i++) {
                String unit = between.get(i % between.size());
                event(t, TicketEventType.DISPATCHED, d, unit, d + span, null, null, null);
                long rejected = d + between(2 * HOUR, 12 * HOUR);
                event(t, TicketEventType.REJECTED, rejected, unit, null, null, null, null);
                d = rejected + between(10 * MINUTE, HOUR);
            }
            finish(t, d, d + span);
            return;
        }
        if (t.story.startsWith("rejected")) {
            String rejecting = t.story.split(":")[1];
            event(t, TicketEventType.DISPATCHED, d, rejecting, d + span, null, null, null);
            long rejected = d + between(HOUR, 12 * HOUR);
            event(t, TicketEventType.REJECTED, rejected, rejecting, null, null, null, null);
            d = rejected + between(10 * MINUTE, HOUR);
        }
        finish(t, d, d + span);
    }

    /** The final unit's part: dispatched at {@code d} with {@code due}, then contact, extension, completion, callbacks. */
    private void finish(Ticket t, long d, long due) {
        event(t, TicketEventType.DISPATCHED, d, t.unit, due, null, null, null);
        long last = d;
        if (t.contacted) {
            last = d + between(10 * MINUTE, HOUR);
            event(t, TicketEventType.CONTACTED, last, t.unit, null, null, null, null);
        }
        boolean piled = t.story.equals("piled");
        if (t.extended && !t.story.startsWith("returned")) {
            long at = last + between(MINUTE, 30 * MINUTE);
            long newDue = piled && t.onTime ? monthEnd - HOUR : due + 3 * DAY;
            event(t, TicketEventType.EXTENSION_GRANTED, at, t.unit, null, newDue, null, null);
            due = newDue;
            last = at;
        }
        long completed;
        if (piled) {
            completed = between(Math.max(last, monthEnd - 5 * DAY), monthEnd - 2 * HOUR);
        } else if (t.onTime) {
            completed = between(last + 10 * MINUTE, Math.min(due, monthEnd - 30 * MINUTE));
        } else {
            completed = between(due + MINUTE, monthEnd - 30 * MINUTE);
        }
        if (t.onTime != (completed <= due) || completed <= last || completed >= monthEnd) {
            throw new IllegalStateException("ticket " + t.id + " (" + t.story + ", on time " + t.onTime + ", extended "
                    + t.extended + ", " + t.requestType + ", dispatched " + java.time.Instant.ofEpochMilli(d) + ", due "
                    + java.time.Instant.ofEpochMilli(due) + ") cannot be placed in the month as its figures require");
        }
        event(t, TicketEventType.COMPLETED, completed, t.unit, null, null, null, null);
        callbackEvents(t, d, completed);
    }

    /** Callbacks after {@code done}, within the month (or before it, when it is too close to the month's end). */
    private void callbackEvents(Ticket t, long from, long done) {
        List<Object[]> callbacks = new ArrayList<>();
        for (int i = 0; i < t.sysCallbacks; i++) {
            callbacks.add(new Object[] {CallbackSource.SYSTEM, t.sysSatisfied > 0});
        }
        for (int i = 0; i < t.spotCallbacks; i++) {
            callbacks.add(new Object[] {CallbackSource.SPOT_CHECK, t.spotSatisfied > 0});
        }
        for (Object[] c : callbacks) {
            long latest = Math.min(done + 2 * DAY, monthEnd - MINUTE);
            long at = latest > done + MINUTE ? between(done + MINUTE, latest) : between(from + 1, done);
            event(t, TicketEventType.CALLBACK, at, null, null, null, (CallbackSource) c[0], (Boolean) c[1]);
        }
    }
}
