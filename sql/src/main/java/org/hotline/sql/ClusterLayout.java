package org.hotline.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the schema is laid out: on one server (no cluster) the migrations run as written; on a cluster
 * (a name from the servers' {@code <remote_servers>}) each statement runs {@code ON CLUSTER}, and
 * every MergeTree table becomes two:
 * <ul>
 *   <li>{@code t_local}, a Replicated table on every server, its rows replicated within a shard
 *       (ZooKeeper path {@code /clickhouse/tables/{shard}/db/t}, replica {@code {replica}}, from the
 *       servers' {@code <macros>});</li>
 *   <li>{@code t}, a Distributed table over them, sharded by a hash of the table's ORDER BY key, so that
 *       all versions of a row meet on one shard and {@code FINAL} keeps the right one.</li>
 * </ul>
 * Writers and readers keep using {@code t}: the job, the views, the wallboard and analysts' SQL do not
 * change. The small reference tables listed in {@link #EVERYWHERE} instead keep their name and are
 * replicated whole to every server, so that joins with them stay local to each shard.
 */
public record ClusterLayout(String cluster) implements java.io.Serializable {

    /** Tables that every server holds whole: reference data joined with the sharded facts, and the migrations' record. */
    public static final Set<String> EVERYWHERE =
            Set.of("units", "office_inputs", "published_months", "assessment", "schema_migrations");

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?s)CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+)\\s*(\\(.*\\))\\s*ENGINE = (\\w*MergeTree)(?:\\(([^)]*)\\))?(.*)");
    private static final Pattern CREATE_VIEW = Pattern.compile("(?s)CREATE VIEW IF NOT EXISTS (\\w+)\\.(\\w+) AS(.*)");
    private static final Pattern ADD_COLUMN = Pattern.compile("(?s)ALTER TABLE (\\w+)\\.(\\w+) (ADD COLUMN (\\w+) .*)");
    private static final Pattern ORDER_BY = Pattern.compile("(?s)ORDER BY\\s*(\\([^)]*\\)|\\w+)");

    /** One server, no cluster. */
    public static final ClusterLayout SINGLE = new ClusterLayout(null);

    public ClusterLayout {
        if (cluster != null && cluster.isBlank()) {
            cluster = null;
        }
        if (cluster != null) {
            ClickHouseSql.database(cluster); // same rule: it stands in SQL as it is
        }
    }

    /** The layout for a configured cluster name; empty or null: one server. */
    public static ClusterLayout of(String cluster) {
        return new ClusterLayout(cluster);
    }

    public boolean clustered() {
        return cluster != null;
    }

    /** {@code " ON CLUSTER name"}, or nothing on one server: for DDL run on every server. */
    public String onCluster() {
        return clustered() ? " ON CLUSTER " + cluster : "";
    }

    /** The table that holds {@code table}'s rows on each server: what partitions are dropped from and mutations run on. */
    public String local(String table) {
        return clustered() && !EVERYWHERE.contains(table) ? table + "_local" : table;
    }

    /** The statements that do on this layout what {@code statement} does on one server. */
    public List<String> rewrite(String statement) {
        if (!clustered()) {
            return List.of(statement);
        }
        Matcher table = CREATE_TABLE.matcher(statement.strip());
        if (table.matches()) {
            return createTable(
                    table.group(1), table.group(2), table.group(3), table.group(4), table.group(5), table.group(6));
        }
        Matcher view = CREATE_VIEW.matcher(statement.strip());
        if (view.matches()) {
            return List.of("CREATE VIEW IF NOT EXISTS " + view.group(1) + "." + view.group(2) + onCluster() + " AS"
                    + view.group(3));
        }
        // a column added to a table every server holds whole (a sharded one: addColumn)
        Matcher add = ADD_COLUMN.matcher(statement.strip());
        if (add.matches() && local(add.group(2)).equals(add.group(2))) {
            return List.of("ALTER TABLE " + add.group(1) + "." + add.group(2) + onCluster() + " " + add.group(3));
        }
        // data copied from table to table: once, through the distributed tables, which shard it by its key
        if (statement.strip().startsWith("INSERT INTO ")) {
            return List.of(statement);
        }
        // a view replaced by a later migration (views only: a table has a local and a distributed part)
        if (statement.strip().startsWith("CREATE DATABASE IF NOT EXISTS ")
                || statement.strip().startsWith("DROP TABLE IF EXISTS ")) {
            return List.of(statement.strip() + onCluster());
        }
        throw new IllegalArgumentException("no cluster form for this statement (only CREATE DATABASE, CREATE TABLE ... "
                + "ENGINE = *MergeTree, ALTER TABLE ... ADD COLUMN, CREATE VIEW, DROP TABLE of a view and INSERT INTO "
                + "have one): " + statement);
    }

    /** {@code ALTER TABLE db.table ADD COLUMN name ...}: the database, the table, what is added and its name. */
    public static Matcher addColumn(String statement) {
        return ADD_COLUMN.matcher(statement.strip());
    }

    /**
     * A column added to a sharded table: to its replicated table on every server, and the distributed table over them
     * (which 18.16 cannot alter ON CLUSTER; it holds no rows) made again with the column, with {@code distributed},
     * its engine as it was ({@code system.tables.engine_full}).
     */
    public List<String> addColumn(String db, String table, String addition, String distributed) {
        return List.of(
                "ALTER TABLE " + db + "." + local(table) + onCluster() + " " + addition,
                "DROP TABLE IF EXISTS " + db + "." + table + onCluster(),
                "CREATE TABLE IF NOT EXISTS " + db + "." + table + onCluster() + " AS " + db + "." + local(table)
                        + "\nENGINE = " + distributed);
    }

    private List<String> createTable(
            String db, String name, String columns, String engine, String engineArgs, String rest) {
        String everywhere = EVERYWHERE.contains(name) ? "all" : "{shard}";
        List<String> args = new ArrayList<>(
                List.of("'/clickhouse/tables/" + everywhere + "/" + db + "/" + name + "'", "'{replica}'"));
        if (engineArgs != null && !engineArgs.isBlank()) {
            args.add(engineArgs.strip());
        }
        String local = local(name);
        String replicated = "CREATE TABLE IF NOT EXISTS " + db + "." + local + onCluster() + " " + columns
                + "\nENGINE = Replicated" + engine + "(" + String.join(", ", args) + ")" + rest;
        if (local.equals(name)) {
            return List.of(replicated);
        }
        Matcher order = ORDER_BY.matcher(rest);
        if (!order.find()) {
            throw new IllegalArgumentException("table " + name + " has no ORDER BY to shard by");
        }
        String key = order.group(1).startsWith("(")
                ? order.group(1).substring(1, order.group(1).length() - 1)
                : order.group(1);
        return List.of(
                replicated,
                "CREATE TABLE IF NOT EXISTS " + db + "." + name + onCluster() + " AS " + db + "." + local
                        + "\nENGINE = Distributed(" + cluster + ", " + db + ", " + local + ", cityHash64(" + key
                        + "))");
    }
}
