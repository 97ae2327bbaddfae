package org.hotline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalKafka;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventParser;
import org.hotline.events.EventWriter;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.io.ClickHouseSinks;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.OfficeInputs;
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
                            + "peer_sql_calls_cpu_us_per_event=%s flink_cpu_us_per_event=%s peer_sql_cpu_us_per_event=%s",
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
     * The job's CPU per event (µs, the benchmark's JVM) on both topics and on the calls alone, and the Flink SQL peer's
     * ({@link SqlPeer}) on the same events and on the calls alone; NaN where not measured.
     */
    public record Cost(double job, double jobCalls, double peer, double peerCalls) {
        static final Cost NONE = new Cost(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
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
            ceiling1 = ceiling(events, 1);
            out.accept(String.format("Ceiling, one plain consumer reading and parsing:  %,.0f events/s", ceiling1));
            ceiling2 = ceiling(events, 2);
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
            double[] p = pipeline(config, events);
            rowsPerEvent = p[1];
            cost = new Cost(p[3], Double.NaN, Double.NaN, Double.NaN);
            if (steps.contains(Step.PIPELINE)) {
                pipeline = p[0];
                pipelineSteady = p[2];
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
            cost = peer(cost.job());
        }

        double[] latency = {Double.NaN, Double.NaN, Double.NaN};
        if (steps.contains(Step.LATENCY)) {
            latency = latency(latencySeconds, latencyRate);
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

    /**
     * After the job on both topics (whose CPU per event is {@code job}): the job on the calls alone (its own database,
     * a tickets topic left empty), the Flink SQL peer on both topics and on the calls alone, each from its start until
     * its last row is written, in this JVM like the job. The job runs first, so it is the one that pays for warming up
     * the JVM. The peer's totals are compared with the job's, so that both are seen to have done the same work.
     */
    private Cost peer(double job) throws Exception {
        long calls = endOffsets(config.kafka.callsTopic);
        long events = calls + endOffsets(config.kafka.ticketsTopic);

        out.accept("The job on the calls alone (the tickets' topic empty):");
        HotlineConfig callsOnly = config.copy();
        callsOnly.clickhouse.database = config.clickhouse.database + "_calls";
        callsOnly.kafka.ticketsTopic = config.kafka.ticketsTopic + "-none";
        callsOnly.kafka.groupId = config.kafka.groupId + "-calls";
        LocalKafka.createTopics(callsOnly.kafka.bootstrapServers, Map.of(callsOnly.kafka.ticketsTopic, 2));
        double jobCalls = pipeline(callsOnly, calls)[3];

        SqlPeer peer = new SqlPeer(config, config.clickhouse.database + "_peer", stateBackend.configuration());
        double peerAll = peerRun(peer, false, events, "calls and tickets");
        long[] theirs = peer.totals();
        long[] ours = peer.jobTotals(config.clickhouse.database);
        StringBuilder compared = new StringBuilder("  the peer's totals against the job's:");
        for (int i = 0; i < SqlPeer.TOTALS.size(); i++) {
            compared.append(String.format(" %s %,d", SqlPeer.TOTALS.get(i), theirs[i]))
                    .append(theirs[i] == ours[i] ? " (same)" : String.format(" (the job: %,d)", ours[i]));
        }
        out.accept(compared.toString());
        double peerCalls = peerRun(
                new SqlPeer(config, config.clickhouse.database + "_peer_calls", stateBackend.configuration()),
                true,
                calls,
                "calls alone");
        out.accept(String.format(
                "CPU per event, µs (this JVM): the job %.1f, on the calls alone %.1f; the Flink SQL peer %.1f, on the "
                        + "calls alone %.1f",
                job, jobCalls, peerAll, peerCalls));
        return new Cost(job, jobCalls, peerAll, peerCalls);
    }

    /** Runs the peer over {@code events} and says its rate and each process's CPU; returns this JVM's µs per event. */
    private double peerRun(SqlPeer peer, boolean callsOnly, long events, String what) throws Exception {
        Map<String, Long> cpuBefore = cpuMillis();
        long start = System.nanoTime();
        peer.run(callsOnly);
        double rate = events / seconds(start);
        Map<String, Long> cpuAfter = cpuMillis();
        out.accept(String.format(
                "Flink SQL peer, %s, Kafka -> Flink SQL -> JDBC -> ClickHouse: %,.0f events/s", what, rate));
        out.accept("  CPU seconds per million events:" + cpuPerMillion(cpuBefore, cpuAfter, events));
        return microsPerEvent(cpuBefore, cpuAfter, events);
    }

    /** This JVM's ("flink") CPU between {@code before} and {@code after}, in µs per event. */
    private static double microsPerEvent(Map<String, Long> before, Map<String, Long> after, long events) {
        return (after.get("flink") - before.getOrDefault("flink", 0L)) * 1000.0 / events;
    }

    /** How many records {@code topic} holds. */
    private long endOffsets(String topic) {
        return CheckedProducer.endOffsets(config.kafka.bootstrapServers, java.util.Set.of(topic))
                .get(topic);
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

    /**
     * Events per second that {@code consumers} plain consumers reach reading both topics from the start
     * and parsing each event with the job's parser. Partitions are assigned by hand (no group to join),
     * split between the consumers, so the figure is reading and parsing only.
     */
    double ceiling(long events, int consumers) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(config.kafka.callsTopic, config.kafka.ticketsTopic)) {
            for (int p = 0; p < 2; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        AtomicLong parsed = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < consumers; i++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int k = i; k < partitions.size(); k += consumers) {
                mine.add(partitions.get(k));
            }
            Thread t = new Thread(
                    () -> {
                        Properties p = new Properties();
                        p.putAll(config.kafka.clientProperties());
                        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka.bootstrapServers);
                        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
                        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
                        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
                        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                            c.assign(mine);
                            c.seekToBeginning(mine);
                            Map<TopicPartition, Long> end = c.endOffsets(mine);
                            while (mine.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                                    boolean ok = r.topic().equals(config.kafka.callsTopic)
                                            ? EventParser.parseCall(r.value()).isOk()
                                            : EventParser.parseTicket(r.value()).isOk();
                                    (ok ? parsed : bad).incrementAndGet();
                                }
                            }
                        }
                    },
                    "bench-consumer-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (bad.get() > 0 || parsed.get() != events) {
            throw new IllegalStateException(
                    parsed.get() + " events parsed and " + bad.get() + " refused, of " + events);
        }
        return events / seconds(start);
    }

    /**
     * Events per second of the whole job over the topics, from its start until every sink has written the last of them,
     * the rows it inserted into the database's tables per event (ClickHouse's part log: NaN without one), and its rate in
     * steady state ({@link SteadyState}) and this JVM's CPU per event in µs; says each process's CPU seconds per million
     * events.
     */
    double[] pipeline(HotlineConfig config, long events) throws Exception {
        HotlineConfig.ClickHouse ch = config.clickhouse;
        JobLauncher.migrate(ch, s -> {});
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            OfficeInputs.load(sql, ch.database, profile);
        }
        Map<String, Long> tablesBefore = rowsByTable(ch);
        Map<String, Long> cpuBefore = cpuMillis();
        long start = System.nanoTime();
        SteadyState steady = new SteadyState(ch, events);
        Thread sampler = new Thread(steady, "bench-steady-state");
        sampler.setDaemon(true);
        sampler.start();
        try {
            JobLauncher.start(
                            StreamExecutionEnvironment.getExecutionEnvironment(stateBackend.configuration()),
                            config,
                            KafkaSources.Reading.REPLAY,
                            s -> {})
                    .getJobExecutionResult()
                    .get();
        } finally {
            sampler.interrupt();
            sampler.join(5_000);
        }
        double rate = events / seconds(start);
        long inserted = 0;
        StringBuilder byTable = new StringBuilder("  rows per event by table:");
        for (Map.Entry<String, Long> t : rowsByTable(ch).entrySet()) {
            long written = t.getValue() - tablesBefore.getOrDefault(t.getKey(), 0L);
            if (written > 0) {
                byTable.append(String.format(" %s %.3f", t.getKey(), (double) written / events));
                inserted += written;
            }
        }
        out.accept(byTable.toString());
        Map<String, Long> cpuAfter = cpuMillis();
        out.accept("  CPU seconds per million events:" + cpuPerMillion(cpuBefore, cpuAfter, events));
        out.accept(String.format(
                "  steady state (10 %% to 90 %% of the raw events stored): %s events/s; start-up and the end "
                        + "took the rest of the %.0f s",
                Double.isNaN(steady.rate()) ? "n/a" : String.format("%,.0f", steady.rate()), seconds(start)));
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            long raw = sql.count("SELECT count() FROM " + ch.database + ".call_events FINAL")
                    + sql.count("SELECT count() FROM " + ch.database + ".ticket_events FINAL");
            if (raw != events) {
                throw new IllegalStateException("the pipeline wrote " + raw + " raw events of " + events);
            }
        }
        // the raw events alone are rows: none counted means the server keeps no part log, not that nothing was written
        return new double[] {
            rate,
            inserted == 0 ? Double.NaN : (double) inserted / events,
            steady.rate(),
            microsPerEvent(cpuBefore, cpuAfter, events)
        };
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

    /**
     * The pipeline's rate in steady state: the raw events stored, counted every half second, between the moments 10 %
     * and 90 % of them were there (start-up, the migration and the last checkpoint fall outside).
     */
    static final class SteadyState implements Runnable {
        private final HotlineConfig.ClickHouse ch;
        private final long events;
        private volatile double rate = Double.NaN;

        SteadyState(HotlineConfig.ClickHouse ch, long events) {
            this.ch = ch;
            this.events = events;
        }

        double rate() {
            return rate;
        }

        @Override
        public void run() {
            long at10 = 0;
            try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
                while (!Thread.currentThread().isInterrupted()) {
                    long stored = sql.count("SELECT count() FROM " + ch.database + ".call_events")
                            + sql.count("SELECT count() FROM " + ch.database + ".ticket_events");
                    long now = System.nanoTime();
                    if (at10 == 0 && stored >= events / 10) {
                        at10 = now;
                    }
                    if (at10 != 0 && stored >= events * 9 / 10) {
                        rate = events * 0.8 / ((now - at10) / 1e9);
                        return;
                    }
                    Thread.sleep(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                rate = Double.NaN; // not measured: the figure says n/a
            }
        }
    }

    /** Rows inserted into each table of the database so far, from the server's part log (new parts only), largest first. */
    private static Map<String, Long> rowsByTable(HotlineConfig.ClickHouse ch) {
        Map<String, Long> rows = new java.util.LinkedHashMap<>();
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            sql.execute("SYSTEM FLUSH LOGS");
            if (sql.count("SELECT count() FROM system.tables WHERE database = 'system' AND name = 'part_log'") == 0) {
                return rows; // no part has been written yet
            }
            for (var r :
                    sql.rows("SELECT table, sum(rows) AS n FROM system.part_log WHERE event_type = 1 AND database = '"
                            + ch.database + "' GROUP BY table ORDER BY n DESC")) {
                rows.put(r.get("table").asText(), r.get("n").asLong());
            }
        }
        return rows;
    }

    /**
     * Latency at a steady live rate: calls stamped with the time they are sent, on fresh topics read by a
     * live job; each is readable once its raw row is in ClickHouse. ClickHouse is polled every 50 ms.
     */
    double[] latency(int seconds, int rate) throws Exception {
        HotlineConfig c = config;
        String suffix = "-latency";
        c.kafka.callsTopic += suffix;
        c.kafka.ticketsTopic += suffix;
        c.kafka.groupId += suffix;
        LocalKafka.createTopics(c.kafka.bootstrapServers, Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2));
        var job = JobLauncher.start(
                StreamExecutionEnvironment.getExecutionEnvironment(), c, KafkaSources.Reading.LIVE, s -> {});
        Thread.sleep(5000); // the job up and reading
        int total = seconds * rate;
        long[] sentAt = new long[total];
        long[] readableAt = new long[total];
        EventWriter writer = new EventWriter(profile.zone());
        Properties p = c.kafka.clientProperties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Thread poller = new Thread(() -> poll(c, total, readableAt), "bench-latency-poller");
        poller.start();
        try (CheckedProducer producer = new CheckedProducer(p, c.kafka.bootstrapServers, List.of(c.kafka.callsTopic))) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String id = String.format("L%08d", i);
                CallEvent e = new CallEvent(
                        id + "-offered",
                        1,
                        CallEventType.OFFERED,
                        System.currentTimeMillis(),
                        id,
                        "12345",
                        "latency",
                        null,
                        null,
                        null);
                sentAt[i] = System.nanoTime();
                producer.send(c.kafka.callsTopic, id, writer.write(e));
            }
            producer.finish();
        }
        poller.join(60_000);
        job.cancel().get();
        double[] latencies = new double[total];
        for (int i = 0; i < total; i++) {
            latencies[i] = (readableAt[i] - sentAt[i]) / 1e6;
        }
        Arrays.sort(latencies);
        return new double[] {latencies[total / 2], latencies[(int) (total * 0.95)], latencies[(int) (total * 0.99)]};
    }

    /** Marks when each latency call became readable: ids are in order, so the count says which. */
    private static void poll(HotlineConfig c, int total, long[] readableAt) {
        try (ClickHouseSql sql = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            Map<Integer, Boolean> seen = new HashMap<>();
            while (seen.size() < total && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                for (var row : sql.rows("SELECT call_id FROM " + c.clickhouse.database
                        + ".call_events WHERE caller_region = 'latency'")) {
                    int i = Integer.parseInt(row.get("call_id").asText().substring(1));
                    if (seen.putIfAbsent(i, Boolean.TRUE) == null) {
                        readableAt[i] = now;
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
