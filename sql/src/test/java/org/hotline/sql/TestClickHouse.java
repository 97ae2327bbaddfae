package org.hotline.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hotline.deploy.LocalClickHouse;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One real ClickHouse server for this module's tests (and the wallboard's), started on first use and stopped when the run ends. */
public final class TestClickHouse implements BeforeAllCallback {

    private static Server server;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (TestClickHouse.class) {
            server = context.getRoot()
                    .getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(Server.class, k -> new Server(), Server.class);
        }
    }

    /** The server's HTTP address, for a client as another user. */
    public static String httpUrl() {
        return server.clickhouse.httpUrl();
    }

    /** A client as the administrator; tests keep apart by using databases of their own. */
    public static ClickHouseSql sql() {
        return server.sql;
    }

    @SuppressWarnings("deprecation") // CloseableResource: closed by JUnit when the whole run ends
    static final class Server implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final LocalClickHouse clickhouse;
        final ClickHouseSql sql;

        Server() {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "clickhouse-");
                clickhouse = LocalClickHouse.start(dir);
                sql = new ClickHouseSql(clickhouse.httpUrl(), "default", "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                sql.close();
            } finally {
                clickhouse.close();
            }
        }
    }
}
