package org.hotline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus Alertmanager (Debian's prometheus-alertmanager) run as the project's own process: its own config,
 * data folder (silences and the notification log, kept across starts) and a free loopback port; no cluster. {@link
 * #close()} stops it.
 */
public final class LocalAlertmanager implements AutoCloseable {

    private static final List<Path> BINARIES =
            List.of(Path.of("/usr/bin/prometheus-alertmanager"), Path.of("/usr/bin/alertmanager"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What the demo's Alertmanager does with the alerts: groups them by unit and keeps them for its API and page; a
     * real one routes them to people (deploy/alertmanager/alertmanager.yml).
     */
    public static final String DEMO_CONFIG = """
            route:
              receiver: wallboard-only
              group_by: [unit, alertname]
              group_wait: 10s
              group_interval: 1m
              repeat_interval: 4h
            receivers:
              - name: wallboard-only
            """;

    private final Process process;
    private final Path dir;
    private final int port;

    private LocalAlertmanager(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The installed binary, or a clear error saying how to install it. */
    public static Path binary() {
        return Processes.installed(BINARIES, "prometheus-alertmanager");
    }

    /** Starts one with {@code config} (alertmanager.yml's text), keeping its data under {@code dir}, on a free port. */
    public static LocalAlertmanager start(Path dir, String config) {
        return start(dir, config, Ports.free());
    }

    /** The same on {@code port}: started again where it was, as after an outage. */
    public static LocalAlertmanager start(Path dir, String config, int port) {
        Path bin = binary();
        try {
            dir = dir.toAbsolutePath();
            Files.createDirectories(dir.resolve("data"));
            Path file = dir.resolve("alertmanager.yml");
            Files.writeString(file, config);
            Process p = new ProcessBuilder(
                            bin.toString(),
                            "--config.file=" + file,
                            "--storage.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port,
                            "--cluster.listen-address=", // one instance: no gossip port
                            "--log.level=warn")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("alertmanager.log").toFile()))
                    .start();
            LocalAlertmanager am = new LocalAlertmanager(p, dir, port);
            am.awaitReady();
            return am;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start prometheus-alertmanager in " + dir, e);
        }
    }

    private void awaitReady() {
        Processes.awaitHttp(
                process,
                URI.create(url() + "/-/ready"),
                START_TIMEOUT,
                "prometheus-alertmanager",
                dir.resolve("alertmanager.log"));
    }

    /** Its address, such as {@code http://127.0.0.1:9093}: the job's {@code alerts.alertmanager_url}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Stops it: SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        Processes.stop(process);
    }
}
