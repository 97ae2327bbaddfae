package org.hotline.deploy;

import java.util.concurrent.TimeUnit;

/** Stopping the servers' child processes, and waiting between readiness checks. */
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

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
