package org.hotline.wallboard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the wallboard: the page, its script and style, and {@code /api/board} (the figures as JSON,
 * which the page polls). The figures are read at most once per refresh interval however many screens
 * poll. The page's content-security policy allows only its own script, and the script writes data as
 * text, so a name from the data can never become markup.
 */
public final class WallboardServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/wallboard.js", "wallboard.js",
            "/wallboard.css", "wallboard.css");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Board board;
    private final Duration refresh;
    private ObjectNode cached;
    private long cachedAtNanos;

    private WallboardServer(HttpServer server, Board board, Duration refresh) {
        this.server = server;
        this.board = board;
        this.refresh = refresh;
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "wallboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    /** Starts serving on {@code host:port} (port 0: any free port). */
    public static WallboardServer start(String host, int port, Board board, Duration refresh) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
            WallboardServer s = new WallboardServer(http, board, refresh);
            http.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the wallboard cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod()) && !"HEAD".equals(x.getRequestMethod())) {
                send(x, 405, "text/plain", "only GET".getBytes(UTF_8));
                return;
            }
            String path = x.getRequestURI().getPath();
            if ("/api/board".equals(path)) {
                ObjectNode b = current();
                b.put("refresh_ms", refresh.toMillis());
                x.getResponseHeaders().set("Cache-Control", "no-store");
                send(x, 200, "application/json", JSON.writeValueAsBytes(b));
            } else if (STATIC.containsKey(path)) {
                String file = STATIC.get(path);
                send(x, 200, contentType(file), resource(file));
            } else {
                send(x, 404, "text/plain", "not found".getBytes(UTF_8));
            }
        } catch (RuntimeException e) {
            send(x, 500, "text/plain", ("wallboard error: " + e.getMessage()).getBytes(UTF_8));
        }
    }

    /** The board, read again once the last reading is older than the refresh interval. */
    private synchronized ObjectNode current() {
        if (cached == null || System.nanoTime() - cachedAtNanos >= refresh.toNanos() / 2) {
            cached = board.read();
            cachedAtNanos = System.nanoTime();
        }
        return cached.deepCopy();
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        var h = x.getResponseHeaders();
        h.set("Content-Type", type + "; charset=utf-8");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        h.set("Referrer-Policy", "no-referrer");
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = WallboardServer.class.getResourceAsStream("/wallboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing page resource " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".js")) {
            return "text/javascript";
        }
        return file.endsWith(".css") ? "text/css" : "text/html";
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
