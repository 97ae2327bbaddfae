package org.hotline.cli;

import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.KafkaSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the job against the Kafka and ClickHouse of the configuration: in this process, or on a "
                + "Flink cluster when started by `flink run hotline-job.jar run --detach ...`."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    Hotline.ConfigOption config;

    @Mixin
    Restore restore;

    @Option(names = "--from-start", description = "Read the topics from their start instead of the committed offsets.")
    boolean fromStart;

    @Option(names = "--until-end", description = "Stop at the end of the topics as they are now (a replay), instead of running on.")
    boolean untilEnd;

    @Option(names = "--detach", description = "Submit and return (on a cluster); without it, wait and cancel the job on Ctrl-C.")
    boolean detach;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        restore.apply(env);
        JobClient job = JobLauncher.start(env, c, new KafkaSources.Reading(fromStart, untilEnd), System.out::println);
        System.out.printf("Job %s running: %s, %s -> ClickHouse %s/%s%n", job.getJobID(), c.kafka.callsTopic,
                c.kafka.ticketsTopic, c.clickhouse.url, c.clickhouse.database);
        if (detach) {
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> job.cancel().join()));
        job.getJobExecutionResult().get();
        System.out.println("Job finished.");
        return 0;
    }

    /** Where to resume from: a savepoint, or a checkpoint retained when the job was cancelled. */
    static final class Restore {
        @Option(names = "--from-savepoint", paramLabel = "PATH",
                description = "Resume from this savepoint or retained checkpoint (a chk-N folder) instead of starting afresh.")
        String path;

        void apply(StreamExecutionEnvironment env) {
            if (path != null) {
                Configuration c = new Configuration();
                c.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
                env.configure(c);
            }
        }
    }
}
