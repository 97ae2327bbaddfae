package org.hotline.jobs;

import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.Migrator;

/** Wires the real sources and sinks from the configuration and runs the job. */
public final class JobLauncher {
    private JobLauncher() {}

    /** Brings the ClickHouse schema up to date; safe to run every time. */
    public static void migrate(HotlineConfig.ClickHouse ch, Consumer<String> progress) {
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            new Migrator(sql, ch.database).migrate(progress);
        }
    }

    /** The job on Kafka and ClickHouse, added to {@code env} (a MiniCluster, a local or a remote cluster). */
    public static void build(StreamExecutionEnvironment env, HotlineConfig config, KafkaSources.Reading reading) {
        env.setParallelism(config.job.parallelism);
        env.enableCheckpointing(config.job.checkpointIntervalSeconds * 1000L);
        HotlineConfig.ClickHouse ch = config.clickhouse;
        ClickHouseSinks sinks = new ClickHouseSinks(ch.url, ch.database, ch.user, ch.password, config.job.sinkBatchSize,
                config.job.sinkFlushIntervalMs);
        new HotlineJob(KafkaSources.calls(config.kafka, reading), KafkaSources.tickets(config.kafka, reading), sinks.all(),
                config.job.settings()).build(env);
    }

    /** Migrates, then starts the job and returns at once; the client cancels or awaits it. */
    public static JobClient start(StreamExecutionEnvironment env, HotlineConfig config, KafkaSources.Reading reading,
            Consumer<String> progress) throws Exception {
        migrate(config.clickhouse, progress);
        build(env, config, reading);
        return env.executeAsync("hotline");
    }
}
