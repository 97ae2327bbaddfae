package org.hotline.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finding, starting and stopping the servers' child processes. */
final class Processes {
    private Processes() {}

    /** SIGTERM, so the server shuts down cleanly; SIGKILL if it has not stopped within 30 s. */
    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The first of {@code candidates} installed, or a clear error saying how to install Debian's {@code pkg}. */
    static Path installed(List<Path> candidates, String pkg) {
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(pkg + " is not installed. Install it with deploy/install-packages.sh " + pkg
                + " (as root: apt-get update && apt-get install -y " + pkg + "); ./hotline test and ./hotline demo do "
                + "this for you.");
    }

    /**
     * Waits until {@code process} answers 200 at {@code ready}; stops it and says where its logs are ({@code logs})
     * when it exits, does not answer within {@code timeout}, or the wait is interrupted.
     */
    static void awaitHttp(Process process, URI ready, Duration timeout, String name, Path logs) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request =
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with code " + process.exitValue() + " during start; see " + logs);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(process);
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(100);
        }
        stop(process);
        throw new IllegalStateException(name + " did not answer within " + timeout + "; see " + logs);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
