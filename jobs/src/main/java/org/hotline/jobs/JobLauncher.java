package org.hotline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.events.CallEvent;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.alerts.AlertRules;
import org.hotline.jobs.alerts.AlertmanagerAlert;
import org.hotline.jobs.alerts.AlertmanagerClient;
import org.hotline.jobs.alerts.AlertmanagerDelivery;
import org.hotline.jobs.io.ClickHouseSinks;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.jobs.io.ReferenceUnits;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.Migrator;

/** Wires the real sources and sinks from the configuration and runs the job. */
public final class JobLauncher {
    private JobLauncher() {}

    /** Brings the ClickHouse schema up to date; safe to run every time. */
    public static void migrate(HotlineConfig.ClickHouse ch, Consumer<String> progress) {
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            new Migrator(sql, ch.database, ch.layout()).migrate(progress);
        }
    }

    /** The job on Kafka and ClickHouse, added to {@code env} (a MiniCluster, a local or a remote cluster). */
    public static void build(StreamExecutionEnvironment env, HotlineConfig config, KafkaSources.Reading reading) {
        build(env, config, reading, KafkaSources.alerts(config.kafka));
    }

    /** The same, with the alerts' second destination given (the Kafka topic, unless a test wants another). */
    public static void build(
            StreamExecutionEnvironment env,
            HotlineConfig config,
            KafkaSources.Reading reading,
            Sink<Alert> alertEvents) {
        Duration maxAhead = Duration.ofSeconds(config.job.maxAheadSeconds);
        build(
                env,
                config,
                KafkaSources.calls(config.kafka, reading, maxAhead),
                KafkaSources.tickets(config.kafka, reading, maxAhead),
                reading.bounded(),
                alertEvents);
    }

    /** The job over the sources given (Kafka's, or the events a database stores: {@code rebuild}). */
    public static void build(
            StreamExecutionEnvironment env,
            HotlineConfig config,
            Source<Sourced<CallEvent>, ?, ?> calls,
            Source<Sourced<TicketEvent>, ?, ?> tickets,
            boolean bounded,
            Sink<Alert> alertEvents) {
        runAs(env, config, bounded);
        HotlineConfig.ClickHouse ch = config.clickhouse;
        ClickHouseSinks sinks = new ClickHouseSinks(
                        ch.writer(),
                        ch.url,
                        ch.database,
                        ch.user,
                        ch.password,
                        config.job.sinkBatchSize,
                        config.job.sinkFlushIntervalMs)
                .onCluster(ch.layout());
        Map<String, String> groups = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            for (JsonNode r : sql.rows("SELECT unit_id, unit_group, name FROM " + ch.database + ".units FINAL")) {
                groups.put(r.get("unit_id").asText(), r.get("unit_group").asText());
                names.put(r.get("unit_id").asText(), r.get("name").asText());
            }
        }
        HotlineConfig.Alerts alerts = config.alerts;
        new HotlineJob(
                        calls,
                        tickets,
                        new ReferenceUnits(config.clickhouse),
                        sinks.all(alertEvents),
                        config.job.settings(),
                        alertRules(config, groups))
                .alertmanager(new AlertmanagerDelivery(
                        alerts.alertmanagerUrl,
                        Duration.ofSeconds(alerts.resendSeconds),
                        new AlertmanagerAlert.Directory(names, groups, alerts.wallboardLink(config.wallboard))))
                .build(env);
    }

    /**
     * The configuration's parallelism and checkpoints on {@code env}; a {@code bounded} run stops at its first failure.
     * Any job of the configuration runs so (the benchmark's peer too, with a consumer group of its own).
     */
    public static void runAs(StreamExecutionEnvironment env, HotlineConfig config, boolean bounded) {
        env.setParallelism(config.job.parallelism);
        env.enableCheckpointing(config.job.checkpointIntervalSeconds * 1000L);
        // Checkpoints go to files (a month of ticket state is more than the JobManager's memory takes), and the
        // last one is kept when the job is cancelled, so that it can be resumed from there.
        Configuration checkpoints = new Configuration();
        checkpoints.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        checkpoints.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpointDir(config).toUri().toString());
        checkpoints.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (bounded) {
            // A replay that fails stops with its cause instead of restarting (once because a restored bounded Kafka
            // source never ended, FLINK-31006; EndingKafkaSource ends it now): run it again, or resume it with
            // `run --until-end`.
            checkpoints.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        env.configure(checkpoints);
    }

    /** The configured or built-in alert rules, with each unit's group as ClickHouse's reference data has it. */
    static AlertRules alertRules(HotlineConfig config, Map<String, String> groups) {
        String file = config.job.alertRules;
        return AlertRules.load(file == null || file.isBlank() ? null : Path.of(file), groups);
    }

    /**
     * Where this job's checkpoints go: a folder per consumer group (one stateful run, whose offsets go with its
     * state) under the configured folder, or under {@code checkpoints} in the JVM's scratch folder (var/ or
     * target/). So a replay's checkpoints are never resumed by the live job, nor the other way round.
     */
    public static Path checkpointDir(HotlineConfig config) {
        String configured = config.job.checkpointDir;
        Path base = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "checkpoints")
                : Path.of(configured);
        return base.resolve(config.kafka.groupId.replaceAll("[^A-Za-z0-9._-]", "_"))
                .toAbsolutePath();
    }

    /** Migrates, then starts the job and returns at once; the client cancels or awaits it. */
    public static JobClient start(
            StreamExecutionEnvironment env,
            HotlineConfig config,
            KafkaSources.Reading reading,
            Consumer<String> progress)
            throws Exception {
        migrate(config.clickhouse, progress);
        String alertmanager = config.alerts.alertmanagerUrl;
        if (alertmanager != null && !alertmanager.isBlank()) {
            String warning = AlertmanagerClient.check(alertmanager); // a wrong address is refused here
            progress.accept(warning != null ? "Warning: " + warning : "Alerts go to Alertmanager at " + alertmanager);
        }
        build(env, config, reading);
        return execute(env, config, "hotline");
    }

    /** Starts the job built on {@code env}, recording beside its checkpoints the figures it counts. */
    public static JobClient execute(StreamExecutionEnvironment env, HotlineConfig config, String name)
            throws Exception {
        JobClient job = env.executeAsync(name);
        FigureLayout.record(checkpointDir(config).resolve(job.getJobID().toString()));
        return job;
    }
}
