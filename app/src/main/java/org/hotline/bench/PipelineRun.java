package org.hotline.bench;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.OfficeInputs;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;

/** The whole job from Kafka to ClickHouse, from its start until every sink has written the last of the events. */
final class PipelineRun {

    /**
     * Events per second over the whole run, rows inserted per event (NaN without ClickHouse's part log), events per
     * second in steady state ({@link SteadyState}), and this JVM's CPU per event in µs over the whole run and in steady
     * state.
     */
    record Measured(
            double rate,
            double rowsPerEvent,
            double steadyRate,
            double cpuMicrosPerEvent,
            double steadyCpuMicrosPerEvent) {}

    private final Profile profile;
    private final Consumer<String> out;
    private final Supplier<Map<String, Long>> cpuMillis;
    private final Configuration flink;

    PipelineRun(Profile profile, Consumer<String> out, Supplier<Map<String, Long>> cpuMillis, Configuration flink) {
        this.profile = profile;
        this.out = out;
        this.cpuMillis = cpuMillis;
        this.flink = flink;
    }

    /**
     * Events per second of the whole job over the topics, from its start until every sink has written the last of them,
     * the rows it inserted into the database's tables per event (ClickHouse's part log: NaN without one), and its rate in
     * steady state ({@link SteadyState}) and this JVM's CPU per event in µs; says each process's CPU seconds per million
     * events.
     */
    Measured run(HotlineConfig config, long events) throws Exception {
        HotlineConfig.ClickHouse ch = config.clickhouse;
        JobLauncher.migrate(ch, s -> {});
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            OfficeInputs.load(sql, ch.database, profile);
        }
        Map<String, Long> tablesBefore = rowsByTable(ch);
        Map<String, Long> cpuBefore = cpuMillis.get();
        JvmWork jvmBefore = JvmWork.now();
        long start = System.nanoTime();
        SteadyState steady = new SteadyState(
                ch, events, () -> cpuMillis.get().get("flink"), start, cpuBefore.get("flink"), jvmBefore.compilingMs());
        Thread sampler = new Thread(steady, "bench-steady-state");
        sampler.setDaemon(true);
        sampler.start();
        try {
            JobLauncher.start(
                            StreamExecutionEnvironment.getExecutionEnvironment(flink),
                            config,
                            KafkaSources.Reading.REPLAY,
                            s -> {})
                    .getJobExecutionResult()
                    .get();
        } finally {
            sampler.interrupt();
            sampler.join(5_000);
        }
        double rate = events / Benchmark.seconds(start);
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
        Map<String, Long> cpuAfter = cpuMillis.get();
        out.accept("  CPU seconds per million events:" + Benchmark.cpuPerMillion(cpuBefore, cpuAfter, events));
        sayJvmWork(out, jvmBefore, events);
        out.accept(String.format(
                "  steady state (10 %% to 90 %% of the raw events stored): %s events/s, %s µs of this JVM's CPU per "
                        + "event (%s of it compiling); start-up and the end took the rest of the %.0f s",
                Double.isNaN(steady.rate()) ? "n/a" : String.format("%,.0f", steady.rate()),
                Double.isNaN(steady.cpuMicrosPerEvent()) ? "n/a" : String.format("%.1f", steady.cpuMicrosPerEvent()),
                Double.isNaN(steady.compilingMicrosPerEvent())
                        ? "n/a"
                        : String.format("%.1f", steady.compilingMicrosPerEvent()),
                Benchmark.seconds(start)));
        SteadyState.Startup startup = steady.startup();
        if (startup != null && startup.stored() < events) {
            // the JVM's and the job's one-time cost apart from the per-event one (docs/performance.md, "Run length")
            long flinkMs = cpuAfter.get("flink") - cpuBefore.get("flink");
            out.accept(String.format(
                    "  start-up (until the first raw events were stored): %.1f s, %.1f s of this JVM's CPU (%s of it"
                            + " compiling); from then on %.1f µs per event",
                    startup.seconds(),
                    startup.cpuMs() / 1000.0,
                    startup.compilingMs() < 0 ? "n/a" : String.format("%.1f", startup.compilingMs() / 1000.0),
                    (flinkMs - startup.cpuMs()) * 1000.0 / (events - startup.stored())));
        }
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            long raw = sql.count("SELECT count() FROM " + ch.database + ".call_events FINAL")
                    + sql.count("SELECT count() FROM " + ch.database + ".ticket_events FINAL");
            if (raw != events) {
                throw new IllegalStateException("the pipeline wrote " + raw + " raw events of " + events);
            }
        }
        // the raw events alone are rows: none counted means the server keeps no part log, not that nothing was written
        return new Measured(
                rate,
                inserted == 0 ? Double.NaN : (double) inserted / events,
                steady.rate(),
                Benchmark.microsPerEvent(cpuBefore, cpuAfter, events),
                steady.cpuMicrosPerEvent());
    }

    /** The CPU (ms) this JVM's compiler threads and garbage collector's threads have used so far; -1 where unknown. */
    record JvmWork(long compilingMs, long collectingMs) {
        static JvmWork now() {
            return new JvmWork(compilingCpuMillis(), threadsCpuMillis("collecting", PipelineRun::collecting));
        }
    }

    /** Says the CPU the compiler and the collector threads used since {@code before}, per million events. */
    static void sayJvmWork(Consumer<String> out, JvmWork before, long events) {
        JvmWork now = JvmWork.now();
        if (before.compilingMs() >= 0 && now.compilingMs() >= 0) {
            out.accept(String.format(
                    "  of this JVM's, compiling to machine code (the JIT's threads, once per JVM): %.1f s per million "
                            + "events; collecting garbage: %.1f s",
                    (now.compilingMs() - before.compilingMs()) / 1000.0 * 1_000_000 / events,
                    (now.collectingMs() - before.collectingMs()) / 1000.0 * 1_000_000 / events));
        }
    }

    /** Each JVM thread's CPU ticks when last read, by what it does and its id: one the JVM ends keeps what it used. */
    private static final Map<String, Long> JVM_TICKS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The compiler threads' CPU so far (ms); see {@link #threadsCpuMillis}. */
    static long compilingCpuMillis() {
        return threadsCpuMillis("compiling", name -> name.contains("CompilerThre"));
    }

    /** G1's or the parallel collector's threads (Linux shortens a thread's name to 15 characters). */
    private static boolean collecting(String name) {
        return name.startsWith("GC Thread") || name.startsWith("G1 ");
    }

    /**
     * The CPU this JVM's threads whose names match have used so far (ms), from Linux's per-thread accounting (at its
     * usual 100 ticks a second), those that ended since an earlier call included; -1 where that cannot be read.
     */
    static long threadsCpuMillis(String what, java.util.function.Predicate<String> named) {
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return -1;
        }
        try (java.util.stream.Stream<java.nio.file.Path> threads = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) threads::iterator) {
                try {
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (named.test(name)) {
                        // after the name: state, then 10 fields, then utime and stime (fields 14 and 15 of stat)
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        JVM_TICKS.merge(
                                what + " " + t.getFileName(), Long.parseLong(f[11]) + Long.parseLong(f[12]), Math::max);
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        long ticks = 0;
        for (Map.Entry<String, Long> e : JVM_TICKS.entrySet()) {
            if (e.getKey().startsWith(what + " ")) {
                ticks += e.getValue();
            }
        }
        return ticks * 10;
    }

    /**
     * The pipeline's rate in steady state: the raw events stored, counted every half second, between the moments 10 %
     * and 90 % of them were there (start-up, the migration and the last checkpoint fall outside); and this JVM's CPU per
     * event between the same moments (most of the compiling to machine code falls outside too, as in a job that runs for
     * months).
     */
    static final class SteadyState implements Runnable {
        private final HotlineConfig.ClickHouse ch;
        private final long events;
        private final java.util.function.LongSupplier cpuMillis;
        private volatile double rate = Double.NaN;
        private volatile double cpuMicrosPerEvent = Double.NaN;
        private volatile double compilingMicrosPerEvent = Double.NaN;

        private final long start;
        private final long cpuAtStart;
        private final long compilingAtStart;
        private volatile Startup startup;

        /**
         * The job's start-up: seconds from its start until the first raw events were stored, this JVM's CPU (ms) in
         * between and the compiler threads' of it (-1 where not read), and the raw events stored by then.
         */
        record Startup(double seconds, long cpuMs, long compilingMs, long stored) {}

        /**
         * @param start when the job was started ({@link System#nanoTime}), with this JVM's CPU and its compiler threads'
         *     (ms) read then
         */
        SteadyState(
                HotlineConfig.ClickHouse ch,
                long events,
                java.util.function.LongSupplier cpuMillis,
                long start,
                long cpuAtStart,
                long compilingAtStart) {
            this.ch = ch;
            this.events = events;
            this.cpuMillis = cpuMillis;
            this.start = start;
            this.cpuAtStart = cpuAtStart;
            this.compilingAtStart = compilingAtStart;
        }

        /** The job's start-up, null until the first raw events were seen stored. */
        Startup startup() {
            return startup;
        }

        double rate() {
            return rate;
        }

        double cpuMicrosPerEvent() {
            return cpuMicrosPerEvent;
        }

        /** Of {@link #cpuMicrosPerEvent}, the compiler threads' (NaN where not read). */
        double compilingMicrosPerEvent() {
            return compilingMicrosPerEvent;
        }

        @Override
        public void run() {
            long at10 = 0;
            long cpuAt10 = 0;
            long compilingAt10 = 0;
            long storedAt10 = 0;
            try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
                while (!Thread.currentThread().isInterrupted()) {
                    long stored = sql.count("SELECT count() FROM " + ch.database + ".call_events")
                            + sql.count("SELECT count() FROM " + ch.database + ".ticket_events");
                    long now = System.nanoTime();
                    long cpu = cpuMillis.getAsLong();
                    long compilingNow = compilingCpuMillis(); // read every half second: no compiler thread missed
                    if (startup == null && stored > 0) {
                        startup = new Startup(
                                (now - start) / 1e9,
                                cpu - cpuAtStart,
                                compilingAtStart >= 0 && compilingNow >= 0 ? compilingNow - compilingAtStart : -1,
                                stored);
                    }
                    if (at10 == 0 && stored >= events / 10) {
                        at10 = now;
                        cpuAt10 = cpu;
                        compilingAt10 = compilingNow;
                        storedAt10 = stored;
                    }
                    if (at10 != 0 && stored >= events * 9 / 10) {
                        rate = events * 0.8 / ((now - at10) / 1e9);
                        // per event stored in between: the CPU and the events counted over the same half seconds
                        cpuMicrosPerEvent = (cpu - cpuAt10) * 1000.0 / (stored - storedAt10);
                        if (compilingAt10 >= 0 && compilingNow >= 0) {
                            compilingMicrosPerEvent = (compilingNow - compilingAt10) * 1000.0 / (stored - storedAt10);
                        }
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
}
