package org.hotline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.LocalAlertmanager;
import org.hotline.deploy.LocalClickHouse;
import org.hotline.deploy.LocalKafka;
import org.hotline.jobs.JobLauncher;
import org.hotline.sql.ClickHouseSql;

/**
 * The servers a command needs: the configured ones when given (--clickhouse-url, --bootstrap-servers),
 * otherwise local ones under the work dir: ClickHouse keeping its data in {@code <work>/clickhouse},
 * and a Kafka broker that starts empty. {@link #close()} stops what it started.
 */
final class LocalRuntime implements AutoCloseable {

    private LocalClickHouse clickhouse;
    private LocalKafka kafka;
    private LocalAlertmanager alertmanager;
    private final Thread onExit = new Thread(this::stop, "stop-local-servers");

    private LocalRuntime() {
        // Ctrl-C or a kill stops the servers too, not only a normal end.
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts a local ClickHouse unless {@code externalUrl} is set; points the config at whichever is used. */
    static LocalRuntime clickhouse(HotlineConfig config, Path workDir, String externalUrl) {
        LocalRuntime runtime = new LocalRuntime();
        if (externalUrl != null) {
            config.clickhouse.url = externalUrl;
        } else {
            System.err.println("Starting ClickHouse (data in "
                    + workDir.resolve("clickhouse").toAbsolutePath() + ")...");
            runtime.clickhouse = LocalClickHouse.start(workDir.resolve("clickhouse"));
            config.clickhouse.url = runtime.clickhouse.httpUrl();
        }
        return runtime;
    }

    /** Work against ClickHouse. */
    interface ClickHouseWork<T> {
        T run(ClickHouseSql ch) throws Exception;
    }

    /** Runs {@code work} on the configured ClickHouse or a local one, with the schema brought up to date first. */
    static <T> T withClickHouse(HotlineConfig config, Hotline.ServerOptions servers, ClickHouseWork<T> work)
            throws Exception {
        try (LocalRuntime runtime = clickhouse(config, servers.workDir, servers.clickhouseUrl);
                ClickHouseSql ch =
                        new ClickHouseSql(config.clickhouse.url, config.clickhouse.user, config.clickhouse.password)) {
            JobLauncher.migrate(config.clickhouse, s -> {});
            return work.run(ch);
        }
    }

    /** Adds a Kafka broker unless {@code externalBootstrap} is set: in this process, or as a child process. */
    LocalRuntime kafka(HotlineConfig config, Path workDir, String externalBootstrap, boolean asProcess) {
        if (externalBootstrap != null) {
            config.kafka.bootstrapServers = externalBootstrap;
            return this;
        }
        Path dir = workDir.resolve("kafka");
        try {
            deleteRecursively(dir); // a fresh broker each time; ClickHouse's keys make re-reads harmless
        } catch (IOException e) {
            throw new IllegalStateException("could not clear " + dir + ": " + e.getMessage(), e);
        }
        System.err.println("Starting Kafka (a KRaft broker" + (asProcess ? " in its own process" : "") + ")...");
        kafka = asProcess ? LocalKafka.spawn(dir, workDir.resolve("log/kafka.log")) : LocalKafka.start(dir);
        config.kafka.bootstrapServers = kafka.bootstrapServers();
        return this;
    }

    /** Adds an Alertmanager of its own (data in {@code <work>/alertmanager}) unless the config names one. */
    LocalRuntime alertmanager(HotlineConfig config, Path workDir) {
        if (config.alerts.alertmanagerUrl != null && !config.alerts.alertmanagerUrl.isBlank()) {
            return this;
        }
        System.err.println("Starting Alertmanager...");
        alertmanager = LocalAlertmanager.start(workDir.resolve("alertmanager"), LocalAlertmanager.DEMO_CONFIG);
        config.alerts.alertmanagerUrl = alertmanager.url();
        return this;
    }

    /** The processes this runtime started, by name (for their CPU time), and this one as "flink" (the job runs here). */
    java.util.Map<String, ProcessHandle> processes() {
        java.util.Map<String, ProcessHandle> out = new java.util.LinkedHashMap<>();
        out.put("flink", ProcessHandle.current());
        if (kafka != null) {
            out.put("kafka", kafka.process());
        }
        if (clickhouse != null) {
            out.put("clickhouse", clickhouse.process());
        }
        return out;
    }

    boolean startedKafka() {
        return kafka != null;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // already running the hooks: it stops the servers
        }
        stop();
    }

    private synchronized void stop() {
        if (alertmanager != null) {
            alertmanager.close();
            alertmanager = null;
        }
        try {
            if (kafka != null) {
                kafka.close();
                kafka = null;
            }
        } finally {
            if (clickhouse != null) {
                clickhouse.close();
                clickhouse = null;
            }
        }
    }

    /**
     * Deletes {@code dir} and all it holds. Something else may still be removing files in it (Flink discards a finished
     * job's checkpoints in the background): a file gone under the walk, or one appearing, makes it look again.
     */
    static void deleteRecursively(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (java.nio.file.NoSuchFileException | java.nio.file.DirectoryNotEmptyException e) {
                if (attempt >= 50) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while deleting " + dir, interrupted);
                }
            }
        }
    }
}
