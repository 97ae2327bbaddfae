package org.hotline.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.curator.test.TestingServer;
import org.hotline.deploy.LocalClickHouse;
import org.hotline.deploy.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema on a real ClickHouse cluster: a ZooKeeper, and three servers in a cluster {@code hotline}
 * of two shards, the first with two replicas (a, b), the second with one (c). The migrator runs once,
 * through server a, and every server ends up with the same tables: replicated local tables, the
 * distributed tables over them under the names the job and the views use, and the reference tables
 * whole on each. Rows written through one server are read through another with the same figures.
 */
class ClusterMigratorITCase {

    private static final String DB = "clustered";
    private static TestingServer zookeeper;
    private static final List<LocalClickHouse> servers = new ArrayList<>();
    private static final List<ClickHouseSql> sql = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "cluster-")
                .toAbsolutePath();
        // every port chosen at once: a server's ports must not be handed out again before it has bound them
        int[] ports = Ports.free(10);
        zookeeper = new TestingServer(ports[9], root.resolve("zookeeper").toFile());
        String[][] layout = {{"01", "a"}, {"01", "b"}, {"02", "c"}};
        int[] tcp = {ports[0], ports[1], ports[2]};
        String remote = "<remote_servers><hotline>"
                + "<shard><internal_replication>true</internal_replication>"
                + replica(tcp[0]) + replica(tcp[1]) + "</shard>"
                + "<shard><internal_replication>true</internal_replication>" + replica(tcp[2]) + "</shard>"
                + "</hotline></remote_servers>";
        for (int i = 0; i < layout.length; i++) {
            Path dir = root.resolve(layout[i][1]);
            Files.createDirectories(dir.resolve("config/config.d"));
            Files.writeString(
                    dir.resolve("config/config.d/cluster.xml"),
                    "<?xml version=\"1.0\"?>\n<yandex>"
                            + "<zookeeper><node><host>127.0.0.1</host><port>" + zookeeper.getPort()
                            + "</port></node></zookeeper>"
                            + "<macros><shard>" + layout[i][0] + "</shard><replica>" + layout[i][1]
                            + "</replica></macros>"
                            + "<interserver_http_host>127.0.0.1</interserver_http_host>"
                            + "<interserver_http_port>" + ports[3 + i] + "</interserver_http_port>"
                            + "<distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>"
                            + remote + "</yandex>\n",
                    StandardCharsets.UTF_8);
            LocalClickHouse server = LocalClickHouse.start(dir, ports[6 + i], tcp[i]);
            servers.add(server);
            sql.add(new ClickHouseSql(server.httpUrl(), "default", ""));
        }
    }

    private static String replica(int tcpPort) {
        return "<replica><host>127.0.0.1</host><port>" + tcpPort + "</port></replica>";
    }

    @AfterAll
    static void stopCluster() throws Exception {
        sql.forEach(ClickHouseSql::close);
        servers.forEach(LocalClickHouse::close);
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void migratesEveryServerAndShardsRowsByTheirKey() {
        ClickHouseSql a = sql.get(0);
        ClickHouseSql b = sql.get(1);
        ClickHouseSql c = sql.get(2);
        List<Migration> applied = new Migrator(a, DB, ClusterLayout.of("hotline")).migrate(s -> {});
        assertThat(applied).hasSameSizeAs(Migrator.bundled());

        // The oracle: the same migrations on one server (server a, another database), plus a local twin per sharded
        // table.
        new Migrator(a, "single").migrate(s -> {});
        Map<String, String> single = engines(a, "single");
        Map<String, String> expected = new TreeMap<>();
        single.forEach((table, engine) -> {
            if (engine.endsWith("MergeTree") && !ClusterLayout.EVERYWHERE.contains(table)) {
                expected.put(table, "Distributed");
                expected.put(table + "_local", "Replicated" + engine);
            } else {
                expected.put(table, engine.endsWith("MergeTree") ? "Replicated" + engine : engine);
            }
        });
        assertThat(expected)
                .containsEntry("ticket_daily_metrics", "Distributed")
                .containsEntry("ticket_daily_metrics_local", "ReplicatedReplacingMergeTree")
                .containsEntry("units", "ReplicatedReplacingMergeTree")
                .containsEntry("city_daily", "View");
        Map<String, String> singleColumns = columns(a, "single");
        assertThat(singleColumns.get("unit_open_since")).contains("open_due"); // a column added by a later migration
        for (ClickHouseSql server : sql) {
            assertThat(engines(server, DB)).isEqualTo(expected);
            Map<String, String> clustered = columns(server, DB);
            clustered.keySet().removeIf(t -> t.endsWith("_local"));
            assertThat(clustered).as("every table's columns, as on one server").isEqualTo(singleColumns);
        }
        // Recorded once for the whole cluster: through another server there is nothing left to apply.
        assertThat(new Migrator(c, DB, ClusterLayout.of("hotline")).migrate(s -> {}))
                .isEmpty();

        // Day rows through server a, each key written two or three times with growing versions: only the last counts.
        Random random = new Random(16);
        StringBuilder tsv = new StringBuilder();
        Map<String, long[]> truth = new HashMap<>(); // day|dimension|value -> created, completed
        List<String> columns = new ArrayList<>(List.of("day", "dimension", "value", "created", "completed", "version"));
        int keys = 0;
        for (String dimension : List.of("all", "channel", "category", "unit")) {
            for (int v = 0; v < 40; v++) {
                for (String day : List.of("2023-09-01", "2023-09-02")) {
                    int writes = 2 + random.nextInt(2);
                    long created = 0;
                    long completed = 0;
                    for (int w = 1; w <= writes; w++) {
                        created = random.nextInt(50);
                        completed = random.nextInt(50);
                        tsv.append(day)
                                .append('\t')
                                .append(dimension)
                                .append('\t')
                                .append("v" + v)
                                .append('\t')
                                .append(created)
                                .append('\t')
                                .append(completed)
                                .append('\t')
                                .append(w)
                                .append('\n');
                    }
                    keys++;
                    if (!dimension.equals("unit")) {
                        truth.put(day + "|" + dimension + "|v" + v, new long[] {created, completed});
                    }
                }
            }
        }
        byte[] rows = tsv.toString().getBytes(StandardCharsets.UTF_8);
        a.insertTabSeparated(DB + ".ticket_daily_metrics", columns, rows);
        a.execute("INSERT INTO " + DB
                + ".units (unit_id, name, unit_group, updated_at) VALUES ('u1', '雨湖区', 'district', now())");

        // Read through server c (the other shard): every key once, with its last version, and the view's sums equal the
        // truth.
        int expectedKeys = keys;
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(c.count("SELECT count() FROM " + DB + ".ticket_daily_metrics FINAL"))
                        .isEqualTo(expectedKeys));
        Map<String, long[]> viewed = new HashMap<>();
        for (JsonNode r : c.rows(
                "SELECT toString(day) AS day, dimension, value, created, completed FROM " + DB + ".city_daily")) {
            viewed.put(
                    r.get("day").asText() + "|" + r.get("dimension").asText() + "|"
                            + r.get("value").asText(),
                    new long[] {r.get("created").asLong(), r.get("completed").asLong()});
        }
        assertThat(viewed.keySet()).isEqualTo(truth.keySet());
        truth.forEach((k, t) -> assertThat(viewed.get(k)).as(k).containsExactly(t));

        // Both shards hold rows; replica b holds exactly what a holds; the reference row is whole on every server.
        b.execute("SYSTEM SYNC REPLICA " + DB + ".ticket_daily_metrics_local");
        long onA = a.count("SELECT count() FROM " + DB + ".ticket_daily_metrics_local");
        long onC = c.count("SELECT count() FROM " + DB + ".ticket_daily_metrics_local");
        assertThat(onA).isPositive();
        assertThat(onC).isPositive();
        assertThat(onA + onC).isEqualTo(rows(tsv));
        assertThat(b.count("SELECT count() FROM " + DB + ".ticket_daily_metrics_local"))
                .isEqualTo(onA);
        for (ClickHouseSql server : sql) {
            server.execute("SYSTEM SYNC REPLICA " + DB + ".units");
            assertThat(server.scalar("SELECT name FROM " + DB + ".units FINAL WHERE unit_id = 'u1'"))
                    .isEqualTo("雨湖区");
        }
    }

    private static long rows(CharSequence tsv) {
        return tsv.chars().filter(ch -> ch == '\n').count();
    }

    /** Each table's columns, in order. */
    private static Map<String, String> columns(ClickHouseSql server, String db) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : server.rows("SELECT table, name, type FROM system.columns WHERE database = '" + db + "'")) {
            out.merge(
                    r.get("table").asText(),
                    r.get("name").asText() + " " + r.get("type").asText(),
                    (x, y) -> x + ", " + y);
        }
        return out;
    }

    private static Map<String, String> engines(ClickHouseSql server, String db) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : server.rows("SELECT name, engine FROM system.tables WHERE database = '" + db + "'")) {
            out.put(r.get("name").asText(), r.get("engine").asText());
        }
        return out;
    }
}
