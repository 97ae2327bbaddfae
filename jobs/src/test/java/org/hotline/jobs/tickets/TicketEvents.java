package org.hotline.jobs.tickets;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.hotline.events.CallbackSource;
import org.hotline.events.Channel;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;

/** Builds one ticket's events for tests; {@code t(minutes)} is event time after 2023-09-01 08:00 in the city. */
public final class TicketEvents {

    public static final long START = ZonedDateTime.of(2023, 9, 1, 8, 0, 0, 0, ZoneId.of("Asia/Shanghai"))
            .toInstant()
            .toEpochMilli();

    private final String ticket;
    private int next;

    public TicketEvents(String ticket) {
        this.ticket = ticket;
    }

    public static long t(long minutes) {
        return START + minutes * 60_000L;
    }

    private TicketEvent event(
            TicketEventType type,
            long time,
            String unit,
            Long due,
            Long newDue,
            CallbackSource source,
            Boolean satisfied) {
        return new TicketEvent(
                ticket + "-" + (++next),
                1,
                type,
                time,
                ticket,
                null,
                null,
                null,
                null,
                null,
                null,
                new String[0],
                null,
                unit,
                due,
                newDue,
                null,
                source,
                satisfied);
    }

    public TicketEvent created(long time, String category, String... tags) {
        return createdOnTopic(time, category, null, tags);
    }

    /** Created in {@code category} about {@code topic} (a hotspot's subject, such as a policy in the news). */
    public TicketEvent createdOnTopic(long time, String category, String topic, String... tags) {
        return new TicketEvent(
                ticket + "-" + (++next),
                1,
                TicketEventType.CREATED,
                time,
                ticket,
                null,
                Channel.PHONE,
                RequestType.COMPLAINT,
                category,
                topic,
                "雨湖区",
                tags,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public TicketEvent resolvedOnline(long time) {
        return event(TicketEventType.RESOLVED_ONLINE, time, null, null, null, null, null);
    }

    public TicketEvent dispatched(String unit, long time, long due) {
        return event(TicketEventType.DISPATCHED, time, unit, due, null, null, null);
    }

    public TicketEvent rejected(String unit, long time) {
        return event(TicketEventType.REJECTED, time, unit, null, null, null, null);
    }

    public TicketEvent returned(String unit, long time) {
        return event(TicketEventType.RETURNED, time, unit, null, null, null, null);
    }

    public TicketEvent extension(String unit, long time, long newDue) {
        return event(TicketEventType.EXTENSION_GRANTED, time, unit, null, newDue, null, null);
    }

    public TicketEvent contacted(String unit, long time) {
        return event(TicketEventType.CONTACTED, time, unit, null, null, null, null);
    }

    public TicketEvent completed(String unit, long time) {
        return event(TicketEventType.COMPLETED, time, unit, null, null, null, null);
    }

    public TicketEvent callback(long time, CallbackSource source, boolean satisfied) {
        return event(TicketEventType.CALLBACK, time, null, null, null, source, satisfied);
    }
}
