package org.hotline.simulator;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.hotline.deploy.CheckedProducer;
import org.hotline.events.CallEvent;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;

/**
 * Writes a generated month to Kafka, keyed by call and ticket id, in event-time order: as fast as
 * possible, or live (in real time, or {@code speed} times faster), reporting progress. Every event is
 * acknowledged or the play fails with how many were not stored; the topics must exist.
 */
public final class KafkaPlayback {

    private final Properties clientProperties;
    private final String bootstrapServers;
    private final String callsTopic;
    private final String ticketsTopic;
    private final EventWriter writer;

    public KafkaPlayback(
            Properties clientProperties, String bootstrapServers, String callsTopic, String ticketsTopic, ZoneId zone) {
        this.clientProperties = clientProperties;
        this.bootstrapServers = bootstrapServers;
        this.callsTopic = callsTopic;
        this.ticketsTopic = ticketsTopic;
        this.writer = new EventWriter(zone);
    }

    /**
     * Sends every event; {@code speed <= 0} sends as fast as possible, otherwise event time is played
     * back at {@code speed} times real time. {@code progress} hears a line every few seconds, and at the
     * end what each topic received. Throws {@link CheckedProducer.NotStoredException} when an event was not stored.
     */
    public CheckedProducer.Delivery play(MonthSimulator.Month month, double speed, Consumer<String> progress)
            throws InterruptedException {
        long total = month.size();
        long sent = 0;
        long started = System.nanoTime();
        long lastReport = started;
        int c = 0;
        int t = 0;
        long firstEvent = Math.min(first(month.calls(), true), first(month.tickets(), false));
        try (CheckedProducer kafka =
                new CheckedProducer(clientProperties, bootstrapServers, List.of(callsTopic, ticketsTopic))) {
            while (c < month.calls().size() || t < month.tickets().size()) {
                boolean call = t >= month.tickets().size()
                        || (c < month.calls().size()
                                && month.calls().get(c).eventTimeMs()
                                        <= month.tickets().get(t).eventTimeMs());
                long eventTime;
                if (call) {
                    CallEvent e = month.calls().get(c++);
                    eventTime = e.eventTimeMs();
                    pace(speed, started, firstEvent, eventTime);
                    kafka.send(callsTopic, e.callId(), writer.write(e));
                } else {
                    TicketEvent e = month.tickets().get(t++);
                    eventTime = e.eventTimeMs();
                    pace(speed, started, firstEvent, eventTime);
                    kafka.send(ticketsTopic, e.ticketId(), writer.write(e));
                }
                sent++;
                if (System.nanoTime() - lastReport > Duration.ofSeconds(2).toNanos()) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format(
                            "  sent %,d of %,d events (%s), %,d stored",
                            sent, total, writer.time(eventTime), kafka.stored()));
                }
            }
            CheckedProducer.Delivery d = kafka.finish();
            progress.accept(String.format("  %,d events stored on Kafka (%s)", d.total(), d));
            return d;
        } catch (CheckedProducer.NotStoredException e) {
            throw new CheckedProducer.NotStoredException(
                    String.format(
                            "%,d of %,d events not stored on Kafka: %s", total - e.stored(), total, e.getMessage()),
                    e.stored(),
                    e);
        }
    }

    private static long first(List<?> events, boolean calls) {
        if (events.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return calls ? ((CallEvent) events.get(0)).eventTimeMs() : ((TicketEvent) events.get(0)).eventTimeMs();
    }

    private static void pace(double speed, long startedNanos, long firstEvent, long eventTime)
            throws InterruptedException {
        if (speed <= 0) {
            return;
        }
        long dueNanos = startedNanos + (long) ((eventTime - firstEvent) * 1_000_000L / speed);
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
    }
}
