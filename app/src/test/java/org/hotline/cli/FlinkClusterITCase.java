package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hotline.cluster.LocalFlinkCluster;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.SharedServices;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real month on a real multi-process Flink session cluster: a JobManager and two TaskManagers as
 * their own JVMs, the job's shaded jar submitted as a user would ({@code flink run}, Flink's own CLI).
 * Mid-stream one TaskManager is killed with {@code kill -9} and a new one started; the job restores
 * from its last checkpoint, and ClickHouse ends holding exactly the published month. The cluster's
 * metrics are served for Prometheus. Then {@code ./hotline submit} sends the same jar through the REST
 * API and the job it starts reads the month.
 */
@ExtendWith(SharedServices.class)
class FlinkClusterITCase {

    static final Path WORK = Path.of("target", "flink-cluster");
    static final Path JOB_JAR = Path.of("..", "jobs", "target", "hotline-job.jar");

    @Test
    void aTaskManagerKilledMidStreamLosesNothing() throws Exception {
        assertThat(JOB_JAR).as("the job jar, built by mvn package").isRegularFile();
        LocalRuntime.deleteRecursively(WORK); // no checkpoints or logs of an earlier run
        Profile profile = Profile.load("xiangtan-2023-09");
        MonthSimulator.Month month = new MonthSimulator(profile, 2023).generate();
        HotlineConfig c = SharedServices.config("flink_cluster");
        RecoveryITCase.prepare(c, profile);
        RecoveryITCase.play(c, month);
        c.job.parallelism = 2;
        c.job.checkpointDir = WORK.resolve("checkpoints").toAbsolutePath().toString();
        Path config = RecoveryITCase.configFile(c, WORK.resolve("hotline.yaml"));
        List<String> jvm = Files.readAllLines(Path.of("..", "deploy", "jvm.options")).stream()
                .filter(l -> l.startsWith("--add-"))
                .toList();

        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(WORK.resolve("cluster"), 2, jvm)) {
            // Submitted as a user would: flink run -d hotline-job.jar run --config ... --detach
            Path cliLog = WORK.resolve("flink-run.log");
            int exit = cluster.run(
                    cliLog,
                    "org.apache.flink.client.cli.CliFrontend",
                    "run",
                    "-m",
                    cluster.restAddress(),
                    "-d",
                    JOB_JAR.toAbsolutePath().toString(),
                    "run",
                    "--config",
                    config.toString(),
                    "--detach");
            assertThat(exit)
                    .as("flink run (see %s): %s", cliLog, Files.readString(cliLog))
                    .isZero();
            String jobId = await().atMost(Duration.ofMinutes(1)).until(() -> running(cluster), id -> id != null);

            RecoveryITCase.awaitProgress(c, month, 0.3);
            cluster.killTaskManager(0);
            cluster.startTaskManager();

            java.util.concurrent.atomic.AtomicReference<String> taskManagerMetrics =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<String> jobManagerMetrics =
                    new java.util.concurrent.atomic.AtomicReference<>();
            RecoveryITCase.awaitTruth(c, month, null, () -> {
                taskManagerMetrics.set(taskManagerMetrics(cluster)); // while the job's operators are registered
                jobManagerMetrics.set(prometheus(cluster)); // and the job's own
                cluster.cancel(jobId);
            });
            JsonNode job = cluster.get("/jobs/" + jobId);
            assertThat(cluster.get("/jobs/" + jobId + "/exceptions")
                            .path("exceptionHistory")
                            .path("entries")
                            .size())
                    .as("the job failed over (the killed TaskManager): %s", job)
                    .isPositive();
            assertThat(prometheus(cluster))
                    .as("metrics for Prometheus")
                    .contains("flink_jobmanager_numRegisteredTaskManagers");
            assertThat(taskManagerMetrics.get())
                    .as("the ClickHouse sinks' metrics, for Prometheus")
                    .containsPattern("flink_taskmanager_job_task_operator_clickhouse_rowsWritten\\{[^}]*clickhouse=\""
                            + c.clickhouse.database + "_call_events\"[^}]*\\} [1-9]") // the reporter writes dots as _
                    .contains("flink_taskmanager_job_task_operator_clickhouse_insertMillis")
                    .contains("flink_taskmanager_job_task_operator_clickhouse_retries");
            // the job's health rules for Prometheus (deploy/prometheus) name metrics a real cluster serves, for this
            // job
            String rules = Files.readString(Path.of("..", "deploy", "prometheus", "hotline-rules.yml"));
            java.util.regex.Matcher named =
                    java.util.regex.Pattern.compile("flink_\\w+").matcher(rules);
            List<String> metrics = new java.util.ArrayList<>();
            while (named.find()) {
                metrics.add(named.group());
            }
            assertThat(metrics).hasSizeGreaterThanOrEqualTo(6);
            String served = jobManagerMetrics.get() + taskManagerMetrics.get();
            for (String metric : metrics) {
                assertThat(served)
                        .as("%s, named in deploy/prometheus/hotline-rules.yml", metric)
                        .containsPattern(metric + "\\{[^}]*"
                                + (metric.endsWith("numRunningJobs") ? "" : "job_name=\"hotline\""));
            }

            // ./hotline submit: the same jar sent from here through the REST API, into a database of its own.
            HotlineConfig second = SharedServices.config("flink_cluster_submit");
            RecoveryITCase.prepare(second, profile);
            Path submitConfig = WORK.resolve("hotline-submit.yaml").toAbsolutePath();
            Files.writeString(
                    submitConfig,
                    Files.readString(config)
                            .replace("database: " + c.clickhouse.database, "database: " + second.clickhouse.database)
                            .replace("group_id: " + c.kafka.groupId, "group_id: " + second.kafka.groupId));
            assertThat(Hotline.commandLine()
                            .execute(
                                    "submit",
                                    "--jobmanager",
                                    cluster.restAddress(),
                                    "--config",
                                    submitConfig.toString(),
                                    "--jar",
                                    JOB_JAR.toString()))
                    .isZero();
            String submitted = await().atMost(Duration.ofMinutes(1)).until(() -> running(cluster), id -> id != null);
            RecoveryITCase.awaitProgress(second, month, 0.1);
            cluster.cancel(submitted);
        }
    }

    /** The id of the running job, once there is one. */
    private static String running(LocalFlinkCluster cluster) {
        for (JsonNode j : cluster.get("/jobs/overview").path("jobs")) {
            if (j.path("state").asText().equals("RUNNING")) {
                return j.path("jid").asText();
            }
        }
        return null;
    }

    /** What the TaskManagers' reporters serve (the ports after the JobManager's, in the configured range). */
    private static String taskManagerMetrics(LocalFlinkCluster cluster) {
        StringBuilder all = new StringBuilder();
        for (int port = cluster.prometheusPort() + 1; port <= cluster.prometheusPort() + 20; port++) {
            try {
                all.append(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
            } catch (Exception nobodyThere) {
                // a port of the range no reporter took
            }
        }
        return all.toString();
    }

    private static String prometheus(LocalFlinkCluster cluster) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.prometheusPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
