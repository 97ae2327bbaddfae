package org.hotline.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.io.ClickHouseSinks;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.Migrator;

/**
 * The two ClickHouse writers ({@code clickhouse.writer}) on the same rows: the job's raw call events (the
 * table that takes most of its rows), generated in a Flink job and written by one writer, then the other,
 * alternately, each run into a fresh database and checked to hold every row. Rows per second over the
 * job's run time, the median of the rounds.
 */
final class WriterComparison {

    private static final long SEPT_1 = 1_693_497_600_000L; // 2023-09-01T00:00+08:00
    private static final String[] LINES = {"12345", "12345-business", "12345-deputy"};
    private static final String[] REGIONS = {"雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市"};

    private final HotlineConfig config;
    private final Consumer<String> out;
    /** CPU milliseconds used so far by each process (this one, ClickHouse). */
    private final Supplier<Map<String, Long>> cpuMillis;

    WriterComparison(HotlineConfig config, Consumer<String> out, Supplier<Map<String, Long>> cpuMillis) {
        this.config = config;
        this.out = out;
        this.cpuMillis = cpuMillis;
    }

    /** The call step {@code i}: four steps a call, a few a second, as a busy month's are. */
    static Sourced<CallEvent> call(long i) {
        CallEventType type = CallEventType.values()[(int) (i % 4)];
        long call = i / 4;
        boolean answered = type == CallEventType.ANSWERED;
        CallEvent e = new CallEvent(
                "c-" + call + "-" + type.wire(),
                1,
                type,
                SEPT_1 + i * 250,
                "c-" + call,
                LINES[(int) (call % LINES.length)],
                REGIONS[(int) (call % REGIONS.length)],
                answered ? "agent-" + call % 40 : "",
                answered ? (int) (call % 90) : null,
                type == CallEventType.ENDED ? (int) (call % 600) : null);
        return new Sourced<>("calls", (int) (call % 2), i, e, "", null);
    }

    /**
     * Rows per second of each writer: the median of {@code rounds} runs of {@code rows} rows each, after one round
     * that warms both up (the JIT) and is not counted.
     */
    Map<ClickHouseSinks.Writer, Double> compare(long rows, int rounds) throws Exception {
        Map<ClickHouseSinks.Writer, List<Double>> rates = new EnumMap<>(ClickHouseSinks.Writer.class);
        for (int round = 0; round <= rounds; round++) {
            for (ClickHouseSinks.Writer writer : ClickHouseSinks.Writer.values()) {
                Map<String, Long> cpuBefore = cpuMillis.get();
                double rate = run(writer, rows);
                String cpu = Benchmark.cpuPerMillion(cpuBefore, cpuMillis.get(), rows);
                if (round > 0) {
                    rates.computeIfAbsent(writer, w -> new ArrayList<>()).add(rate);
                }
                out.accept(String.format(
                        "  %s, %s writer: %,.0f rows/s; CPU seconds per million rows:%s",
                        round == 0 ? "warm-up" : "round " + round, writer.name().toLowerCase(), rate, cpu));
            }
        }
        Map<ClickHouseSinks.Writer, Double> medians = new EnumMap<>(ClickHouseSinks.Writer.class);
        rates.forEach((w, r) -> medians.put(w, median(r)));
        return medians;
    }

    private double run(ClickHouseSinks.Writer writer, long rows) throws Exception {
        HotlineConfig.ClickHouse ch = config.clickhouse;
        String db = ch.database + "_writers";
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            sql.execute("DROP DATABASE IF EXISTS " + db);
            new Migrator(sql, db).migrate(s -> {});
        }
        ClickHouseSinks sinks = new ClickHouseSinks(
                writer, ch.url, db, ch.user, ch.password, config.job.sinkBatchSize, config.job.sinkFlushIntervalMs);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(config.job.parallelism);
        env.enableCheckpointing(config.job.checkpointIntervalSeconds * 1000L);
        env.fromSource(
                        new DataGeneratorSource<>(
                                WriterComparison::call,
                                rows,
                                TypeInformation.of(new TypeHint<Sourced<CallEvent>>() {})),
                        WatermarkStrategy.noWatermarks(),
                        "call events")
                .sinkTo(sinks.callEvents());
        long start = System.nanoTime();
        env.execute("bench-writer-" + writer.name().toLowerCase());
        double rate = rows / Benchmark.seconds(start);
        try (ClickHouseSql sql = new ClickHouseSql(ch.url, ch.user, ch.password)) {
            long stored = sql.count("SELECT count() FROM " + db + ".call_events FINAL");
            if (stored != rows) {
                throw new IllegalStateException(
                        "the " + writer.name().toLowerCase() + " writer stored " + stored + " rows of " + rows);
            }
            sql.execute("DROP DATABASE IF EXISTS " + db);
        }
        return rate;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
