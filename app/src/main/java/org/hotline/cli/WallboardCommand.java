package org.hotline.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.sql.ClickHouseSql;
import org.hotline.wallboard.Board;
import org.hotline.wallboard.WallboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "wallboard",
        mixinStandardHelpOptions = true,
        description =
                "Serve the live wallboard, read from ClickHouse with the read-only user (./hotline demo starts it too).")
final class WallboardCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(
            names = "--clickhouse-url",
            description = "The ClickHouse to read (default: clickhouse.url of the configuration).")
    String clickhouseUrl;

    @Option(names = "--port", description = "Listen on this port (default: wallboard.port of the configuration, 8080).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        if (clickhouseUrl != null) {
            c.clickhouse.url = clickhouseUrl;
        }
        if (port != null) {
            c.wallboard.port = port;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (Running board = start(c)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "wallboard-shutdown"));
            System.out.println("The wallboard is at " + board.url() + "  (reading " + c.clickhouse.url + " as "
                    + c.wallboard.user + "). Press Ctrl-C to stop.");
            stopped.await();
        }
        return 0;
    }

    /** The wallboard server and its ClickHouse connection, closed together. */
    record Running(WallboardServer server, ClickHouseSql reader) implements AutoCloseable {
        String url() {
            return server.url();
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                reader.close();
            }
        }
    }

    /** Starts the wallboard of the configuration: its address, its read-only user, its refresh and staleness. */
    static Running start(HotlineConfig c) {
        HotlineConfig.Wallboard w = c.wallboard;
        ClickHouseSql reader = new ClickHouseSql(c.clickhouse.url, w.user, w.password);
        try {
            Board board = new Board(
                    reader, c.clickhouse.database, Duration.ofSeconds(w.staleAfterSeconds), Clock.systemUTC());
            return new Running(WallboardServer.start(w.host, w.port, board, Duration.ofMillis(w.refreshMs)), reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }
}
