package org.hotline.jobs;

import org.hotline.events.ParseError;
import org.hotline.events.Reason;

/**
 * A record that was kept aside instead of being counted, with its place in Kafka (its key), its
 * payload and why. {@code eventTimeMs} is set when the record was a valid event (a duplicate or a
 * late one), and null otherwise.
 */
public record DeadLetter(
        String topic,
        int partition,
        long offset,
        String payload,
        String reason,
        String field,
        String message,
        Long eventTimeMs,
        long seenAtMs) {

    public static DeadLetter unparsed(Sourced<?> s) {
        ParseError e = s.error();
        return new DeadLetter(
                s.topic(),
                s.partition(),
                s.offset(),
                s.payload(),
                e.reason().code(),
                e.field(),
                e.message(),
                null,
                System.currentTimeMillis());
    }

    public static DeadLetter rejected(
            Sourced<?> s, String canonicalPayload, long eventTimeMs, Reason reason, String message) {
        return new DeadLetter(
                s.topic(),
                s.partition(),
                s.offset(),
                canonicalPayload,
                reason.code(),
                null,
                message,
                eventTimeMs,
                System.currentTimeMillis());
    }
}
