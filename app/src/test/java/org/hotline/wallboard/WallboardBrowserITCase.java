package org.hotline.wallboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.OfficeInputs;
import org.hotline.simulator.KafkaPlayback;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wallboard in headless Chromium while a simulated month plays live through Kafka, the job on a
 * MiniCluster and ClickHouse: the page updates by itself as events arrive, shows exactly the calls of
 * the input and what ClickHouse holds for tickets, backlog, hotspots and alerts, shows an alert when
 * one fires, shows a unit name made of HTML as text, and says so when the figures stop changing.
 */
@ExtendWith(SharedServices.class)
class WallboardBrowserITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final String HTML_NAME =
            "<img src=x onerror=\"document.title='injected'\"><b>雨湖</b> & <script>window.injected=1</script>";
    static final Duration STALE_AFTER = Duration.ofSeconds(6);
    static final Path WORK = Path.of("target", "wallboard-browser");

    private HotlineConfig config;
    private ClickHouseSql ch;

    @Test
    void showsWhatClickHouseHoldsWhileTrafficArrives() throws Exception {
        config = SharedServices.config("wallboard");
        String db = config.clickhouse.database;
        JobLauncher.migrate(config.clickhouse, s -> {});
        Profile profile = Profile.load(Path.of(WallboardBrowserITCase.class
                        .getResource("/profiles/small-2024-03/month.json")
                        .toURI())
                .getParent()
                .toString());
        MonthSimulator.Month month = new MonthSimulator(profile, 2023).generate();
        ZonedDateTime start = profile.month().atDay(1).atStartOfDay(profile.zone());
        // Three days; then the fourth until a caller who waited 22 minutes hangs up (a long-wait alert);
        // then the rest of that day, in which waits are short again (the alert resolves).
        MonthSimulator.Month firstDays = slice(month, start, start.plusDays(3), null);
        ZonedDateTime offered = start.plusDays(3).plusHours(10);
        List<CallEvent> longWait = longWaitCall(offered.toInstant().toEpochMilli());
        // Alerts are judged on complete minutes: a call on each partition 100 s after the hang-up carries the
        // watermark past the long wait's minute (and not past its own, so the alert is still in force).
        ZonedDateTime ticking =
                offered.plusSeconds(longWait.get(1).waitSeconds()).plusSeconds(100);
        List<CallEvent> extra = new ArrayList<>(longWait);
        extra.addAll(onEveryPartition(ticking.toInstant().toEpochMilli()));
        MonthSimulator.Month morning = slice(month, start.plusDays(3), ticking, extra);
        MonthSimulator.Month restOfDay = slice(month, ticking, start.plusDays(4), null);

        ch = new ClickHouseSql(config.clickhouse.url, "default", "");
        OfficeInputs.load(ch, db, profile);
        JobClient job = JobLauncher.start(
                StreamExecutionEnvironment.getExecutionEnvironment(), config, KafkaSources.Reading.LIVE, s -> {});
        try (ClickHouseSql reader = new ClickHouseSql(config.clickhouse.url, "hotline_reader", "");
                WallboardServer server = WallboardServer.start(
                        "127.0.0.1", 0, new Board(reader, db, STALE_AFTER, Clock.systemUTC()), Duration.ofMillis(500));
                WallboardPage page = new WallboardPage(server.url(), WORK)) {

            // While the first days play live, the page changes by itself, without reloading.
            FutureTask<CheckedProducer.Delivery> traffic = play(firstDays, 3 * 86_400 / 15.0);
            // Sampled while the traffic plays and, on a machine too busy to keep up, while the pipeline catches up.
            Set<String> moments = new HashSet<>();
            long catchUpUntil = Long.MAX_VALUE;
            while (moments.size() <= 3 && System.nanoTime() < catchUpUntil || !traffic.isDone()) {
                WallboardPage.Shown shown = page.read();
                assertThat(shown.loadedOnce()).as("the page was not reloaded").isTrue();
                moments.add(shown.fields().get("as_of") + "|" + shown.fields().get("calls.today.offered"));
                if (traffic.isDone() && catchUpUntil == Long.MAX_VALUE) {
                    catchUpUntil = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                }
                Thread.sleep(700);
            }
            traffic.get(); // throws if an event was not stored
            assertThat(moments).as("distinct figures seen while events arrived").hasSizeGreaterThan(3);

            // Once the traffic pauses, every figure equals the truth.
            WallboardPage.Shown afterFirst = settled(page, firstDays, db);
            assertThat(afterFirst.alerts()).extracting(a -> a.get(0)).doesNotContain("long_wait");
            assertThat(afterFirst.units()).as("units with open tickets").isNotEmpty();

            // A unit's name made of HTML is shown as the text it is.
            String unit = afterFirst.unitIds().get(0);
            ch.execute("INSERT INTO " + db + ".units (unit_id, name, unit_group, updated_at) VALUES ('" + unit + "', '"
                    + HTML_NAME.replace("\\", "\\\\").replace("'", "\\'") + "', 'district', now() + 60)");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                WallboardPage.Shown shown = page.read();
                assertThat(shown.units().get(shown.unitIds().indexOf(unit)).get(0))
                        .isEqualTo(HTML_NAME);
                assertThat(shown.elementsInUnits()).isZero();
                assertThat(shown.injected()).isFalse();
                assertThat(shown.title()).startsWith("12345");
            });

            // The fourth morning: the figures move on, and the long wait raises an alert on the page.
            play(morning, 36_000 / 8.0).get();
            WallboardPage.Shown afterMorning = settled(page, concat(firstDays, morning), db);
            assertThat(afterMorning.fields().get("as_of"))
                    .isNotEqualTo(afterFirst.fields().get("as_of"));
            assertThat(afterMorning.alerts())
                    .as("the long-wait alert, in force")
                    .anySatisfy(a -> assertThat(a).containsExactly("long_wait", "critical", "12345"));
            page.screenshot(Path.of("target", "wallboard.png"));

            // The rest of the day: waits are short again, the alert resolves and leaves the page.
            play(restOfDay, 50_400 / 8.0).get();
            WallboardPage.Shown afterDay = settled(page, concat(concat(firstDays, morning), restOfDay), db);
            assertThat(afterDay.alerts()).extracting(a -> a.get(0)).doesNotContain("long_wait");
            assertThat(afterDay.loadedOnce()).as("the page was not reloaded").isTrue();

            // No new figures for a while: the page says the data is stale rather than showing frozen numbers.
            await().atMost(STALE_AFTER.multipliedBy(4)).untilAsserted(() -> {
                WallboardPage.Shown shown = page.read();
                assertThat(shown.staleBanner()).isTrue();
                assertThat(shown.status()).contains("stale");
            });
            page.screenshot(Path.of("target", "wallboard-stale.png"));
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
            ch.close();
        }
    }

    /** Waits until the page shows the truth for the events played so far, and returns what it shows. */
    private WallboardPage.Shown settled(WallboardPage page, MonthSimulator.Month played, String db) {
        Map<String, String> calls = callTruth(played.calls());
        List<WallboardPage.Shown> last = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    WallboardPage.Shown shown = page.read();
                    last.clear();
                    last.add(shown);
                    Map<String, String> expected = new LinkedHashMap<>(calls);
                    expected.putAll(ticketTruth(db));
                    Map<String, String> actual = new LinkedHashMap<>();
                    expected.keySet().forEach(k -> actual.put(k, shown.number(k)));
                    assertThat(actual).isEqualTo(expected);
                    assertThat(shown.quarterBars().stream()
                                    .map(bar -> bar.split(" · ")[0])
                                    .toList())
                            .as("today's calls per quarter hour")
                            .isEqualTo(quarterTruth(played.calls()));
                    assertBacklog(shown, db);
                    assertHotspots(shown, db);
                    assertStanding(shown, db, played);
                    assertAlerts(shown, db);
                    assertThat(shown.staleBanner()).isFalse();
                });
        return last.get(0);
    }

    /** The call figures computed from the events themselves: today and the last 15 minutes up to the last one. */
    private Map<String, String> callTruth(List<CallEvent> calls) {
        long lastMinute = calls.stream()
                .mapToLong(e -> e.eventTimeMs() / 60_000 * 60_000)
                .max()
                .orElseThrow();
        LocalDate today = day(lastMinute);
        Map<String, String> t = new LinkedHashMap<>();
        count(
                t,
                "today",
                calls.stream().filter(e -> day(e.eventTimeMs()).equals(today)).toList(),
                false);
        count(
                t,
                "last_15_min",
                calls.stream()
                        .filter(e -> e.eventTimeMs() / 60_000 * 60_000 > lastMinute - 15 * 60_000)
                        .toList(),
                true);
        return t;
    }

    /** Today's calls offered per quarter hour with any call step in it (0 offered too), as the chart's bars name them: "09:15 12". */
    private List<String> quarterTruth(List<CallEvent> calls) {
        LocalDate today =
                day(calls.stream().mapToLong(CallEvent::eventTimeMs).max().orElseThrow());
        Map<String, Long> offered = new java.util.TreeMap<>();
        for (CallEvent e : calls) {
            if (day(e.eventTimeMs()).equals(today)) {
                java.time.LocalTime t = java.time.Instant.ofEpochMilli(e.eventTimeMs())
                        .atZone(java.time.ZoneId.of("Asia/Shanghai"))
                        .toLocalTime();
                offered.merge(
                        String.format("%02d:%02d", t.getHour(), t.getMinute() / 15 * 15),
                        e.type() == CallEventType.OFFERED ? 1L : 0L,
                        Long::sum);
            }
        }
        return offered.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .toList();
    }

    /** Today's rate is answered / offered; the last quarter hour's answered / (answered + abandoned). */
    private static void count(
            Map<String, String> t, String period, List<CallEvent> events, boolean ofCallsThatStoppedWaiting) {
        long offered =
                events.stream().filter(e -> e.type() == CallEventType.OFFERED).count();
        long answered =
                events.stream().filter(e -> e.type() == CallEventType.ANSWERED).count();
        long abandoned =
                events.stream().filter(e -> e.type() == CallEventType.ABANDONED).count();
        long wait = events.stream()
                .filter(e -> e.waitSeconds() != null)
                .mapToLong(CallEvent::waitSeconds)
                .max()
                .orElse(0);
        String p = "calls." + period + ".";
        t.put(p + "offered", String.valueOf(offered));
        t.put(p + "answered", String.valueOf(answered));
        t.put(p + "abandoned", String.valueOf(abandoned));
        t.put(p + "connection_rate_pct", pct(answered, ofCallsThatStoppedWaiting ? answered + abandoned : offered));
        t.put(p + "longest_wait_s", WallboardPage.Shown.digits(duration(wait)));
    }

    /** Ticket figures as ClickHouse holds them, read from the analysts' views (not the wallboard's queries). */
    private Map<String, String> ticketTruth(String db) {
        JsonNode d = ch.rows("SELECT created, resolved_online, dispatched FROM " + db
                        + ".city_daily WHERE dimension = 'all' " + "ORDER BY day DESC LIMIT 1")
                .get(0);
        JsonNode m = ch.rows("SELECT completed, completed_on_time, callbacks, satisfied FROM " + db + ".city_monthly "
                        + "WHERE dimension = 'all' ORDER BY month DESC LIMIT 1")
                .get(0);
        Map<String, String> t = new LinkedHashMap<>();
        t.put("tickets.today.created", d.get("created").asText());
        t.put("tickets.today.resolved_online", d.get("resolved_online").asText());
        t.put("tickets.today.dispatched", d.get("dispatched").asText());
        t.put("tickets.month.completed", m.get("completed").asText());
        t.put("tickets.month.on_time", m.get("completed_on_time").asText());
        t.put(
                "tickets.month.on_time_pct",
                pct(m.get("completed_on_time").asLong(), m.get("completed").asLong()));
        t.put("tickets.month.callbacks", m.get("callbacks").asText());
        t.put("tickets.month.satisfied", m.get("satisfied").asText());
        t.put(
                "tickets.month.satisfaction_pct",
                pct(m.get("satisfied").asLong(), m.get("callbacks").asLong()));
        return t;
    }

    /** The unit table: every unit with open tickets (up to the rows shown), worst first, figures as in unit_backlog. */
    private void assertBacklog(WallboardPage.Shown shown, String db) {
        List<JsonNode> open =
                ch.rows("SELECT unit_id, open_backlog, overdue FROM " + db + ".unit_backlog WHERE open_backlog > 0");
        assertThat(shown.number("units_with_backlog")).isEqualTo(String.valueOf(open.size()));
        Map<String, List<String>> truth = new LinkedHashMap<>();
        open.forEach(r -> truth.put(
                r.get("unit_id").asText(),
                List.of(r.get("open_backlog").asText(), r.get("overdue").asText())));
        assertThat(shown.unitIds()).hasSize(Math.min(Board.UNIT_ROWS, open.size()));
        long previousOverdue = Long.MAX_VALUE;
        for (int i = 0; i < shown.unitIds().size(); i++) {
            List<String> row = shown.units().get(i);
            List<String> figures =
                    List.of(WallboardPage.Shown.digits(row.get(1)), WallboardPage.Shown.digits(row.get(2)));
            assertThat(figures)
                    .as("unit %s", shown.unitIds().get(i))
                    .isEqualTo(truth.get(shown.unitIds().get(i)));
            long overdue = Long.parseLong(figures.get(1));
            assertThat(overdue).as("worst first").isLessThanOrEqualTo(previousOverdue);
            previousOverdue = overdue;
        }
    }

    /**
     * The month's standing so far: every unit's rank and total as the assessment ranks the month's report (which reads
     * the analysts' views over the minute rows, where the page reads what the job keeps).
     */
    private void assertStanding(WallboardPage.Shown shown, String db, MonthSimulator.Month played) {
        long last = played.tickets().stream()
                .mapToLong(org.hotline.events.TicketEvent::eventTimeMs)
                .max()
                .orElseThrow();
        java.time.YearMonth month = java.time.YearMonth.from(day(last));
        List<org.hotline.assessment.Assessment.Score> ranking =
                org.hotline.assessment.Assessment.rank(org.hotline.assessment.Assessment.fromReport(
                        new org.hotline.report.MonthReport(ch, db).build(month, 11), w -> {}));
        Map<String, List<String>> truth = new LinkedHashMap<>();
        ranking.forEach(s -> truth.put(
                s.unit().unit(),
                List.of(
                        String.valueOf(s.rank()),
                        s.total().setScale(2, RoundingMode.HALF_UP).toPlainString(),
                        String.valueOf(s.unit().tickets()))));
        Map<String, List<String>> page = new LinkedHashMap<>();
        shown.standing()
                .forEach(r -> page.put(r.get(0), List.of(r.get(1), r.get(3), WallboardPage.Shown.digits(r.get(4)))));
        assertThat(page).as("the month's standing").isNotEmpty().isEqualTo(truth);
    }

    /** Today's top categories and topics: each shown with ClickHouse's count and rise, and none left out that counts more. */
    private void assertHotspots(WallboardPage.Shown shown, String db) {
        List<JsonNode> rows = ch.rows("SELECT dimension, value, current, previous FROM " + db + ".hotspots "
                + "WHERE period = 'today' AND current > 0");
        for (String dimension : List.of("category", "topic")) {
            Map<String, List<String>> truth = new LinkedHashMap<>();
            rows.stream()
                    .filter(r -> r.get("dimension").asText().equals(dimension))
                    .forEach(r -> truth.put(
                            r.get("value").asText(),
                            List.of(
                                    r.get("current").asText(),
                                    String.valueOf(r.get("current").asLong()
                                            - r.get("previous").asLong()))));
            List<List<String>> shownRows = shown.hotspots().stream()
                    .filter(h -> h.get(0).equals(dimension))
                    .toList();
            assertThat(shownRows).hasSize(Math.min(6, truth.size()));
            long smallestShown = Long.MAX_VALUE;
            Set<String> names = new HashSet<>();
            for (List<String> h : shownRows) {
                String name = h.get(1).substring(h.get(1).indexOf(' ') + 1); // after the dimension's label
                names.add(name);
                assertThat(List.of(h.get(2), WallboardPage.Shown.digits(h.get(3))))
                        .as(name)
                        .isEqualTo(truth.get(name));
                smallestShown = Math.min(smallestShown, Long.parseLong(h.get(2)));
            }
            for (var e : truth.entrySet()) {
                if (!names.contains(e.getKey())) {
                    assertThat(Long.parseLong(e.getValue().get(0)))
                            .as("left out: " + e.getKey())
                            .isLessThanOrEqualTo(smallestShown);
                }
            }
        }
    }

    /** The alerts in force: the latest change of each alert that is not a resolution. */
    private void assertAlerts(WallboardPage.Shown shown, String db) {
        List<JsonNode> changes =
                ch.rows("SELECT rule, alert_key, severity, state, toUnixTimestamp(event_time) AS at FROM " + db
                        + ".alerts FINAL");
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode c : changes) {
            String key = c.get("rule").asText() + "|" + c.get("alert_key").asText();
            if (!latest.containsKey(key)
                    || latest.get(key).get("at").asLong() <= c.get("at").asLong()) {
                latest.put(key, c);
            }
        }
        List<String> inForce = latest.values().stream()
                .filter(c -> !c.get("state").asText().equals("resolved"))
                .map(c -> c.get("rule").asText() + "/" + c.get("severity").asText())
                .sorted()
                .toList();
        List<String> onPage = shown.alerts().stream()
                .map(a -> a.get(0) + "/" + a.get(1))
                .sorted()
                .toList();
        if (inForce.size() <= 20) {
            assertThat(onPage).isEqualTo(inForce);
        } else {
            assertThat(onPage).hasSize(20); // the newest twenty
        }
    }

    /** Plays the events live in the background; the task's result throws if an event was not stored. */
    private FutureTask<CheckedProducer.Delivery> play(MonthSimulator.Month events, double speed) {
        FutureTask<CheckedProducer.Delivery> traffic = new FutureTask<>(() -> new KafkaPlayback(
                        config.kafka.clientProperties(),
                        config.kafka.bootstrapServers,
                        config.kafka.callsTopic,
                        config.kafka.ticketsTopic,
                        events.profile().zone())
                .play(events, speed, s -> {}));
        new Thread(traffic, "wallboard-traffic").start();
        return traffic;
    }

    private static MonthSimulator.Month slice(
            MonthSimulator.Month m, ZonedDateTime from, ZonedDateTime to, List<CallEvent> extra) {
        MonthSimulator.Month slice =
                m.between(from.toInstant().toEpochMilli(), to.toInstant().toEpochMilli());
        if (extra == null) {
            return slice;
        }
        List<CallEvent> calls = new ArrayList<>(slice.calls());
        calls.addAll(extra);
        calls.sort((x, y) -> Long.compare(x.eventTimeMs(), y.eventTimeMs()));
        return new MonthSimulator.Month(m.profile(), calls, slice.tickets());
    }

    private static MonthSimulator.Month concat(MonthSimulator.Month x, MonthSimulator.Month y) {
        List<CallEvent> calls = new ArrayList<>(x.calls());
        calls.addAll(y.calls());
        List<TicketEvent> tickets = new ArrayList<>(x.tickets());
        tickets.addAll(y.tickets());
        return new MonthSimulator.Month(x.profile(), calls, tickets);
    }

    /** A caller who waits 22 minutes and hangs up. */
    private static List<CallEvent> longWaitCall(long offeredAt) {
        int wait = 1320;
        return List.of(
                new CallEvent(
                        "long-wait-offered",
                        1,
                        CallEventType.OFFERED,
                        offeredAt,
                        "long-wait",
                        "12345",
                        "雨湖区",
                        null,
                        null,
                        null),
                new CallEvent(
                        "long-wait-abandoned",
                        1,
                        CallEventType.ABANDONED,
                        offeredAt + wait * 1000L,
                        "long-wait",
                        "12345",
                        "雨湖区",
                        null,
                        wait,
                        null));
    }

    /** A call offered at {@code at} on each of the topic's two partitions (Kafka's partitioner: murmur2 of the key). */
    private static List<CallEvent> onEveryPartition(long at) {
        List<CallEvent> calls = new ArrayList<>();
        for (int partition = 0, i = 0; partition < 2; i++) {
            String id = "tick-" + i;
            if (Utils.toPositive(Utils.murmur2(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 2
                    == partition) {
                calls.add(new CallEvent(
                        id + "-offered", 1, CallEventType.OFFERED, at, id, "12345", "雨湖区", null, null, null));
                partition++;
            }
        }
        return calls;
    }

    private LocalDate day(long epochMs) {
        return java.time.Instant.ofEpochMilli(epochMs)
                .atZone(java.time.ZoneId.of("Asia/Shanghai"))
                .toLocalDate();
    }

    /** A wait as the page writes it: 45 s, 1 min 05 s, 22 min, 1 h 05 min. */
    static String duration(long s) {
        if (s < 60) {
            return s + " s";
        }
        if (s < 600) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        return String.format("%d h %02d min", s / 3600, s % 3600 / 60);
    }

    /** A rate's digits as the page shows it; none for 0 of 0 (shown as "—"). */
    private static String pct(long part, long whole) {
        if (whole == 0) {
            return "";
        }
        return BigDecimal.valueOf(part * 100)
                .divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
