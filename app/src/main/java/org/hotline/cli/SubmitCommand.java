package org.hotline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.RunCommand;
import org.hotline.jobs.io.KafkaSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = "Send the job jar to a running Flink cluster (its REST address) and return; the job runs there, "
                + "live, against the Kafka and ClickHouse of the configuration.")
final class SubmitCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    RunCommand.Restore restore;

    @Option(
            names = "--jobmanager",
            required = true,
            paramLabel = "HOST:PORT",
            description = "The cluster's REST address, e.g. flink-jm:8081.")
    String jobmanager;

    @Option(
            names = "--jar",
            defaultValue = "jobs/target/hotline-job.jar",
            description = "The job jar (default: ${DEFAULT-VALUE}, built by ./hotline build).")
    Path jar;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no job jar at " + jar + "; build it with ./hotline build");
        }
        int colon = jobmanager.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT, not " + jobmanager);
        }
        HotlineConfig c = config.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                jobmanager.substring(0, colon),
                Integer.parseInt(jobmanager.substring(colon + 1)),
                new Configuration(),
                jar.toAbsolutePath().toString());
        restore.apply(env);
        JobClient job = JobLauncher.start(env, c, KafkaSources.Reading.LIVE, System.out::println);
        System.out.println("Submitted job " + job.getJobID() + " to " + jobmanager);
        return 0;
    }
}
