package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.hotline.deploy.LocalKafka;
import org.hotline.jobs.SharedServices;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures recomputed without Kafka: a month replayed through the whole pipeline, its topics deleted, then {@code
 * ./hotline rebuild} from the database's raw events into a new one. Every table the job writes, and the reference data,
 * must be the replay's row for row ({@code FINAL}; the row versions, which count rewrites, and when a record was seen,
 * aside): the published figures, the alerts, where each ticket stands.
 */
@ExtendWith(SharedServices.class)
class RebuildITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Columns that say how often or when a row was written, not what it holds. */
    static final Set<String> ASIDE = Set.of("version", "seen_at");

    /**
     * A unit with no open ticket has a row saying so or none at all, as the same to every reader: whether a flush saw
     * one of its brief assignments depends on how far the watermark moved at a time, which differs between any two runs.
     */
    static final String NONE_OPEN = " WHERE NOT (oldest_open_since IS NULL AND empty(open_due))";

    @TempDir
    Path dir;

    @Test
    void theRealMonthRebuiltFromClickHouseAloneIsTheReplayTableForTable() throws Exception {
        replayDeleteTopicsRebuild("xiangtan-2023-09", "2023-09", "rebuild_month", null);
    }

    @Test
    void twoConsecutiveMonthsRebuiltAreTheReplayTableForTable() throws Exception {
        String months = Path.of(
                        RebuildITCase.class.getResource("/profiles/two-months").toURI())
                .toString();
        replayDeleteTopicsRebuild(months, "2024-03-to-2024-04", "rebuild_two", "2024-03:2024-04");
    }

    /**
     * A rebuild killed with {@code kill -9} half way (paced, so that it is still reading when its first checkpoint
     * completes), then run again with the same options: it resumes from its checkpoint, says so, and ends with every
     * table the replay's.
     */
    @Test
    void aRebuildKilledHalfWayResumesAndEndsTheSame() throws Exception {
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(
                config,
                "job:\n  checkpoint_interval_seconds: 1\n  checkpoint_dir: " + dir.resolve("checkpoints") + "\n");
        String profile = Path.of(RebuildITCase.class
                        .getResource("/profiles/small-2024-03")
                        .toURI())
                .toString();
        replay(profile, "2024-03", "rebuild_kill", config);
        List<String> rebuild = rebuildArguments(config, "rebuild_kill", null);

        Path log = dir.resolve("first-rebuild.log");
        List<String> paced = new ArrayList<>(rebuild);
        paced.addAll(List.of("--pace", "500"));
        Process first = asProcess(paced, log);
        try {
            Path checkpoints = dir.resolve("checkpoints").resolve("rebuild-rebuild_kill_rebuilt");
            await().atMost(Duration.ofMinutes(2)).until(() -> hasCompletedCheckpoint(checkpoints));
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no last checkpoint
        }
        assertThat(Files.readString(log))
                .as("the first rebuild, killed")
                .contains("Rebuilding")
                .doesNotContain("Rebuilt");

        String said = Cli.stdout(rebuild.toArray(String[]::new));
        assertThat(said)
                .contains("Resuming from")
                .contains("(resumed)")
                .contains("Rebuilt")
                .contains(" 0 refused");
        assertSameTables("rebuild_kill", "rebuild_kill_rebuilt");
    }

    private static boolean hasCompletedCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("_metadata"));
        }
    }

    /** {@code hotline ARGS} in a JVM of its own, as the launcher starts it. */
    private Process asProcess(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("..", "deploy", "jvm.options").toAbsolutePath(),
                "-Xmx1g",
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp",
                System.getProperty("java.class.path"),
                Hotline.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    void replayDeleteTopicsRebuild(String profile, String span, String db, String months) throws Exception {
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "job:\n  checkpoint_interval_seconds: 2\n");
        replay(profile, span, db, config);
        String said = Cli.stdout(rebuildArguments(config, db, months).toArray(String[]::new));
        assertThat(said).contains("Rebuilding").contains("Rebuilt").contains(" 0 refused");
        assertSameTables(db, db + "_rebuilt");
    }

    /** The profile replayed into {@code db}, then the replay's topics deleted: only ClickHouse holds the events. */
    void replay(String profile, String span, String db, Path config) throws Exception {
        Cli.stdout(
                "replay",
                "--config",
                config.toString(),
                "--profile",
                profile,
                "--database",
                db,
                "--clickhouse-url",
                SharedServices.clickhouse().httpUrl(),
                "--bootstrap-servers",
                SharedServices.kafka().bootstrapServers(),
                "--work-dir",
                dir.toString());
        try (Admin admin = LocalKafka.admin(SharedServices.kafka().bootstrapServers())) {
            List<String> topics = List.of("calls-" + span, "tickets-" + span, "alerts-" + span);
            admin.deleteTopics(topics).all().get();
            // the broker removes a deleted topic from its listing shortly after it acknowledged the deletion
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(admin.listTopics().names().get()).doesNotContainAnyElementsOf(topics));
        }
    }

    List<String> rebuildArguments(Path config, String db, String months) {
        List<String> rebuild = new ArrayList<>(List.of(
                "rebuild",
                "--config",
                config.toString(),
                "--from-database",
                db,
                "--database",
                db + "_rebuilt",
                "--clickhouse-url",
                SharedServices.clickhouse().httpUrl(),
                "--work-dir",
                dir.toString()));
        if (months != null) {
            rebuild.addAll(List.of("--months", months));
        }
        return rebuild;
    }

    /** Every table of {@code db} the job or the tools write, row for row in {@code rebuiltDb}. */
    static void assertSameTables(String db, String rebuiltDb) {
        try (ClickHouseSql ch = new ClickHouseSql(SharedServices.clickhouse().httpUrl(), "default", "")) {
            List<String> tables = ch
                    .rows("SELECT name FROM system.tables WHERE database = '" + db
                            + "' AND engine LIKE '%MergeTree' AND name != 'schema_migrations' ORDER BY name")
                    .stream()
                    .map(r -> r.get("name").asText())
                    .toList();
            assertThat(tables)
                    .contains("call_events", "ticket_events", "ticket_state", "alerts", "ticket_daily_metrics");
            for (String table : tables) {
                List<String> columns = ch
                        .rows("SELECT name FROM system.columns WHERE database = '" + db + "' AND table = '" + table
                                + "'")
                        .stream()
                        .map(r -> r.get("name").asText())
                        .filter(c -> !ASIDE.contains(c))
                        .toList();
                String select = "SELECT " + String.join(", ", columns) + " FROM %s." + table + " FINAL"
                        + (table.equals("unit_open_since") ? NONE_OPEN : "") + " ORDER BY "
                        + String.join(", ", columns);
                List<JsonNode> replayed = ch.rows(String.format(select, db));
                List<JsonNode> rebuilt = ch.rows(String.format(select, rebuiltDb));
                assertThat(rebuilt).as("%s, rebuilt", table).hasSameSizeAs(replayed);
                for (int i = 0; i < replayed.size(); i++) {
                    assertThat(rebuilt.get(i)).as("%s, row %d", table, i).isEqualTo(replayed.get(i));
                }
            }
            assertThat(ch.count("SELECT count() FROM " + db + ".alerts FINAL"))
                    .as("alerts to compare")
                    .isPositive();
            assertThat(ch.count("SELECT count() FROM " + db + ".ticket_events FINAL WHERE event_time_ms % 1000 != 0"))
                    .as("steps stored with their milliseconds")
                    .isPositive();
        }
    }
}
