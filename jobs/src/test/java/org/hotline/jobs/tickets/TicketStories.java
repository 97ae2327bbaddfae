package org.hotline.jobs.tickets;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hotline.events.CallbackSource;
import org.hotline.events.Channel;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;

/**
 * Generates a month of tickets as stories (resolved online; or dispatched, maybe rejected, returned
 * or bounced, extended in time or too late, contacted, completed early, exactly on time, late or
 * never, called back before or after completion) and, for each story, writes down what it must
 * count for, straight from the story: the truth, computed without the job's code.
 */
public final class TicketStories {

    public static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
    public static final long MONTH_START =
            ZonedDateTime.of(2023, 9, 1, 0, 0, 0, 0, CITY).toInstant().toEpochMilli();
    /** A last ticket on every partition, long after the month, so the watermark passes every due time. */
    public static final long SENTINEL_TIME =
            ZonedDateTime.of(2023, 10, 20, 0, 0, 0, 0, CITY).toInstant().toEpochMilli();

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final List<String> UNITS = List.of("雨湖区人民政府", "岳塘区人民政府", "市城管局", "市人社局", "电信湘潭分公司", "湘潭经开区管委会");
    static final List<String> CATEGORIES = List.of("社会保险", "消费维权", "劳动维权", "路灯", "停车管理", "生活噪音");
    static final List<String> REGIONS = List.of("雨湖区", "岳塘区", "湘潭县", "湘乡市");

    /** A fact the truth expects, in the terms of the metrics (kind, slice, time). */
    public record Expected(FactKind kind, String dimension, String value, long timeMs) {}

    /** A unit holding a ticket from {@code start} until {@code end} (null: still open) with the due time in force. */
    public record Assignment(String ticketId, String unit, long start, Long end, long due) {}

    public final List<TicketEvent> events = new ArrayList<>();
    /** Steps that must be refused (they are also in {@link #events}). */
    public final List<TicketEvent> refused = new ArrayList<>();

    public final List<Expected> expected = new ArrayList<>();
    public final List<Assignment> assignments = new ArrayList<>();
    /** Final status, unit and number of dispatches per ticket. */
    public final java.util.Map<String, String> finalState = new java.util.TreeMap<>();

    private final Random random;
    private String ticket;
    private TicketEvent created;
    private int step;

    public TicketStories(long seed) {
        this.random = new Random(seed);
    }

    public TicketStories generate(int tickets) {
        for (int i = 0; i < tickets; i++) {
            story("tk-" + i);
        }
        return this;
    }

    /** A ticket created at {@link #SENTINEL_TIME} and nothing else. */
    public TicketEvent sentinel(String id) {
        return sentinel(id, SENTINEL_TIME);
    }

    /** A ticket created at {@code time} and nothing else: sent last on a partition, it moves the watermark there. */
    public TicketEvent sentinel(String id, long time) {
        ticket = id;
        step = 0;
        created = new TicketEvent(
                id + "-1",
                1,
                TicketEventType.CREATED,
                time,
                id,
                null,
                Channel.PHONE,
                RequestType.OTHER,
                "其他",
                null,
                "雨湖区",
                new String[0],
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        city(FactKind.CREATED, time);
        finalState.put(id, "with_office||0");
        return created;
    }

    private long between(long from, long to) {
        return from + (long) (random.nextDouble() * (to - from));
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private TicketEvent event(
            TicketEventType type,
            long time,
            String unit,
            Long due,
            Long newDue,
            CallbackSource source,
            Boolean satisfied) {
        TicketEvent e = new TicketEvent(
                ticket + "-" + (++step),
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
        events.add(e);
        return e;
    }

    private void unit(FactKind kind, String unit, long time) {
        expected.add(new Expected(kind, "unit", unit, time));
    }

    private void city(FactKind kind, long time) {
        expected.add(new Expected(kind, "all", "", time));
        expected.add(new Expected(kind, "channel", created.channel().wire(), time));
        expected.add(new Expected(kind, "request_type", created.requestType().wire(), time));
        expected.add(new Expected(kind, "category", created.category(), time));
        expected.add(new Expected(kind, "region", created.region(), time));
        for (String tag : created.tags()) {
            expected.add(new Expected(kind, "tag", tag, time));
        }
    }

    private void story(String id) {
        ticket = id;
        step = 0;
        long c = between(MONTH_START, MONTH_START + 28 * DAY);
        String[] tags = random.nextDouble() < 0.1 ? new String[] {"civilised_city"} : new String[0];
        created = new TicketEvent(
                id + "-" + (++step),
                1,
                TicketEventType.CREATED,
                c,
                id,
                null,
                pick(List.of(Channel.values())),
                pick(List.of(RequestType.values())),
                pick(CATEGORIES),
                null,
                pick(REGIONS),
                tags,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        events.add(created);
        city(FactKind.CREATED, c);

        if (random.nextDouble() < 0.55) {
            long r = c + between(MINUTE, 30 * MINUTE);
            event(TicketEventType.RESOLVED_ONLINE, r, null, null, null, null, null);
            city(FactKind.RESOLVED_ONLINE, r);
            if (random.nextDouble() < 0.7) {
                cityCallback(r + between(HOUR, 2 * DAY));
            }
            finalState.put(id, "resolved_online||0");
            return;
        }

        // Dispatched, possibly passed on: by rejection, by an approved return, or back and forth.
        long t = c + between(5 * MINUTE, HOUR);
        String u = pick(UNITS);
        long due = t + 3 * DAY;
        dispatch(u, t, due, true);
        int dispatches = 1;
        double path = random.nextDouble();
        int passes = path < 0.12 ? 1 : path < 0.17 ? 1 : path < 0.19 ? 4 : 0;
        boolean byReturn = path >= 0.12 && path < 0.17;
        for (int p = 0; p < passes; p++) {
            long left = t + between(HOUR, 4 * DAY); // may be after the due time: overdue until it leaves
            if (byReturn) {
                event(TicketEventType.RETURNED, left, u, null, null, null, null);
                unit(FactKind.RETURNED, u, left);
                city(FactKind.RETURNED, left);
            } else {
                event(TicketEventType.REJECTED, left, u, null, null, null, null);
                unit(FactKind.REJECTED, u, left);
                city(FactKind.REJECTED, left);
            }
            close(u, t, left, due);
            String next = pick(UNITS.stream()
                    .filter(x ->
                            !x.equals(assignments.get(assignments.size() - 1).unit()))
                    .toList());
            t = left + between(10 * MINUTE, HOUR);
            u = next;
            due = t + 3 * DAY;
            dispatch(u, t, due, false);
            dispatches++;
        }

        // Contacted, extended in time (or refused, too late), then completed: early, exactly on time, late, or never.
        boolean contacted = false;
        boolean extended = false;
        long lastStep = t;
        if (random.nextDouble() < 0.9) {
            long k = t + between(10 * MINUTE, 2 * HOUR);
            event(TicketEventType.CONTACTED, k, u, null, null, null, null);
            unit(FactKind.CONTACTS, u, k);
            contacted = true;
            lastStep = k;
        }
        double ext = random.nextDouble();
        if (ext < 0.15) {
            long x = between(lastStep + MINUTE, due);
            long newDue = due + 2 * DAY;
            event(TicketEventType.EXTENSION_GRANTED, x, u, null, newDue, null, null);
            unit(FactKind.EXTENSIONS, u, x);
            due = newDue;
            extended = true;
            lastStep = x;
        } else if (ext < 0.2) {
            long x = due + between(MINUTE, 10 * HOUR);
            event(TicketEventType.EXTENSION_GRANTED, x, u, null, x + 2 * DAY, null, null);
            unit(FactKind.EXTENSIONS_REFUSED, u, x);
            lastStep = x;
        }
        List<Long> callbacks = new ArrayList<>();
        double done = random.nextDouble();
        if (done < 0.93) {
            long tc =
                    done < 0.05 ? due : done < 0.78 ? between(lastStep + MINUTE, due) : due + between(MINUTE, 2 * DAY);
            tc = Math.max(tc, lastStep + MINUTE);
            if (random.nextDouble() < 0.25) { // called back before completion: counts for the unit at completion
                long cb = between(t, tc);
                callbacks.add(cb);
            }
            event(TicketEventType.COMPLETED, tc, u, null, null, null, null);
            unit(FactKind.COMPLETED, u, tc);
            city(FactKind.COMPLETED, tc);
            if (tc <= due) {
                unit(FactKind.COMPLETED_ON_TIME, u, tc);
                city(FactKind.COMPLETED_ON_TIME, tc);
            }
            if (extended) {
                unit(FactKind.COMPLETED_EXTENDED, u, tc);
                city(FactKind.COMPLETED_EXTENDED, tc);
            }
            if (contacted) {
                unit(FactKind.COMPLETED_CONTACTED, u, tc);
                city(FactKind.COMPLETED_CONTACTED, tc);
            }
            close(u, t, tc, due);
            if (random.nextDouble() < 0.6) {
                callbacks.add(tc + between(HOUR, 3 * DAY));
            }
            for (long cb : callbacks) {
                boolean[] outcome = cityCallback(cb);
                unitCallback(u, Math.max(cb, tc), outcome);
            }
            if (random.nextDouble() < 0.02) { // a unit completing a ticket it does not hold: refused
                String other = pick(UNITS.stream()
                        .filter(x -> !x.equals(
                                assignments.get(assignments.size() - 1).unit()))
                        .toList());
                refused.add(event(TicketEventType.COMPLETED, tc + HOUR, other, null, null, null, null));
            }
            finalState.put(id, "completed|" + u + "|" + dispatches);
        } else {
            if (random.nextDouble()
                    < 0.5) { // called back while still open: city-wide only, the unit never completes it
                cityCallback(t + between(HOUR, 2 * HOUR));
            }
            assignments.add(new Assignment(id, u, t, null, due));
            // every due time is long before the sentinel: an open ticket is overdue from its due time on
            unit(FactKind.OVERDUE_OPENED, u, due);
            finalState.put(id, "assigned|" + u + "|" + dispatches);
        }
    }

    private void dispatch(String u, long t, long due, boolean first) {
        event(TicketEventType.DISPATCHED, t, u, due, null, null, null);
        if (first) {
            city(FactKind.DISPATCHED_TICKETS, t);
        }
        unit(FactKind.DISPATCHES, u, t);
        city(FactKind.DISPATCHES, t); // every dispatch, city-wide too
        unit(FactKind.OPENED, u, t);
    }

    /** The unit's hold on the ticket ends at {@code end}; overdue in between when the due time passed first. */
    private void close(String u, long start, long end, long due) {
        assignments.add(new Assignment(ticket, u, start, end, due));
        unit(FactKind.CLOSED, u, end);
        if (due < end) {
            unit(FactKind.OVERDUE_OPENED, u, due);
            unit(FactKind.OVERDUE_CLOSED, u, end);
        }
    }

    private boolean[] cityCallback(long time) {
        boolean system = random.nextBoolean();
        boolean satisfied = random.nextDouble() < 0.67;
        event(
                TicketEventType.CALLBACK,
                time,
                null,
                null,
                null,
                system ? CallbackSource.SYSTEM : CallbackSource.SPOT_CHECK,
                satisfied);
        city(system ? FactKind.SYS_CALLBACKS : FactKind.SPOT_CALLBACKS, time);
        if (satisfied) {
            city(system ? FactKind.SYS_SATISFIED : FactKind.SPOT_SATISFIED, time);
        }
        return new boolean[] {system, satisfied};
    }

    private void unitCallback(String u, long time, boolean[] outcome) {
        unit(outcome[0] ? FactKind.SYS_CALLBACKS : FactKind.SPOT_CALLBACKS, u, time);
        if (outcome[1]) {
            unit(outcome[0] ? FactKind.SYS_SATISFIED : FactKind.SPOT_SATISFIED, u, time);
        }
    }
}
