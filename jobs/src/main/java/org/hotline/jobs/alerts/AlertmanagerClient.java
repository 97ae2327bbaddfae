package org.hotline.jobs.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Alertmanager's HTTP API, v2: what the job posts its alerts to, and the check of its address at start. */
public final class AlertmanagerClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http;

    public AlertmanagerClient(String url) {
        this.base = parse(url);
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The base address of an Alertmanager, such as {@code http://127.0.0.1:9093}, or a clear error. */
    static URI parse(String url) {
        try {
            URI u = new URI(url.trim());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException(wrong(url, "it must be http(s)://host:port of an Alertmanager"));
            }
            String s = u.toString();
            return URI.create(s.endsWith("/") ? s : s + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(wrong(url, "it must be http(s)://host:port of an Alertmanager"), e);
        }
    }

    private static String wrong(String url, String why) {
        return "alerts.alertmanager_url '" + url + "' is wrong: " + why
                + "; leave it empty to send no alerts to Alertmanager";
    }

    /**
     * Refuses an address that is not an Alertmanager's (a malformed URL, or a server that does not answer its status
     * as Alertmanager does); returns a warning, or null, when none answers yet: delivery then retries as it runs.
     */
    public static String check(String url) {
        AlertmanagerClient c = new AlertmanagerClient(url);
        HttpResponse<String> r;
        try {
            r = c.http.send(
                    HttpRequest.newBuilder(c.base.resolve("api/v2/status"))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "no Alertmanager answers at " + url + " yet (" + e.getClass().getSimpleName()
                    + "): alerts are sent once it does";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (r.statusCode() != 200 || !r.body().contains("versionInfo")) {
            throw new IllegalArgumentException(wrong(
                    url,
                    "GET " + c.base.resolve("api/v2/status") + " answered " + r.statusCode()
                            + ", not Alertmanager's status"));
        }
        return null;
    }

    /** Posts alerts (a JSON array); throws with the reason when Alertmanager did not take them. */
    public void post(String alertsJson) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("api/v2/alerts"))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(alertsJson, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() / 100 != 2) {
            throw new IOException("Alertmanager answered " + r.statusCode() + ": " + r.body());
        }
    }
}
