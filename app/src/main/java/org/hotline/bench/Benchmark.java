package org.hotline.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.io.ClickHouseSinks;
import org.hotline.simulator.KafkaPlayback;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;

/**
 * The benchmark: the same generated events (months of a profile) measured several ways on this machine,
 * one after another: a plain Kafka consumer that only reads and parses (the ceiling), ClickHouse's own
 * Kafka engine with a materialized view (what a ClickHouse user would do instead), the whole pipeline
 * from Kafka to ClickHouse, the same figures' part in Flink SQL (what a Flink user would write instead,
 * {@link SqlPeer}), and the latency of the pipeline at a steady live rate.
 */
public final class Benchmark {

    /** What one run measured. */
    public record Result(
            long events,
            double ceiling1,
            double ceiling2,
            double engine1,
            double engine2,
            double engineReadableS,
            double pipeline,
            double pipelineSteady,
            double rowsPerEvent,
            double[] latencyMs,
            double[] wallboardMs,
            double writerNative,
            double writerJdbc,
            Cost cost) {

        /** The figures on one line; one not measured reads {@code n/a}. */
        public String machineReadable() {
            return String.format(
                    "pipeline_events_per_s=%s pipeline_steady_events_per_s=%s ceiling_events_per_s=%s "
                            + "clickhouse_engine_rows_per_s=%s ratio=%s latency_p50_ms=%s latency_p99_ms=%s wallboard_read_ms_1m=%s "
                            + "wallboard_read_ms_36m=%s rows_per_event=%s writer_native_rows_per_s=%s "
                            + "writer_jdbc_rows_per_s=%s flink_calls_cpu_us_per_event=%s "
                            + "peer_sql_calls_cpu_us_per_event=%s flink_steady_cpu_us_per_event=%s flink_cpu_us_per_event=%s "
                            + "peer_sql_cpu_us_per_event=%s",
                    whole(pipeline),
                    whole(pipelineSteady),
                    whole(ceiling2),
                    whole(engine2),
                    Double.isNaN(pipeline / ceiling2) ? "n/a" : String.format("%.3f", pipeline / ceiling2),
                    whole(latencyMs[0]),
                    whole(latencyMs[2]),
                    whole(wallboardMs[0]),
                    whole(wallboardMs[1]),
                    Double.isNaN(rowsPerEvent) ? "n/a" : String.format("%.2f", rowsPerEvent),
                    whole(writerNative),
                    whole(writerJdbc),
                    tenths(cost.jobCalls()),
                    tenths(cost.peerCalls()),
                    tenths(cost.jobSteady()),
                    tenths(cost.job()),
                    tenths(cost.peer()));
        }

        private static String tenths(double figure) {
            return Double.isNaN(figure) ? "n/a" : String.format("%.1f", figure);
        }

        private static String whole(double figure) {
            return Double.isNaN(figure) ? "n/a" : Long.toString(Math.round(figure));
        }
    }

    /**
     * The job's CPU per event (µs, the benchmark's JVM) on both topics (over the whole run and in steady state) and on
     * the calls alone, and the Flink SQL peer's ({@link SqlPeer}) on the same events and on the calls alone; NaN where
     * not measured.
     */
    public record Cost(double job, double jobSteady, double jobCalls, double peer, double peerCalls) {
        static final Cost NONE = new Cost(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private final HotlineConfig config;
    private final Profile profile;
    private final int months;
    private final Consumer<String> out;

    /** The processes whose CPU time the pipeline's measurement reports, by name. */
    private final Map<String, ProcessHandle> processes;

    public Benchmark(HotlineConfig config, Profile profile, int months, Consumer<String> out) {
        this(config, profile, months, out, Map.of("flink", ProcessHandle.current()));
    }

    public Benchmark(
            HotlineConfig config,
            Profile profile,
            int months,
            Consumer<String> out,
            Map<String, ProcessHandle> processes) {
        this.processes = processes;
        this.config = config;
        this.profile = profile;
        this.months = months;
        this.out = out;
    }

    /** Where the jobs measured keep their state. */
    public enum StateBackend {
        /** On the heap, each checkpoint a full snapshot: the job's default. */
        HASHMAP,
        /** RocksDB, each checkpoint writing only the files that changed since the last (incremental). */
        ROCKSDB;

        Configuration configuration() {
            Configuration c = new Configuration();
            c.set(StateBackendOptions.STATE_BACKEND, name().toLowerCase(java.util.Locale.ROOT));
            c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, this == ROCKSDB);
            // timers on the heap, as RocksDB is usually run for speed (the job sets a timer per ticket step)
            c.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
            return c;
        }
    }

    private StateBackend stateBackend = StateBackend.HASHMAP;

    /** Measures the pipeline and the peer with {@code backend} instead of the heap. */
    public Benchmark stateBackend(StateBackend backend) {
        this.stateBackend = backend;
        return this;
    }

    /** What can be measured; a run measures all of them unless told otherwise. */
    public enum Step {
        CEILING,
        ENGINE,
        PIPELINE,
        LATENCY,
        WALLBOARD,
        /** The two ClickHouse writers on the same rows ({@link WriterComparison}); needs no events in Kafka. */
        WRITERS,
        /**
         * The Flink SQL peer ({@link SqlPeer}) on the same events and on the calls alone, beside the job on both and on
         * the calls alone: CPU per event of each.
         */
        PEER
    }

    /** Rows each writer writes per round of {@link Step#WRITERS}, and the rounds. */
    static final long WRITER_ROWS = 1_000_000;

    static final int WRITER_ROUNDS = 3;

    /** Months of history the wallboard step reads at last (the generated months, then earlier copies of them). */
    static final int HISTORY_MONTHS = 36;

    /** Measures {@code steps} only (figures not measured are NaN): a quicker loop when working on one of them. */
    public Result run(int latencySeconds, int latencyRate, java.util.Set<Step> steps) throws Exception {
        long events = steps.equals(java.util.EnumSet.of(Step.WRITERS)) ? 0 : sendMonths();

        double ceiling1 = Double.NaN;
        double ceiling2 = Double.NaN;
        if (steps.contains(Step.CEILING)) {
            ceiling1 = Ceiling.measure(config, events, 1);
            out.accept(String.format("Ceiling, one plain consumer reading and parsing:  %,.0f events/s", ceiling1));
            ceiling2 = Ceiling.measure(config, events, 2);
            out.accept(String.format("Ceiling, two plain consumers:                      %,.0f events/s", ceiling2));
        }

        double[] engine1 = {Double.NaN, Double.NaN};
        double[] engine2 = {Double.NaN, Double.NaN};
        if (steps.contains(Step.ENGINE)) {
            ClickHouseEngine engine = new ClickHouseEngine(config, out);
            engine1 = engine.ingest(events, 1);
            out.accept(String.format(
                    "ClickHouse Kafka engine, one consumer:             %,.0f rows/s (first rows readable after %.1f s)",
                    engine1[0], engine1[1]));
            engine2 = engine.ingest(events, 2);
            out.accept(String.format(
                    "ClickHouse Kafka engine, two consumers:            %,.0f rows/s (first rows readable after %.1f s)",
                    engine2[0], engine2[1]));
        }

        double pipeline = Double.NaN;
        double pipelineSteady = Double.NaN;
        double rowsPerEvent = Double.NaN;
        Cost cost = Cost.NONE;
        if (steps.contains(Step.PIPELINE)
                || steps.contains(Step.WALLBOARD) // the wallboard reads what the pipeline wrote
                || steps.contains(Step.PEER)) { // and the peer is compared with it
            PipelineRun.Measured p = pipelineRun().run(config, events);
            rowsPerEvent = p.rowsPerEvent();
            cost = new Cost(p.cpuMicrosPerEvent(), p.steadyCpuMicrosPerEvent(), Double.NaN, Double.NaN, Double.NaN);
            if (steps.contains(Step.PIPELINE)) {
                pipeline = p.rate();
                pipelineSteady = p.steadyRate();
                out.accept(String.format(
                        "Whole pipeline, Kafka -> Flink -> ClickHouse:     %,.0f events/s (all jobs, all sinks)",
                        pipeline));
                out.accept(String.format(
                        "  ratio to the two-consumer ceiling %.3f, to the ClickHouse engine %.3f",
                        pipeline / ceiling2, pipeline / engine2[0]));
            }
            out.accept(String.format(
                    "  rows written to ClickHouse per event: %.2f (all tables, raw events included)", rowsPerEvent));
        }

        if (steps.contains(Step.PEER)) {
            cost = new PeerComparison(config, out, this::cpuMillis, stateBackend.configuration(), pipelineRun())
                    .run(cost);
        }

        double[] latency = {Double.NaN, Double.NaN, Double.NaN};
        if (steps.contains(Step.LATENCY)) {
            latency = Latency.measure(config, profile.zone(), latencySeconds, latencyRate);
            out.accept(String.format(
                    "Latency at %,d events/s live, production to readable in ClickHouse: p50 %.0f ms, p95 %.0f ms, "
                            + "p99 %.0f ms",
                    latencyRate, latency[0], latency[1], latency[2]));
        }
        double[] wallboard = {Double.NaN, Double.NaN};
        if (steps.contains(Step.WALLBOARD)) {
            wallboard = wallboard();
        }
        Map<ClickHouseSinks.Writer, Double> writers = new java.util.EnumMap<>(ClickHouseSinks.Writer.class);
        if (steps.contains(Step.WRITERS)) {
            out.accept(String.format(
                    "The two ClickHouse writers on the same %,d raw call event rows, alternately, a warm-up and %d rounds:",
                    WRITER_ROWS, WRITER_ROUNDS));
            writers = new WriterComparison(config, out, this::cpuMillis).compare(WRITER_ROWS, WRITER_ROUNDS);
            out.accept(String.format(
                    "ClickHouse writers, median: native %,.0f rows/s, jdbc %,.0f rows/s (native/jdbc %.2f)",
                    writers.get(ClickHouseSinks.Writer.NATIVE),
                    writers.get(ClickHouseSinks.Writer.JDBC),
                    writers.get(ClickHouseSinks.Writer.NATIVE) / writers.get(ClickHouseSinks.Writer.JDBC)));
        }
        return new Result(
                events,
                ceiling1,
                ceiling2,
                engine1[0],
                engine2[0],
                engine2[1],
                pipeline,
                pipelineSteady,
                rowsPerEvent,
                latency,
                wallboard,
                writers.getOrDefault(ClickHouseSinks.Writer.NATIVE, Double.NaN),
                writers.getOrDefault(ClickHouseSinks.Writer.JDBC, Double.NaN),
                cost);
    }

    /** This JVM's ("flink") CPU between {@code before} and {@code after}, in µs per event. */
    static double microsPerEvent(Map<String, Long> before, Map<String, Long> after, long events) {
        return (after.get("flink") - before.getOrDefault("flink", 0L)) * 1000.0 / events;
    }

    private PipelineRun pipelineRun() {
        return new PipelineRun(profile, out, this::cpuMillis, stateBackend.configuration());
    }

    /** The profile's months, one after the other, sent to both topics; returns how many events. */
    private long sendMonths() throws Exception {
        out.accept("Generating " + months + " month(s) of " + profile.name() + " and sending them to Kafka...");
        long events = 0;
        for (int i = 0; i < months; i++) {
            MonthSimulator.Month m =
                    new MonthSimulator(profile.withMonth(profile.month().plusMonths(i)), 2023 + i).generate();
            new KafkaPlayback(
                            config.kafka.clientProperties(),
                            config.kafka.bootstrapServers,
                            config.kafka.callsTopic,
                            config.kafka.ticketsTopic,
                            profile.zone())
                    .play(m, 0, s -> {});
            events += m.size();
        }
        out.accept(String.format(
                "  %,d events on %s and %s (2 partitions each)",
                events, config.kafka.callsTopic, config.kafka.ticketsTopic));
        return events;
    }

    /**
     * One wallboard refresh (every query of the page, best of five) over the months the pipeline wrote, then over
     * {@link #HISTORY_MONTHS} months of history.
     */
    double[] wallboard() {
        HotlineConfig.ClickHouse ch = config.clickhouse;
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            WallboardReads.merge(sql, ch.database);
            double recent = WallboardReads.refreshMs(sql, ch.database, 5, out);
            out.accept(String.format(
                    "Wallboard refresh over %d month(s) of history:      %,.0f ms (all its queries, best of 5)",
                    months, recent));
            out.accept("Adding history, " + HISTORY_MONTHS + " months in all...");
            // copies of the generated months, each the span of them earlier, until 36 months are held
            WallboardReads.addHistory(sql, ch.database, (HISTORY_MONTHS + months - 1) / months - 1, 30 * months, out);
            WallboardReads.merge(sql, ch.database);
            double long36 = WallboardReads.refreshMs(sql, ch.database, 5, out);
            out.accept(String.format(
                    "Wallboard refresh over %d months of history:        %,.0f ms", HISTORY_MONTHS, long36));
            return new double[] {recent, long36};
        }
    }

    /** Each process's CPU seconds between {@code before} and {@code after} (milliseconds), per million of {@code count}. */
    static String cpuPerMillion(Map<String, Long> before, Map<String, Long> after, long count) {
        StringBuilder cpu = new StringBuilder();
        after.forEach((name, ms) -> cpu.append(
                String.format(" %s %.1f", name, (ms - before.getOrDefault(name, 0L)) / 1000.0 * 1_000_000 / count)));
        return cpu.toString();
    }

    /** CPU time used so far by each process, in milliseconds (0 for one that cannot be read). */
    private Map<String, Long> cpuMillis() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        processes.forEach((name, p) -> out.put(
                name, p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)));
        return out;
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Commits offset 0 for a consumer group on every partition of {@code topics}, so that it reads them from the start. */
    static void startGroupAtZero(HotlineConfig c, String group, List<String> topics) throws Exception {
        Properties p = new Properties();
        p.putAll(c.kafka.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka.bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions()
                        .forEach(pi ->
                                offsets.put(new TopicPartition(d.name(), pi.partition()), new OffsetAndMetadata(0)));
            }
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }
}
