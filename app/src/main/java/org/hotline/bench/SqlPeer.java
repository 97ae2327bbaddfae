package org.hotline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.io.ClickHouseJdbcSink;
import org.hotline.sql.ClickHouseSql;

/**
 * The peer the job is measured against: what a Flink user would write instead for the figures a peer can express, in
 * Flink SQL over the same topics. Kafka JSON sources with a watermark, TUMBLE windows, and Flink's JDBC connector into
 * ClickHouse ({@link ClickHouseJdbcDialect}): per minute, line and caller region the calls offered, answered and
 * abandoned with their waits and talk time, the same per quarter hour, and per minute the tickets created by category
 * and dispatched by unit. It has none of the job's guarantees: no deduplication, late events dropped, bad records
 * skipped silently, rows appended at least once; it is a measure of cost, not a second pipeline.
 */
final class SqlPeer {

    /** The figures the peer and the job both compute, summed over everything: {@link #totals} and {@link #jobTotals}. */
    static final List<String> TOTALS = List.of(
            "offered", "answered", "abandoned", "answered_wait_sum", "talk_seconds_sum", "created", "dispatched");

    private final HotlineConfig config;
    private final String database;
    private final Configuration flink;

    /** The peer reads the topics of {@code config} and writes into its own {@code database}. */
    SqlPeer(HotlineConfig config, String database) {
        this(config, database, new Configuration());
    }

    /**
     * The same, its Flink environment made with {@code flink} (the state backend the job is measured with). Its consumer
     * group, and so its checkpoints' folder, is named after its database.
     */
    SqlPeer(HotlineConfig config, String database, Configuration flink) {
        this.config = config.copy();
        this.config.kafka.groupId = database;
        this.database = database;
        this.flink = flink;
    }

    /** Makes the peer's tables (empty), then runs it over the topics until their ends: the calls alone, or both. */
    void run(boolean callsOnly) throws Exception {
        HotlineConfig.ClickHouse ch = config.clickhouse;
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            sql.execute("DROP DATABASE IF EXISTS " + database);
            sql.execute("CREATE DATABASE " + database);
            for (String table : List.of("call_minutes", "call_quarters")) {
                sql.execute("CREATE TABLE " + database + "." + table
                        + " (window_start DateTime, line String, caller_region String, offered UInt64, answered UInt64,"
                        + " abandoned UInt64, answered_wait_sum UInt64, answered_wait_max UInt32,"
                        + " abandoned_wait_sum UInt64, abandoned_wait_max UInt32, talk_seconds_sum UInt64)"
                        + " ENGINE = MergeTree() PARTITION BY toYYYYMM(window_start)"
                        + " ORDER BY (window_start, line, caller_region)");
            }
            sql.execute("CREATE TABLE " + database + ".tickets_created (window_start DateTime, category String,"
                    + " created UInt64) ENGINE = MergeTree() PARTITION BY toYYYYMM(window_start)"
                    + " ORDER BY (window_start, category)");
            sql.execute("CREATE TABLE " + database + ".unit_dispatches (window_start DateTime, unit_id String,"
                    + " dispatched UInt64) ENGINE = MergeTree() PARTITION BY toYYYYMM(window_start)"
                    + " ORDER BY (window_start, unit_id)");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        JobLauncher.runAs(env, config, true); // as the job runs: parallelism, checkpoints; a failure ends the run
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.local-time-zone", "Asia/Shanghai");
        tables.getConfig().set("table.exec.source.idle-timeout", config.job.idlenessSeconds + " s");
        tables.getConfig().set("pipeline.name", "hotline-sql-peer");
        for (String ddl : ddl()) {
            tables.executeSql(ddl);
        }
        StatementSet inserts = tables.createStatementSet();
        for (String table : List.of("call_minutes", "call_quarters")) {
            inserts.addInsertSql("INSERT INTO " + table + " SELECT window_start, line, caller_region,"
                    + " COUNT(*) FILTER (WHERE event_type = 'offered'),"
                    + " COUNT(*) FILTER (WHERE event_type = 'answered'),"
                    + " COUNT(*) FILTER (WHERE event_type = 'abandoned'),"
                    + " COALESCE(SUM(CAST(wait_seconds AS BIGINT)) FILTER (WHERE event_type = 'answered'), 0),"
                    + " COALESCE(MAX(wait_seconds) FILTER (WHERE event_type = 'answered'), 0),"
                    + " COALESCE(SUM(CAST(wait_seconds AS BIGINT)) FILTER (WHERE event_type = 'abandoned'), 0),"
                    + " COALESCE(MAX(wait_seconds) FILTER (WHERE event_type = 'abandoned'), 0),"
                    + " COALESCE(SUM(CAST(talk_seconds AS BIGINT)) FILTER (WHERE event_type = 'ended'), 0)"
                    + " FROM TABLE(TUMBLE(TABLE calls, DESCRIPTOR(ts), INTERVAL '"
                    + (table.equals("call_minutes") ? 1 : 15) + "' MINUTE))"
                    + " GROUP BY window_start, window_end, line, caller_region");
        }
        if (!callsOnly) {
            inserts.addInsertSql("INSERT INTO tickets_created SELECT window_start, category, COUNT(*)"
                    + " FROM TABLE(TUMBLE(TABLE tickets, DESCRIPTOR(ts), INTERVAL '1' MINUTE))"
                    + " WHERE event_type = 'created' AND category IS NOT NULL"
                    + " GROUP BY window_start, window_end, category");
            inserts.addInsertSql("INSERT INTO unit_dispatches SELECT window_start, unit_id, COUNT(*)"
                    + " FROM TABLE(TUMBLE(TABLE tickets, DESCRIPTOR(ts), INTERVAL '1' MINUTE))"
                    + " WHERE event_type = 'dispatched'"
                    + " GROUP BY window_start, window_end, unit_id");
        }
        inserts.execute().await();
    }

    /** The sources (bounded: read to the ends the topics have now) and the JDBC sinks. */
    private List<String> ddl() {
        HotlineConfig.Kafka kafka = config.kafka;
        StringBuilder kafkaOptions = new StringBuilder("'connector' = 'kafka', 'properties.bootstrap.servers' = '"
                + kafka.bootstrapServers + "', 'properties.group.id' = '" + kafka.groupId
                + "', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',"
                + " 'format' = 'json', 'json.ignore-parse-errors' = 'true'");
        for (Map.Entry<String, String> p : kafka.properties.entrySet()) {
            kafkaOptions
                    .append(", 'properties.")
                    .append(p.getKey())
                    .append("' = '")
                    .append(p.getValue())
                    .append("'");
        }
        // the event time as the city's local time (every event carries the city's offset), to the second
        String eventTime = "ts AS CAST(REPLACE(SUBSTRING(event_time, 1, 19), 'T', ' ') AS TIMESTAMP(3)),"
                + " WATERMARK FOR ts AS ts - INTERVAL '" + config.job.outOfOrdernessSeconds + "' SECOND";
        HotlineConfig.ClickHouse ch = config.clickhouse;
        String jdbc = "'connector' = 'jdbc', 'url' = '" + ClickHouseJdbcSink.jdbcUrl(ch.url) + "', 'username' = '"
                + ch.user + "', 'password' = '" + ch.password + "', 'sink.buffer-flush.max-rows' = '"
                + config.job.sinkBatchSize + "', 'sink.buffer-flush.interval' = '" + config.job.sinkFlushIntervalMs
                + "ms', 'table-name' = '" + database + ".";
        String callFigures = "window_start TIMESTAMP(3), line STRING, caller_region STRING, offered BIGINT,"
                + " answered BIGINT, abandoned BIGINT, answered_wait_sum BIGINT, answered_wait_max INT,"
                + " abandoned_wait_sum BIGINT, abandoned_wait_max INT, talk_seconds_sum BIGINT";
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TEMPORARY TABLE calls (event_type STRING, event_time STRING, call_id STRING, line STRING,"
                + " caller_region STRING, wait_seconds INT, talk_seconds INT, " + eventTime + ") WITH ("
                + kafkaOptions + ", 'topic' = '" + kafka.callsTopic + "')");
        ddl.add("CREATE TEMPORARY TABLE tickets (event_type STRING, event_time STRING, ticket_id STRING,"
                + " category STRING, unit_id STRING, " + eventTime + ") WITH (" + kafkaOptions + ", 'topic' = '"
                + kafka.ticketsTopic + "')");
        ddl.add("CREATE TEMPORARY TABLE call_minutes (" + callFigures + ") WITH (" + jdbc + "call_minutes')");
        ddl.add("CREATE TEMPORARY TABLE call_quarters (" + callFigures + ") WITH (" + jdbc + "call_quarters')");
        ddl.add("CREATE TEMPORARY TABLE tickets_created (window_start TIMESTAMP(3), category STRING, created BIGINT)"
                + " WITH (" + jdbc + "tickets_created')");
        ddl.add("CREATE TEMPORARY TABLE unit_dispatches (window_start TIMESTAMP(3), unit_id STRING,"
                + " dispatched BIGINT) WITH (" + jdbc + "unit_dispatches')");
        return ddl;
    }

    /** The peer's figures summed over everything it wrote, in {@link #TOTALS} order (its quarter hours for the calls). */
    long[] totals() {
        return sums(
                "SELECT sum(offered), sum(answered), sum(abandoned), sum(answered_wait_sum), sum(talk_seconds_sum)"
                        + " FROM " + database + ".call_quarters",
                "SELECT sum(created) FROM " + database + ".tickets_created",
                "SELECT sum(dispatched) FROM " + database + ".unit_dispatches");
    }

    /** The same figures from what the job wrote into {@code jobDatabase}: its quarter hours and its days. */
    long[] jobTotals(String jobDatabase) {
        return sums(
                "SELECT sum(offered), sum(answered), sum(abandoned), sum(answered_wait_sum), sum(talk_seconds_sum)"
                        + " FROM " + jobDatabase + ".call_quarter_metrics FINAL",
                "SELECT sum(created) FROM " + jobDatabase + ".ticket_daily_metrics FINAL WHERE dimension = 'all'",
                "SELECT sum(dispatches) FROM " + jobDatabase + ".ticket_daily_metrics FINAL WHERE dimension = 'unit'");
    }

    private long[] sums(String... queries) {
        HotlineConfig.ClickHouse ch = config.clickhouse;
        long[] out = new long[TOTALS.size()];
        int i = 0;
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            for (String q : queries) {
                var row = sql.rows(q).get(0);
                for (var it = row.elements(); it.hasNext(); ) {
                    out[i++] = it.next().asLong();
                }
            }
        }
        return out;
    }
}
