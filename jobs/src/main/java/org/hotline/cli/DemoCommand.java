package org.hotline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.LocalClickHouse;
import org.hotline.deploy.LocalKafka;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.KafkaSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole system on this machine: a Kafka broker, a ClickHouse server and the job, on the "
                + "embedded defaults. Runs until Ctrl-C, then stops everything it started.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    Hotline.ConfigOption config;

    @Option(names = "--work-dir", defaultValue = "var", description = "Where the local servers keep their data and logs (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        Path dir = workDir.toAbsolutePath();
        System.out.println("Starting ClickHouse (data kept in " + dir.resolve("clickhouse") + ")...");
        LocalClickHouse clickhouse = LocalClickHouse.start(dir.resolve("clickhouse"));
        LocalKafka kafka = null;
        JobClient job = null;
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            System.out.println("Starting Kafka (a KRaft broker in its own process)...");
            deleteRecursively(dir.resolve("kafka")); // a fresh broker each time; ClickHouse's keys make re-reads harmless
            kafka = LocalKafka.spawn(dir.resolve("kafka"), dir.resolve("log/kafka.log"));
            c.kafka.bootstrapServers = kafka.bootstrapServers();
            c.clickhouse.url = clickhouse.httpUrl();
            LocalKafka.createTopics(c.kafka.bootstrapServers, Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2));
            System.out.println("Starting the job...");
            job = JobLauncher.start(StreamExecutionEnvironment.getExecutionEnvironment(), c, KafkaSources.Reading.LIVE,
                    System.out::println);
        } catch (RuntimeException e) {
            stop(null, kafka, clickhouse);
            throw e;
        }
        JobClient running = job;
        LocalKafka broker = kafka;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the job, Kafka and ClickHouse...");
            stop(running, broker, clickhouse);
            System.out.println("Stopped.");
            stopped.countDown();
        }, "demo-shutdown"));
        System.out.printf("""

                The hotline pipeline is running.
                  Kafka       %s   topics: %s, %s
                  ClickHouse  %s   database: %s   (user default; read-only user hotline_reader)
                  Flink job   %s

                Send events:  ./hotline produce --bootstrap-servers %s --topic %s deploy/sample-events/calls.jsonl
                Query:        curl '%s/?user=hotline_reader' --data-binary 'SELECT * FROM %s.call_minutes ORDER BY minute'
                Press Ctrl-C to stop.
                """, c.kafka.bootstrapServers, c.kafka.callsTopic, c.kafka.ticketsTopic, c.clickhouse.url,
                c.clickhouse.database, job.getJobID(), c.kafka.bootstrapServers, c.kafka.callsTopic, c.clickhouse.url,
                c.clickhouse.database);
        stopped.await();
        return 0;
    }

    private static void stop(JobClient job, LocalKafka kafka, LocalClickHouse clickhouse) {
        try {
            if (job != null) {
                job.cancel().get();
            }
        } catch (Exception e) {
            System.err.println("could not cancel the job: " + e.getMessage());
        }
        if (kafka != null) {
            kafka.close();
        }
        clickhouse.close();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
