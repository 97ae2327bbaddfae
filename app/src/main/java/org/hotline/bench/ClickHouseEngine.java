package org.hotline.bench;

import java.util.List;
import java.util.function.Consumer;
import org.hotline.config.HotlineConfig;
import org.hotline.sql.ClickHouseSql;

/**
 * What a ClickHouse user would do instead of Flink: ClickHouse's own Kafka table engine reading both
 * topics, a materialized view moving each row into a MergeTree. Only ingestion: no deduplication, no
 * ticket life, no per-minute counts. Its consumer group is set to offset 0 first, since the engine
 * otherwise starts at the end of the topic without a word.
 */
final class ClickHouseEngine {

    private static final String CALL_COLUMNS =
            "event_id String, schema_version UInt16, event_type String, event_time String, "
                    + "call_id String, line String, caller_region String, agent_id Nullable(String), wait_seconds Nullable(UInt32), "
                    + "talk_seconds Nullable(UInt32)";
    private static final String TICKET_COLUMNS =
            "event_id String, schema_version UInt16, event_type String, event_time String, "
                    + "ticket_id String, call_id Nullable(String), channel Nullable(String), request_type Nullable(String), "
                    + "category Nullable(String), topic Nullable(String), region Nullable(String), unit_id Nullable(String)";

    private final HotlineConfig config;
    private final Consumer<String> out;

    ClickHouseEngine(HotlineConfig config, Consumer<String> out) {
        this.config = config;
        this.out = out;
    }

    /** Rows per second until all {@code events} are in the MergeTrees, and the seconds until the first were readable. */
    double[] ingest(long events, int consumers) throws Exception {
        String db = config.clickhouse.database + "_engine" + consumers;
        String group = db + "-" + System.nanoTime();
        String broker = config.kafka.bootstrapServers;
        Benchmark.startGroupAtZero(config, group, List.of(config.kafka.callsTopic, config.kafka.ticketsTopic));
        try (ClickHouseSql ch =
                new ClickHouseSql(config.clickhouse.url, config.clickhouse.user, config.clickhouse.password)) {
            ch.execute("DROP DATABASE IF EXISTS " + db);
            ch.execute("CREATE DATABASE " + db);
            for (String[] t : List.of(
                    new String[] {"calls", config.kafka.callsTopic, CALL_COLUMNS, "call_id"},
                    new String[] {"tickets", config.kafka.ticketsTopic, TICKET_COLUMNS, "ticket_id"})) {
                ch.execute("CREATE TABLE " + db + "." + t[0] + " (" + t[2] + ") ENGINE = MergeTree ORDER BY " + t[3]);
                ch.execute("CREATE TABLE " + db + "." + t[0] + "_queue (" + t[2]
                        + ") ENGINE = Kafka SETTINGS kafka_broker_list = '"
                        + broker + "', kafka_topic_list = '" + t[1] + "', kafka_group_name = '" + group
                        + "', kafka_format = 'JSONEachRow', kafka_num_consumers = " + consumers);
            }
            long start = System.nanoTime();
            ch.execute("CREATE MATERIALIZED VIEW " + db + ".calls_mv TO " + db + ".calls AS SELECT * FROM " + db
                    + ".calls_queue");
            ch.execute("CREATE MATERIALIZED VIEW " + db + ".tickets_mv TO " + db + ".tickets AS SELECT * FROM " + db
                    + ".tickets_queue");
            double firstReadable = -1;
            long rows = 0;
            long lastReport = start;
            while (rows < events) {
                Thread.sleep(100);
                rows = ch.count("SELECT count() FROM " + db + ".calls")
                        + ch.count("SELECT count() FROM " + db + ".tickets");
                if (rows > 0 && firstReadable < 0) {
                    firstReadable = Benchmark.seconds(start);
                }
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    out.accept(String.format(
                            "  ClickHouse engine (%d consumers): %,d of %,d rows", consumers, rows, events));
                }
                if (Benchmark.seconds(start) > 600) {
                    throw new IllegalStateException(
                            "the ClickHouse Kafka engine ingested " + rows + " of " + events + " rows in 10 minutes");
                }
            }
            double rate = events / Benchmark.seconds(start);
            ch.execute("DROP DATABASE " + db);
            return new double[] {rate, firstReadable};
        }
    }
}
