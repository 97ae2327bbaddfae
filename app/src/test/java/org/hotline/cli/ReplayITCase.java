package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.assessment.Assessment;
import org.hotline.assessment.AssessmentCsv;
import org.hotline.deploy.LocalAlertmanager;
import org.hotline.jobs.SharedServices;
import org.hotline.report.MonthReport;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strongest test there is: replay a published month through the whole pipeline (simulator,
 * Kafka, Flink, ClickHouse) with {@code ./hotline replay}, and read back every figure of the
 * profile's month.json and units.csv, exactly. Then replay it again: nothing may change.
 */
@ExtendWith(SharedServices.class)
class ReplayITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small-2024-03", "xiangtan-2023-09"})
    void aReplayedMonthReportsItsPublishedFiguresBack(String name) throws Exception {
        JsonNode published;
        try (InputStream in = resource(name, "month.json")) {
            published = JSON.readTree(in);
        }
        YearMonth month = YearMonth.parse(published.get("month").asText());
        Path config = dir.resolve("hotline.yaml");
        // an Alertmanager configured: a replay of a past month notifies no one
        LocalAlertmanager alertmanager =
                LocalAlertmanager.start(dir.resolve("alertmanager"), LocalAlertmanager.DEMO_CONFIG);
        Files.writeString(
                config,
                "clickhouse:\n  database: replay_it\njob:\n  checkpoint_interval_seconds: 2\nalerts:\n  alertmanager_url: "
                        + alertmanager.url() + "\n");
        String[] replay = {
            "replay",
            "--config",
            config.toString(),
            "--profile",
            profileArgument(name),
            "--clickhouse-url",
            SharedServices.clickhouse().httpUrl(),
            "--bootstrap-servers",
            SharedServices.kafka().bootstrapServers(),
            "--work-dir",
            dir.toString()
        };

        String said;
        try {
            said = Cli.stdout(replay);
            assertThat(java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(alertmanager.url() + "/api/v2/alerts"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body()
                            .strip())
                    .as("what Alertmanager was sent by the replay")
                    .isEqualTo("[]");
        } finally {
            alertmanager.close();
        }
        int generated = new MonthSimulator(Profile.load(profileArgument(name)), 2023)
                .generate()
                .size();
        assertThat(said)
                .as("what the replay says it stored, on Kafka and in ClickHouse")
                .contains(String.format("%,d events stored on Kafka", generated))
                .contains(String.format(
                        "%,d events generated, %,d stored in ClickHouse, 0 kept aside", generated, generated));
        JsonNode first = report(
                month, published.path("tickets").path("hotspot_categories").size());
        assertMatches(first, published, unitsCsv(name));
        assertRollingMonth("replay_it", published, 0);

        assertThat(Hotline.commandLine().execute(replay))
                .as("a second replay of the month")
                .isZero();
        assertThat(report(
                        month,
                        published.path("tickets").path("hotspot_categories").size()))
                .isEqualTo(first);

        // The assessment from the stream's figures is the assessment of the published figures.
        String fromStream = Cli.stdout(
                "assess",
                "--config",
                config.toString(),
                "--month",
                month.toString(),
                "--clickhouse-url",
                SharedServices.clickhouse().httpUrl());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (InputStream in = resource(name, "units.csv")) {
            AssessmentCsv.write(
                    Assessment.rank(AssessmentCsv.read(new InputStreamReader(in, StandardCharsets.UTF_8))),
                    new PrintStream(expected, true, StandardCharsets.UTF_8));
        }
        assertThat(fromStream).isEqualTo(expected.toString(StandardCharsets.UTF_8));

        // The month's incidents raise their alerts, and a clean unit raises none.
        JsonNode alerts = JSON.readTree(Cli.stdout(
                "alerts",
                "--config",
                config.toString(),
                "--month",
                month.toString(),
                "--clickhouse-url",
                SharedServices.clickhouse().httpUrl()));
        assertIncidentsAlerted(alerts, published);
        // The topic carries every replay's alerts (the month is replayed twice here), and also what happens after
        // the month's end (a hotspot of the month's last days resolving on the 1st): the month's, once each.
        List<JsonNode> onTopic = alertsTopic("alerts-" + month, alerts.size()).stream()
                .filter(a -> YearMonth.from(java.time.OffsetDateTime.parse(
                                a.get("event_time").asText()))
                        .equals(month))
                .distinct()
                .toList();
        assertThat(onTopic).as("the alerts topic carries the same alerts").containsExactlyInAnyOrderElementsOf(alerts);
        for (String clean : name.startsWith("xiangtan") ? List.of("市医保局", "市发改委") : List.of("市人社局")) {
            assertThat(alerts.findValuesAsText("unit"))
                    .as("alerts about %s", clean)
                    .doesNotContain(clean);
        }

        // The bulletin shows the same month, section by section, in HTML and in Markdown.
        for (String format : List.of("html", "md")) {
            assertThat(Hotline.commandLine()
                            .execute(
                                    "report",
                                    "--config",
                                    config.toString(),
                                    "--month",
                                    month.toString(),
                                    "--format",
                                    format,
                                    "--out",
                                    dir.toString(),
                                    "--clickhouse-url",
                                    SharedServices.clickhouse().httpUrl(),
                                    "--top",
                                    String.valueOf(published
                                            .at("/tickets/hotspot_categories")
                                            .size())))
                    .isZero();
        }
        assertBulletin(dir.resolve("bulletin-" + month + ".html"), published, fromStream);
        screenshot(dir.resolve("bulletin-" + month + ".html"), Path.of("target", "bulletin-" + name + ".png"));
        assertThat(Jsoup.parse(dir.resolve("bulletin-" + month + ".html").toFile(), "UTF-8")
                        .select("#alerts td")
                        .eachText())
                .as("the month's alerts in the bulletin")
                .contains("concentrated_returns", "bouncing_ticket", "emerging_hotspot");
        assertThat(Files.readString(dir.resolve("bulletin-" + month + ".md")))
                .contains("| 有效工单 Valid tickets | "
                        + String.format("%,d", published.at("/tickets/valid").asLong()) + " |");
        try (ClickHouseSql ch = new ClickHouseSql(SharedServices.clickhouse().httpUrl(), "default", "")) {
            assertThat(ch.count("SELECT count() FROM replay_it.assessment FINAL WHERE month = toDate('" + month.atDay(1)
                            + "')"))
                    .isEqualTo(unitsCsv(name).size());
        }
    }

    /**
     * Two consecutive months replayed together (a folder of months): tickets dispatched on March's last days are completed
     * in April and callbacks on March's last tickets come in April, yet each month reports its own published figures,
     * and April's month over month is March's, from the stream.
     */
    @org.junit.jupiter.api.Test
    void consecutiveMonthsReplayedTogetherReportEachMonthsFigures() throws Exception {
        Path months =
                Path.of(ReplayITCase.class.getResource("/profiles/two-months").toURI());
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "job:\n  checkpoint_interval_seconds: 2\n");
        String said = Cli.stdout(
                "replay",
                "--config",
                config.toString(),
                "--profile",
                months.toString(),
                "--database",
                "replay_two",
                "--clickhouse-url",
                SharedServices.clickhouse().httpUrl(),
                "--bootstrap-servers",
                SharedServices.kafka().bootstrapServers(),
                "--work-dir",
                dir.toString());

        List<Profile> profiles = List.of(
                Profile.load(months.resolve("small-2024-03").toString()),
                Profile.load(months.resolve("small-2024-04").toString()));
        List<MonthSimulator.Month> generated = MonthSimulator.sequence(profiles, 2023);
        int events = generated.stream().mapToInt(MonthSimulator.Month::size).sum();
        assertThat(said)
                .contains("Replayed 2024-03-to-2024-04")
                .contains(
                        String.format("%,d events generated, %,d stored in ClickHouse, 0 kept aside", events, events));
        // the months' lives do cross the month's end: an April completion of a ticket created in March, and an April
        // callback on one
        assertThat(generated.get(1).tickets())
                .as("April's events of tickets created in March")
                .filteredOn(e -> e.ticketId().startsWith("2024-03-"))
                .extracting(e -> e.type().wire())
                .contains("completed", "callback");

        JsonNode march;
        try (InputStream in = Files.newInputStream(months.resolve("small-2024-03/month.json"))) {
            march = JSON.readTree(in);
        }
        JsonNode april;
        try (InputStream in = Files.newInputStream(months.resolve("small-2024-04/month.json"))) {
            april = JSON.readTree(in);
        }
        // April publishes no previous month: month over month is March's, from the stream
        com.fasterxml.jackson.databind.node.ObjectNode aprilWithPrevious = april.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode previous = aprilWithPrevious.putObject("previous_month");
        previous.put("source", "stream");
        previous.put("calls_answered", march.at("/calls/answered").asLong());
        previous.set("connection_rate_pct", march.at("/calls/connection_rate_pct"));
        previous.put("tickets_valid", march.at("/tickets/valid").asLong());
        previous.put("tickets_dispatched", march.at("/tickets/dispatched").asLong());
        previous.set("callback_satisfaction_pct", march.at("/tickets/callback_satisfaction_pct"));
        for (JsonNode published : List.of(march, aprilWithPrevious)) {
            String name = "two-months/small-" + published.get("month").asText();
            JsonNode report = report(
                    "replay_two",
                    YearMonth.parse(published.get("month").asText()),
                    published.at("/tickets/hotspot_categories").size());
            assertMatches(report, published, unitsCsv(name));
        }
        // the job's rolling figures: April so far, and the tickets still open at its end (dispatched in April, or left
        // by March, and not completed by a unit)
        long openAtEnd = april.at("/tickets/dispatched").asLong()
                + march.at("/tickets/dispatched").asLong()
                - unitsCsv("two-months/small-2024-03").stream()
                        .mapToLong(u -> Long.parseLong(u.get("tickets")))
                        .sum()
                - unitsCsv("two-months/small-2024-04").stream()
                        .mapToLong(u -> Long.parseLong(u.get("tickets")))
                        .sum();
        assertThat(openAtEnd).isEqualTo(5);
        assertRollingMonth("replay_two", april, openAtEnd);
        // and since when each unit's oldest open ticket has waited, worked out from the generated events
        Map<String, String> assignment = new HashMap<>();
        Map<String, Long> assignedAt = new HashMap<>();
        for (MonthSimulator.Month m : generated) {
            for (org.hotline.events.TicketEvent e : m.tickets()) {
                switch (e.type()) {
                    case DISPATCHED -> {
                        assignment.put(e.ticketId(), e.unitId());
                        assignedAt.put(e.ticketId(), e.eventTimeMs());
                    }
                    case REJECTED, RETURNED, COMPLETED -> assignment.remove(e.ticketId());
                    default -> {}
                }
            }
        }
        Map<String, String> oldest = new java.util.TreeMap<>();
        assignment.forEach((ticket, unit) -> oldest.merge(
                unit,
                java.time.Instant.ofEpochMilli(assignedAt.get(ticket))
                        .atZone(java.time.ZoneId.of("Asia/Shanghai"))
                        .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")),
                (x, y) -> x.compareTo(y) <= 0 ? x : y));
        try (ClickHouseSql ch = new ClickHouseSql(SharedServices.clickhouse().httpUrl(), "default", "")) {
            Map<String, String> kept = new java.util.TreeMap<>();
            ch.rows("SELECT unit_id, toString(oldest_open_since) AS since FROM replay_two.unit_open_since FINAL "
                            + "WHERE oldest_open_since IS NOT NULL")
                    .forEach(r ->
                            kept.put(r.get("unit_id").asText(), r.get("since").asText()));
            assertThat(kept)
                    .as("each unit's oldest open ticket")
                    .isEqualTo(oldest)
                    .hasSizeGreaterThan(0);
        }
    }

    /**
     * The rolling figures the job keeps for the wallboard, after a replay: the month so far city-wide is the month's
     * published figures, and the units' open backlog adds up to the tickets the profiles leave open.
     */
    static void assertRollingMonth(String db, JsonNode published, long openAtEnd) {
        try (ClickHouseSql ch = new ClickHouseSql(SharedServices.clickhouse().httpUrl(), "default", "")) {
            assertRollingTickets(ch, db, published, "month", openAtEnd);
            JsonNode c = ch.rows(
                            "SELECT * FROM " + db + ".call_rolling FINAL WHERE dimension = 'all' AND period = 'month'")
                    .get(0);
            // the month's hotspots as the job ranks them: the published top categories, most first
            List<String> ranked = ch
                    .rows("SELECT value, current FROM " + db + ".hotspot_ranks FINAL WHERE dimension = 'category' "
                            + "AND period = 'month' AND current > 0 ORDER BY rank")
                    .stream()
                    .map(r -> r.get("value").asText() + " " + r.get("current").asLong())
                    .toList();
            List<String> top = new ArrayList<>();
            published
                    .at("/tickets/hotspot_categories")
                    .fields()
                    .forEachRemaining(
                            e -> top.add(e.getKey() + " " + e.getValue().asLong()));
            top.sort(java.util.Comparator.comparingLong(
                            (String x) -> -Long.parseLong(x.substring(x.lastIndexOf(' ') + 1)))
                    .thenComparing(x -> x.substring(0, x.lastIndexOf(' '))));
            int n = Math.min(10, top.size()); // the profile publishes its top ones; the rest rank below them
            assertThat(ranked).hasSizeGreaterThanOrEqualTo(n);
            assertThat(ranked.subList(0, n)).as("the month's top categories").isEqualTo(top.subList(0, n));
            assertThat(c.get("answered").asLong())
                    .isEqualTo(published.at("/calls/answered").asLong());
            assertThat(org.hotline.figures.Rates.pct(
                            c.get("answered").asLong(), c.get("offered").asLong()))
                    .isEqualByComparingTo(
                            published.at("/calls/connection_rate_pct").decimalValue());
        }
    }

    /** The rolling ticket figures of {@code period} city-wide are the month's published ones; the units' backlog adds up. */
    static void assertRollingTickets(ClickHouseSql ch, String db, JsonNode published, String period, long openAtEnd) {
        JsonNode t = ch.rows("SELECT * FROM " + db + ".ticket_rolling FINAL WHERE dimension = 'all' AND period = '"
                        + period + "'")
                .get(0);
        JsonNode p = published.get("tickets");
        assertThat(List.of(
                        t.get("created").asLong(),
                        t.get("resolved_online").asLong(),
                        t.get("dispatched_tickets").asLong(),
                        t.get("completed_on_time").asLong()))
                .as("%s: valid, online, dispatched, on time", period)
                .containsExactly(
                        p.get("valid").asLong(),
                        p.get("resolved_online").asLong(),
                        p.get("dispatched").asLong(),
                        p.get("dispatched_completed_on_time").asLong());
        assertThat(org.hotline.figures.Rates.pct(
                        t.get("sys_satisfied").asLong()
                                + t.get("spot_satisfied").asLong(),
                        t.get("sys_callbacks").asLong()
                                + t.get("spot_callbacks").asLong()))
                .isEqualByComparingTo(p.get("callback_satisfaction_pct").decimalValue());
        assertThat(ch.count("SELECT sum(opened - closed) FROM " + db + ".ticket_rolling FINAL WHERE dimension = 'unit' "
                        + "AND period = 'total'"))
                .as("tickets open at the end")
                .isEqualTo(openAtEnd);
    }

    /** The page as headless Chromium prints it on screen, for a person to look at (target/bulletin-*.png). */
    static void screenshot(Path html, Path png) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(
                        "/usr/bin/chromium",
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--user-data-dir="
                                + html.getParent().resolve("chromium").toAbsolutePath(),
                        "--window-size=1200,2400",
                        "--screenshot=" + png.toAbsolutePath(),
                        html.toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(html.getParent().resolve("chromium.log").toFile())
                .start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("chromium took the screenshot")
                .isTrue();
        assertThat(png).exists();
    }

    /** The JSON alerts on a topic, read from its start until at least {@code expected} have come (or 30 s have passed) and it is quiet. */
    static List<JsonNode> alertsTopic(String topic, int expected) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers",
                SharedServices.kafka().bootstrapServers(),
                "group.id",
                "replay-it-" + topic,
                "auto.offset.reset",
                "earliest",
                "key.deserializer",
                org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
                "value.deserializer",
                org.apache.kafka.common.serialization.StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(java.time.Duration.ofMillis(500))) {
                    out.add(JSON.readTree(r.value()));
                }
            }
            for (boolean more = true; more; ) { // and all there are, until the topic is quiet
                var records = consumer.poll(java.time.Duration.ofSeconds(2));
                more = !records.isEmpty();
                for (var r : records) {
                    out.add(JSON.readTree(r.value()));
                }
            }
        }
        return out;
    }

    /** Each incident of the profile has its alert, firing: a backlog, concentrated returns, a bouncing ticket, a new topic. */
    static void assertIncidentsAlerted(JsonNode alerts, JsonNode published) {
        List<String> firing = new ArrayList<>();
        for (JsonNode a : alerts) {
            if (!a.get("state").asText().equals("resolved")) {
                firing.add(a.get("rule").asText() + " " + a.path("unit").asText("") + " "
                        + a.path("category").asText("") + " " + a.path("topic").asText(""));
            }
            assertThat(a.fieldNames())
                    .toIterable()
                    .containsExactly(
                            "rule",
                            "unit",
                            "topic",
                            "category",
                            "ticket_id",
                            "severity",
                            "state",
                            "value",
                            "threshold",
                            "window_start",
                            "window_end",
                            "event_time",
                            "detail");
        }
        for (JsonNode incident : published.get("incidents")) {
            String expected = switch (incident.get("kind").asText()) {
                case "backlog" -> "backlog " + incident.get("unit").asText() + "  ";
                case "returns" ->
                    "concentrated_returns " + incident.get("unit").asText() + " "
                            + incident.get("category").asText() + " ";
                case "bouncing_ticket" -> "bouncing_ticket ";
                case "emerging_hotspot" ->
                    "emerging_hotspot   " + incident.get("topic").asText();
                default -> throw new AssertionError("unknown incident " + incident);
            };
            assertThat(firing).as("an alert for %s", incident).anyMatch(f -> f.startsWith(expected));
            if (incident.get("kind").asText().equals("backlog")
                    && published.get("month").asText().equals("2023-09")) {
                // in the real month, warned before: its tickets due within a day, named, before its first backlog
                // alert (the small profile's backlog piles up too few at a time to warn)
                String unit = incident.get("unit").asText();
                JsonNode warned = first(alerts, "due_soon", unit);
                assertThat(warned).as("a due_soon warning for %s", unit).isNotNull();
                assertThat(warned.get("event_time").asText())
                        .isLessThan(
                                first(alerts, "backlog", unit).get("event_time").asText());
                assertThat(warned.get("detail").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\S+(, .*)?");
            }
        }
    }

    /** The first alert of {@code rule} about {@code unit} (alerts come in event-time order). */
    static JsonNode first(JsonNode alerts, String rule, String unit) {
        for (JsonNode a : alerts) {
            if (a.get("rule").asText().equals(rule) && a.path("unit").asText("").equals(unit)) {
                return a;
            }
        }
        return null;
    }

    /** The bulletin's HTML, parsed: every section holds the published figures and the ranking. */
    static void assertBulletin(Path html, JsonNode published, String rankingCsv) throws Exception {
        Document page = Jsoup.parse(html.toFile(), "UTF-8");
        assertThat(page.select("script, link[href], img[src^=http]"))
                .as("self-contained, no network")
                .isEmpty();
        JsonNode calls = published.get("calls");
        JsonNode tickets = published.get("tickets");
        JsonNode prev = published.get("previous_month");
        assertThat(value(page, "#calls-answered"))
                .isEqualTo(calls.get("answered").asLong());
        assertThat(page.select("#connection-rate .value").text())
                .isEqualTo(calls.get("connection_rate_pct").decimalValue().setScale(2) + " %");
        assertThat(value(page, "#tickets-valid")).isEqualTo(tickets.get("valid").asLong());
        assertThat(value(page, "#dispatched"))
                .isEqualTo(tickets.get("dispatched").asLong());
        assertThat(page.select("#satisfaction .value").text())
                .isEqualTo(
                        tickets.get("callback_satisfaction_pct").decimalValue().setScale(2) + " %");
        // month over month, from the published figures of both months
        assertThat(page.select("#calls-answered .change").text())
                .isEqualTo(change(
                        calls.get("answered").asLong(),
                        prev.get("calls_answered").asLong()));
        assertThat(page.select("#satisfaction .change").text())
                .isEqualTo(signed(tickets.get("callback_satisfaction_pct")
                                .decimalValue()
                                .subtract(prev.get("callback_satisfaction_pct").decimalValue()))
                        + " points");
        assertThat(table(page, "#channels")).isEqualTo(counts(tickets.get("by_channel")));
        assertThat(table(page, "#request-types")).isEqualTo(counts(tickets.get("by_request_type")));
        assertThat(table(page, "#hotspots")).isEqualTo(counts(tickets.get("hotspot_categories")));
        assertThat(table(page, "#regions")).containsAllEntriesOf(counts(calls.get("by_caller_region")));
        assertThat(table(page, "#special-lines"))
                .containsEntry(
                        "tag: civilised_city",
                        tickets.at("/tags/civilised_city").asLong())
                .containsEntry(
                        "desk: business_desk",
                        tickets.at("/desks/business_desk").asLong());
        assertThat(page.select("#connection-by-day tr:gt(0)")).hasSizeGreaterThanOrEqualTo(28);
        // codes as the published bulletin writes them, and the month in words with its figures
        assertThat(page.select("#channels td[data-code=phone]").text()).isEqualTo("电话 Phone");
        assertThat(page.select("#request-types td[data-code=consultation]").text())
                .isEqualTo("咨询 Consultation");
        String summary = page.select("#summary").text();
        assertThat(summary)
                .contains(String.format("本月共接听来电 %,d 个", calls.get("answered").asLong()))
                .contains(
                        tickets.get("callback_satisfaction_pct").decimalValue().setScale(2) + " %")
                .contains("热点问题前列为"
                        + tickets.get("hotspot_categories").fieldNames().next())
                .contains(
                        String.format("%,d valid tickets", tickets.get("valid").asLong()));
        // each section says its figures once: one table, its last column the bars (the largest full width)
        for (String section : List.of("#channels", "#regions", "#request-types", "#hotspots", "#connection-by-day")) {
            assertThat(page.select(section + " table")).as(section).hasSize(1);
            assertThat(page.select(section + " svg")).as(section).isEmpty();
        }
        assertThat(page.select("#channels td.bar span"))
                .hasSize(tickets.get("by_channel").size())
                .first()
                .satisfies(bar -> assertThat(bar.attr("style")).isEqualTo("width:100.0%"));
        // every unit's rank and total as the assessment of the published figures has them
        Map<String, String> expected = new HashMap<>();
        rankingCsv.lines().skip(1).forEach(l -> {
            String[] c = l.split(",");
            expected.put(c[3], c[2] + " " + c[13]);
        });
        Map<String, String> shown = new HashMap<>();
        for (Element row : page.select("#ranking table.ranking tr:gt(0)")) {
            shown.put(
                    row.select("td.unit").text(),
                    row.child(0).text() + " "
                            + row.child(row.childrenSize() - 1).text());
        }
        assertThat(shown).isEqualTo(expected);
    }

    static long value(Document page, String row) {
        return Long.parseLong(
                page.select(row + " .value").text().replace(",", "").replaceAll(" .*", ""));
    }

    static Map<String, Long> table(Document page, String section) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Element row : page.select(section + " table tr:gt(0)")) {
            Element label = row.selectFirst("td.label");
            out.put(
                    label.hasAttr("data-code") ? label.attr("data-code") : label.text(),
                    Long.parseLong(row.select("td.value").text().replace(",", "")));
        }
        return out;
    }

    static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    static String change(long now, long before) {
        return signed(BigDecimal.valueOf(now - before)
                        .multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(before), 2, java.math.RoundingMode.HALF_UP))
                + " %";
    }

    static String signed(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "")
                + v.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    static JsonNode report(YearMonth month, int top) {
        return report("replay_it", month, top);
    }

    static JsonNode report(String database, YearMonth month, int top) {
        try (ClickHouseSql ch = new ClickHouseSql(SharedServices.clickhouse().httpUrl(), "default", "")) {
            return new MonthReport(ch, database).build(month, top);
        }
    }

    static InputStream resource(String profile, String file) {
        InputStream in = ReplayITCase.class.getResourceAsStream("/profiles/" + profile + "/" + file);
        assertThat(in).as("%s of profile %s on the classpath", file, profile).isNotNull();
        return in;
    }

    /** A shipped profile by its name; a test one (a folder under test-classes) by its path. */
    static String profileArgument(String name) throws Exception {
        var url = ReplayITCase.class.getResource("/profiles/" + name + "/month.json");
        return "file".equals(url.getProtocol())
                ? Path.of(url.toURI()).getParent().toString()
                : name;
    }

    static List<Map<String, String>> unitsCsv(String profile) throws Exception {
        try (InputStream in = resource(profile, "units.csv");
                MappingIterator<Map<String, String>> rows = new CsvMapper()
                        .readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(in)) {
            return rows.readAll();
        }
    }

    /** Every figure month.json has (but notes and incidents) and every units.csv cell, equal in the report. */
    static void assertMatches(JsonNode report, JsonNode published, List<Map<String, String>> units) {
        List<String> differences = new ArrayList<>();
        for (String section : List.of("calls", "tickets", "previous_month")) {
            compare(section, report.path(section), published.path(section), differences);
        }
        Map<String, JsonNode> byUnit = new HashMap<>();
        report.get("units").forEach(u -> byUnit.put(u.get("unit").asText(), u));
        for (Map<String, String> row : units) {
            JsonNode u = byUnit.get(row.get("unit"));
            if (u == null) {
                differences.add("unit " + row.get("unit") + " missing");
                continue;
            }
            row.forEach((column, value) -> {
                String actual = u.path(column).asText();
                boolean same = column.equals("unit") || column.equals("group")
                        ? actual.equals(value)
                        : !u.path(column).isNull() && new BigDecimal(actual).compareTo(new BigDecimal(value)) == 0;
                if (!same) {
                    differences.add(row.get("unit") + "." + column + ": " + actual + " instead of " + value);
                }
            });
        }
        assertThat(differences).isEmpty();
        assertThat(byUnit).hasSize(units.size());
    }

    static void compare(String path, JsonNode actual, JsonNode expected, List<String> differences) {
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().endsWith("note")) {
                    compare(path + "/" + e.getKey(), actual.path(e.getKey()), e.getValue(), differences);
                }
            }
        } else if (expected.isNumber()) {
            if (!actual.isNumber() || actual.decimalValue().compareTo(expected.decimalValue()) != 0) {
                differences.add(path + ": " + actual + " instead of " + expected);
            }
        } else if (!expected.equals(actual)) {
            differences.add(path + ": " + actual + " instead of " + expected);
        }
    }
}
