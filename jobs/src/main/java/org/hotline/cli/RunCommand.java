package org.hotline.cli;

import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.KafkaSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the job in this process against the Kafka and ClickHouse of the configuration.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    Hotline.ConfigOption config;

    @Option(names = "--from-start", description = "Read the topics from their start instead of the committed offsets.")
    boolean fromStart;

    @Option(names = "--until-end", description = "Stop at the end of the topics as they are now (a replay), instead of running on.")
    boolean untilEnd;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobClient job = JobLauncher.start(env, c, new KafkaSources.Reading(fromStart, untilEnd), System.out::println);
        System.out.printf("Job %s running: %s, %s -> ClickHouse %s/%s%n", job.getJobID(), c.kafka.callsTopic,
                c.kafka.ticketsTopic, c.clickhouse.url, c.clickhouse.database);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> job.cancel().join()));
        job.getJobExecutionResult().get();
        System.out.println("Job finished.");
        return 0;
    }
}
