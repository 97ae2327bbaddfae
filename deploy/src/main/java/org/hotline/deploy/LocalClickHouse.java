package org.hotline.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real ClickHouse server (Debian's clickhouse-server) run as the project's own process: its own
 * config, data folder and free loopback ports. {@link #close()} stops it cleanly.
 */
public final class LocalClickHouse implements AutoCloseable {

    private static final List<Path> BINARIES =
            List.of(Path.of("/usr/sbin/clickhouse-server"), Path.of("/usr/bin/clickhouse-server"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Path dir;
    private final int httpPort;
    private final int tcpPort;

    /** The server's process (for its CPU time, say). */
    public ProcessHandle process() {
        return process.toHandle();
    }

    private LocalClickHouse(Process process, FileChannel lockFile, FileLock lock, Path dir, int httpPort, int tcpPort) {
        this.process = process;
        this.lockFile = lockFile;
        this.lock = lock;
        this.dir = dir;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    /** The installed server binary, or a clear error saying how to install it. */
    public static Path binary() {
        return Processes.installed(BINARIES, "clickhouse-server");
    }

    /** Starts a server keeping its data under {@code dir} (kept across starts) on free loopback ports. */
    public static LocalClickHouse start(Path dir) {
        return start(dir, Ports.free(), Ports.free());
    }

    public static LocalClickHouse start(Path dir, int httpPort, int tcpPort) {
        Path bin = binary();
        try {
            dir = dir.toAbsolutePath();
            for (String sub : List.of("config", "data", "tmp", "log", "user_files", "format_schemas")) {
                Files.createDirectories(dir.resolve(sub));
            }
            // Two servers on one data folder would corrupt it: the folder is ours while the server runs.
            FileChannel lockFile =
                    FileChannel.open(dir.resolve("hotline.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockFile.tryLock();
            if (lock == null) {
                lockFile.close();
                throw new IllegalStateException("another hotline command is running a ClickHouse server on " + dir
                        + "; stop it first (or use --work-dir or --clickhouse-url)");
            }
            Map<String, String> values = Map.of(
                    "dir",
                    dir.toString(),
                    "http_port",
                    Integer.toString(httpPort),
                    "tcp_port",
                    Integer.toString(tcpPort));
            Path config = dir.resolve("config/config.xml");
            Files.writeString(config, template("config.xml", values));
            Files.writeString(dir.resolve("config/users.xml"), template("users.xml", values));
            Path out = dir.resolve("log/stdout.log");
            Process p = new ProcessBuilder(bin.toString(), "--config-file=" + config)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .start();
            LocalClickHouse ch = new LocalClickHouse(p, lockFile, lock, dir, httpPort, tcpPort);
            ch.awaitReady();
            return ch;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start clickhouse-server in " + dir, e);
        }
    }

    private static String template(String name, Map<String, String> values) throws IOException {
        try (InputStream in = LocalClickHouse.class.getResourceAsStream("/clickhouse/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /clickhouse/" + name);
            }
            String s = new String(in.readAllBytes(), UTF_8);
            for (Map.Entry<String, String> e : values.entrySet()) {
                s = s.replace("${" + e.getKey() + "}", e.getValue());
            }
            return s;
        }
    }

    private void awaitReady() {
        try {
            Processes.awaitHttp(
                    process, URI.create(httpUrl() + "/ping"), START_TIMEOUT, "clickhouse-server", dir.resolve("log"));
        } catch (IllegalStateException e) {
            close(); // the data folder's lock too
            throw e;
        }
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public Path dir() {
        return dir;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        Processes.stop(process);
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
