package org.hotline.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hotline.bench.Benchmark;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.LocalKafka;
import org.hotline.simulator.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Measure this machine on the same generated events: a plain Kafka consumer (the ceiling), ClickHouse's "
                        + "Kafka engine, the whole pipeline, a Flink SQL peer, and the pipeline's latency at a steady live rate. The last line is machine-readable.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(
            names = "--profile",
            defaultValue = "xiangtan-2023-09",
            description = "The month to generate (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--months",
            defaultValue = "5",
            description = "How many months of it to generate (default: ${DEFAULT-VALUE}, about a million events).")
    int months;

    @Option(
            names = "--latency-rate",
            defaultValue = "1000",
            description = "Events per second for the latency run (default: ${DEFAULT-VALUE}).")
    int latencyRate;

    @Option(
            names = "--latency-seconds",
            defaultValue = "30",
            description = "How long the latency run lasts (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--only",
            split = ",",
            description = "Measure only these, comma-separated: ${COMPLETION-CANDIDATES} (default: all).")
    java.util.List<Benchmark.Step> only = java.util.List.of(Benchmark.Step.values());

    @Option(
            names = "--state-backend",
            defaultValue = "hashmap",
            description =
                    "Where the measured jobs keep their state: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; "
                            + "rocksdb with incremental checkpoints).")
    Benchmark.StateBackend stateBackend;

    @Option(
            names = "--work-dir",
            defaultValue = "var/bench",
            description =
                    "Where its own ClickHouse and broker keep their data (default: ${DEFAULT-VALUE}); emptied first.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        c.alerts.alertmanagerUrl = ""; // measurements notify no one
        LocalRuntime.deleteRecursively(workDir);
        c.clickhouse.database = "bench";
        c.kafka.callsTopic = "bench-calls";
        c.kafka.ticketsTopic = "bench-tickets";
        c.kafka.alertsTopic = "bench-alerts";
        c.kafka.groupId = "bench";
        try (LocalRuntime runtime = LocalRuntime.clickhouse(c, workDir, null).kafka(c, workDir, null, true)) {
            LocalKafka.createTopics(
                    c.kafka.bootstrapServers,
                    Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2, c.kafka.alertsTopic, 1));
            Benchmark.Result r = new Benchmark(
                            c, Profile.load(profile), months, System.out::println, runtime.processes())
                    .stateBackend(stateBackend)
                    .run(latencySeconds, latencyRate, java.util.EnumSet.copyOf(only));
            System.out.println(r.machineReadable());
        }
        return 0;
    }
}
