package org.hotline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.deploy.Ports;

/**
 * A real standalone Flink session cluster on this machine: a JobManager and TaskManagers, each its own
 * JVM, run from the Maven-resolved Flink runtime (flink-dist is not served here), bound to loopback on
 * free ports. Our own classes are not on its classpath: jobs come in their jar, as on any cluster.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final int restPort;
    private final int prometheusPort;
    private final String classpath;
    private final List<String> jvmOptions;
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalFlinkCluster(Path dir, int restPort, int prometheusPort, String classpath, List<String> jvmOptions) {
        this.dir = dir;
        this.restPort = restPort;
        this.prometheusPort = prometheusPort;
        this.classpath = classpath;
        this.jvmOptions = jvmOptions;
        this.jobManager = launch(
                "jobmanager",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                resourceParams("GET_JM_RESOURCE_PARAMS"));
    }

    /** Starts the JobManager and {@code taskManagers} TaskManagers (one slot each), and waits until they are registered. */
    public static LocalFlinkCluster start(Path dir, int taskManagers, List<String> jvmOptions) throws IOException {
        dir = dir.toAbsolutePath();
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("tmp"));
        int rest = Ports.free();
        int prometheus = Ports.free();
        Files.writeString(
                dir.resolve("conf/config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + Ports.free(),
                        "jobmanager.bind-host: 127.0.0.1",
                        "jobmanager.memory.process.size: 1024m",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.host: 127.0.0.1",
                        "taskmanager.memory.process.size: 1400m",
                        "taskmanager.memory.managed.size: 64m",
                        "taskmanager.numberOfTaskSlots: 1",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + rest,
                        "io.tmp.dirs: " + dir.resolve("tmp"),
                        // a killed TaskManager is noticed in seconds, and the job restarts after it is (not twice)
                        "heartbeat.interval: 2000",
                        "heartbeat.timeout: 8000",
                        "restart-strategy.type: fixed-delay",
                        "restart-strategy.fixed-delay.attempts: 30",
                        "restart-strategy.fixed-delay.delay: 6 s",
                        // every process's metrics for Prometheus, on the first free port of the range
                        "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                        "metrics.reporter.prom.port: " + prometheus + "-" + (prometheus + 20),
                        ""));
        Files.writeString(
                dir.resolve("conf/log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = ${sys:log.file}",
                        "appender.file.append = true",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n",
                        "shutdownHook = disable",
                        ""));
        LocalFlinkCluster cluster = new LocalFlinkCluster(dir, rest, prometheus, clusterClasspath(), jvmOptions);
        try {
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String restAddress() {
        return "127.0.0.1:" + restPort;
    }

    public Path confDir() {
        return dir.resolve("conf");
    }

    public String classpath() {
        return classpath;
    }

    /** The first port of the Prometheus reporters' range (the JobManager's, usually). */
    public int prometheusPort() {
        return prometheusPort;
    }

    public void startTaskManager() {
        taskManagers.add(launch(
                "taskmanager-" + taskManagers.size(),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                resourceParams("GET_TM_RESOURCE_PARAMS")));
    }

    /** Kills a TaskManager as {@code kill -9} does: no shutdown, no goodbye to the JobManager. */
    public void killTaskManager(int index) throws InterruptedException {
        Process p = taskManagers.get(index);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    public void awaitTaskManagers(int count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get("/taskmanagers").path("taskmanagers").size() >= count) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the JobManager is still starting
            }
            sleep(500);
        }
        throw new IllegalStateException(
                count + " TaskManagers did not register in 2 minutes; see " + dir.resolve("log"));
    }

    /** A GET on the cluster's REST API. */
    public JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + restAddress() + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        http.send(
                HttpRequest.newBuilder(URI.create("http://" + restAddress() + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Runs a Java main class with the cluster's classpath and configuration (e.g. Flink's CLI), returning its exit code. */
    public int run(Path log, String... mainAndArgs) throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.addAll(List.of(mainAndArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FLINK_CONF_DIR", confDir().toString());
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", mainAndArgs) + " did not end in 3 minutes; see " + log);
        }
        return p.exitValue();
    }

    private Process launch(String name, String mainClass, List<List<String>> resources) {
        List<String> cmd = java();
        cmd.addAll(resources.get(0));
        cmd.add("-Dlog.file=" + dir.resolve("log/" + name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties"));
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(confDir().toString());
        cmd.addAll(resources.get(1));
        try {
            return new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("log/" + name + ".out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the " + name, e);
        }
    }

    /** What Flink's scripts compute before starting a process: its JVM memory flags, and its dynamic settings. */
    private List<List<String>> resourceParams(String which) {
        try {
            List<String> cmd = java();
            cmd.addAll(List.of(
                    "org.apache.flink.runtime.util.bash.BashJavaUtils",
                    which,
                    "--configDir",
                    confDir().toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            List<List<String>> results = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                    String value = line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())
                            .trim();
                    results.add(value.isEmpty() ? List.of() : Arrays.asList(value.split(" ")));
                }
            }
            if (results.size() < 2) {
                throw new IllegalStateException("BashJavaUtils " + which + " said: " + out);
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        cmd.add("-cp");
        cmd.add(classpath);
        return cmd;
    }

    /** This JVM's classpath without our code, the connectors and their clients: what a Flink distribution holds. */
    static String clusterClasspath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean ours =
                    e.contains("/hotline-") || e.endsWith("/target/classes") || e.endsWith("/target/test-classes");
            boolean userSide = e.contains("/flink-connector-kafka")
                    || e.contains("/org/apache/kafka/")
                    || e.contains("/com/clickhouse/")
                    || e.contains("/org/seleniumhq/")
                    || e.contains("/com/fasterxml/jackson/")
                    || e.contains("/info/picocli/")
                    || e.contains("/org/scala-lang/");
            if (!ours && !userSide) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
