package org.hotline.jobs;

import java.io.Serializable;
import java.time.Duration;

/** How the job treats time: watermarks, lateness, idleness, and how long duplicates and tickets are remembered. */
public record JobSettings(
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration dedupRetention,
        Duration ticketRetention) implements Serializable {

    public static JobSettings defaults() {
        return new JobSettings(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(7),
                Duration.ofDays(90));
    }
}
