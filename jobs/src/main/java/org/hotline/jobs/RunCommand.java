package org.hotline.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.io.KafkaSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the job against the Kafka and ClickHouse of the configuration: in this process, or on a "
                    + "Flink cluster when started by `flink run hotline-job.jar run --detach ...`.",
            "It resumes from the newest completed checkpoint in job.checkpoint_dir when there is one (after a crash "
                    + "or a stop), and says which; --fresh rebuilds from the start of the topics instead."
        })
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    Restore restore;

    @Option(
            names = "--until-end",
            description = "Stop at the end of the topics as they are now (a replay), instead of running on.")
    boolean untilEnd;

    @Option(
            names = "--detach",
            description = "Submit and return (on a cluster); without it, wait and cancel the job on Ctrl-C.")
    boolean detach;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        boolean fromStart = restore.decide(env, c, System.out::println);
        JobClient job = JobLauncher.start(env, c, new KafkaSources.Reading(fromStart, untilEnd), System.out::println);
        System.out.printf(
                "Job %s running: %s, %s -> ClickHouse %s/%s%n",
                job.getJobID(), c.kafka.callsTopic, c.kafka.ticketsTopic, c.clickhouse.url, c.clickhouse.database);
        if (detach) {
            return 0;
        }
        Thread cancel = new Thread(() -> job.cancel().join()); // on Ctrl-C
        Runtime.getRuntime().addShutdownHook(cancel);
        job.getJobExecutionResult().get();
        Runtime.getRuntime().removeShutdownHook(cancel); // finished: nothing to cancel (it would fail, loudly)
        System.out.println("Job finished.");
        return 0;
    }

    /** Where the job's state comes from: a savepoint named, the newest checkpoint, or nothing (--fresh). */
    public static final class Restore {
        @Option(
                names = "--from-savepoint",
                paramLabel = "PATH",
                description = "Resume from this savepoint or retained checkpoint (a chk-N folder).")
        String path;

        @Option(
                names = {"--fresh", "--from-start"},
                description = "Start with empty state and read the topics from their start: every figure is rebuilt. "
                        + "Without it the job resumes from the newest checkpoint in job.checkpoint_dir.")
        boolean fresh;

        /** Resume from {@code savepoint} (null: the newest checkpoint, as without the option). */
        public static Restore from(String savepoint) {
            Restore r = new Restore();
            r.path = savepoint;
            return r;
        }

        /**
         * Chooses and applies the state to start from, saying which; returns whether the topics are read from their
         * start. Refuses a start with empty state from the offsets a stateful run committed: the rest of the topics
         * would be counted without what came before, and no error would ever show it.
         */
        public boolean decide(StreamExecutionEnvironment env, HotlineConfig c, Consumer<String> say) {
            if (path != null) {
                say.accept("Resuming from " + path);
                requireState(localFolder(path));
                apply(env);
                return false;
            }
            if (fresh) {
                say.accept("Starting fresh: empty state, the topics read from their start.");
                return true;
            }
            Path dir = JobLauncher.checkpointDir(c);
            Checkpoints.Found newest = Checkpoints.newest(dir);
            if (newest != null) {
                say.accept("Resuming from the newest checkpoint, " + newest.path() + " (completed " + newest.completed()
                        + ")");
                requireState(newest.path());
                path = newest.path().toUri().toString();
                apply(env);
                return false;
            }
            Map<TopicPartition, Long> committed = committedOffsets(c);
            if (!committed.isEmpty()) {
                throw new IllegalStateException(String.format(
                        "consumer group %s has read %,d records of %s and %s "
                                + "(committed offsets), but %s holds no checkpoint with the state that goes with them: starting "
                                + "there with empty state would count the rest without what came before. Use --fresh to rebuild "
                                + "from the start of the topics, or --from-savepoint PATH.",
                        c.kafka.groupId,
                        committed.values().stream().mapToLong(Long::longValue).sum(),
                        c.kafka.callsTopic,
                        c.kafka.ticketsTopic,
                        dir));
            }
            say.accept("Starting: no checkpoint in " + dir
                    + " and no offsets committed; the topics are read from their start.");
            return true;
        }

        /**
         * Refuses a checkpoint or savepoint (a local folder; others are not read here) taken by a run that counted other
         * figures ({@link FigureLayout}), or without the state of every operator that keeps what came before: one added
         * to the job since it was taken would start empty and its figures count only from now on, with no error ever
         * showing it; or with the state of an operator this build no longer has ({@link HotlineJob#RETIRED}).
         */
        public static void requireState(Path folder) {
            if (folder == null || !Files.exists(folder.resolve("_metadata"))) {
                return;
            }
            String changed = FigureLayout.changedSince(folder);
            if (changed != null) {
                throw new IllegalStateException(String.format(
                        "%s was taken by a run counting other figures (%s): its state cannot be resumed, and a "
                                + "figure added would have nothing before now. Use --fresh to rebuild every figure from "
                                + "the start of the topics.",
                        folder, changed));
            }
            java.util.Set<String> held = Checkpoints.held(folder);
            for (Map.Entry<String, String> retired : HotlineJob.RETIRED.entrySet()) {
                if (held.contains(retired.getKey())) {
                    throw new IllegalStateException(String.format(
                            "%s was taken by an earlier build: it holds %s (%s). Use --fresh to rebuild every figure "
                                    + "from the start of the topics.",
                            folder, retired.getValue(), retired.getKey()));
                }
            }
            java.util.Set<String> missing = Checkpoints.missing(held, HotlineJob.KEEPS_HISTORY);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(String.format(
                        "%s holds no state for %s, which this version of the job "
                                + "keeps (added since it was taken): resuming would start them empty and their figures would count "
                                + "only from now on. Use --fresh to rebuild every figure from the start of the topics.",
                        folder, String.join(", ", missing)));
            }
        }

        private static Path localFolder(String path) {
            if (path.startsWith("file:")) {
                return Path.of(java.net.URI.create(path));
            }
            return path.contains("://") ? null : Path.of(path);
        }

        /** Restores from {@link #path} when it is set. */
        public void apply(StreamExecutionEnvironment env) {
            if (path != null) {
                Configuration c = new Configuration();
                c.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
                env.configure(c);
            }
        }

        /** The group's committed offsets beyond the start, on the job's topics. */
        private static Map<TopicPartition, Long> committedOffsets(HotlineConfig c) {
            List<String> topics = List.of(c.kafka.callsTopic, c.kafka.ticketsTopic);
            java.util.Properties p = c.kafka.clientProperties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka.bootstrapServers);
            // an unreachable broker is named within seconds; the API timeout may not be below the request's
            p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            p.putIfAbsent(
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    String.valueOf(Math.max(
                            20_000, Long.parseLong(p.getProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)))));
            try (Admin admin = Admin.create(p)) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(c.kafka.groupId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                return offsets.entrySet().stream()
                        .filter(e -> topics.contains(e.getKey().topic())
                                && e.getValue() != null
                                && e.getValue().offset() > 0)
                        .collect(java.util.stream.Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().offset()));
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "could not read the committed offsets of consumer group " + c.kafka.groupId + " at "
                                + c.kafka.bootstrapServers + ": " + e.getCause().getMessage(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
