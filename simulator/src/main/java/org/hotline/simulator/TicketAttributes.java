package org.hotline.simulator;

import static org.hotline.simulator.MonthClock.MINUTE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hotline.events.Channel;
import org.hotline.events.Desk;
import org.hotline.events.RequestType;
import org.hotline.events.Wire;

/**
 * The month's valid tickets before their lives: when each is created (a phone ticket minutes after the call
 * it came from), exactly the published channels, request types, top categories, tags and desks, and the
 * topics of emerging hotspots.
 */
final class TicketAttributes {

    static final List<String> CIVILISED_CITY =
            List.of("大气污染", "黑臭水体", "生活噪音", "占道经营", "违章建筑", "道路保洁", "停车管理", "电动车牌照", "交通信号灯");
    /** Categories beyond the published top ones, each drawing fewer tickets than the last of those. */
    static final List<String> OTHER_CATEGORIES = List.of(
            "路灯", "房产交易", "供水", "供电", "燃气", "公交", "出租车", "道路维修", "拆迁安置", "住房保障", "公积金", "户籍管理", "出入境", "交通违法", "医疗服务",
            "药品安全", "食品安全", "价格监管", "市场秩序", "教育收费", "招生入学", "农业农村", "林业", "水利", "民政救助", "残疾人服务", "养老服务", "殡葬管理", "宗教事务",
            "税务", "工商登记", "企业服务", "环境卫生", "园林绿化", "物流快递", "网络通信", "广播电视", "旅游服务", "文化体育", "消防安全", "安全生产", "大气污染",
            "黑臭水体", "占道经营", "违章建筑", "道路保洁", "电动车牌照", "交通信号灯", "其他");

    private final Profile profile;
    private final MonthClock clock;

    TicketAttributes(Profile profile, MonthClock clock) {
        this.profile = profile;
        this.clock = clock;
    }

    /**
     * The month's {@code n} valid tickets; {@code answeredCalls} as {@link CallGenerator#generate} gives them (the
     * phone tickets take theirs in a shuffled order), {@code regions} its callers' regions.
     */
    List<Ticket> create(int n, List<long[]> answeredCalls, List<String> regions) {
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
        Collections.shuffle(answeredCalls, clock.random);
        List<Ticket> all = new ArrayList<>();
        int phoneUsed = 0;
        for (int i = 0; i < n; i++) {
            Ticket t = new Ticket();
            t.id = String.format("%s-T%06d", profile.month(), i + 1);
            t.channel = channels.get(i);
            t.requestType = types.get(i);
            t.category = categories.get(i);
            if (t.channel == Channel.PHONE) {
                long[] call = answeredCalls.get(phoneUsed++);
                t.created = call[0] + clock.between(10_000, 5 * MINUTE);
                t.callId = CallGenerator.callId(profile, call[2]);
                t.region = regions.get((int) call[1]);
            } else {
                t.created = clock.moment();
                t.region = regions.get(clock.random.nextInt(regions.size()));
            }
            t.created = Math.min(t.created, clock.end - 10 * MINUTE);
            all.add(t);
        }
        tagAndDesks(all);
        emergingTopics(all);
        return all;
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
        Collections.shuffle(out, clock.random);
        return out;
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
        Map<Integer, Long> shares = Shares.spread(rest, others.size());
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
        Collections.shuffle(out, clock.random);
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
            Collections.shuffle(candidates, clock.random);
            candidates.stream().limit(tag.getValue()).forEach(t -> t.tags.add(tag.getKey()));
        }
        long desks =
                profile.desks().values().stream().mapToLong(Long::longValue).sum();
        if (desks > all.size()) {
            throw new IllegalArgumentException(
                    "the desks' tickets add up to " + desks + ", more than the " + all.size() + " valid tickets");
        }
        List<Ticket> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, clock.random);
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
        long waveStart = clock.start + (clock.end - clock.start) / 2;
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
            Collections.shuffle(free, clock.random);
            // housing in the wave first, then the rest of the wave, then the latest before it
            free.sort(Comparator.comparingInt(
                            (Ticket t) -> t.created >= waveStart ? (t.category.equals("房产交易") ? 0 : 1) : 2)
                    .thenComparing(t -> -t.created));
            free.stream().limit(count).forEach(t -> t.topic = incident.text("topic"));
        }
    }
}
