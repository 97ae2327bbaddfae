package org.hotline.jobs;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the job treats time: watermarks, lateness, idleness, how long duplicates and tickets are
 * remembered, how often a minute in progress is written (zero: only once it is complete), and how
 * often the units are read again while a step waits for one.
 */
public record JobSettings(
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration dedupRetention,
        Duration ticketRetention,
        Duration earlyUpdates,
        Duration unitsRefresh)
        implements Serializable {

    public static JobSettings defaults() {
        return new JobSettings(
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofHours(1),
                Duration.ofDays(7),
                Duration.ofDays(90),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30));
    }

    public JobSettings withEarlyUpdates(Duration interval) {
        return new JobSettings(
                outOfOrderness, idleness, allowedLateness, dedupRetention, ticketRetention, interval, unitsRefresh);
    }
}
