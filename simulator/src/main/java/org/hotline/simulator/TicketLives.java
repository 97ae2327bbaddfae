package org.hotline.simulator;

import static org.hotline.simulator.MonthClock.DAY;
import static org.hotline.simulator.MonthClock.HOUR;
import static org.hotline.simulator.MonthClock.MINUTE;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hotline.events.CallbackSource;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.figures.Rates;

/**
 * A ticket's life as events, from what the earlier steps decided about it (its unit, its story, on time or not,
 * extended, contacted, its callbacks): created, dispatched (and rejected or returned), contacted, extended,
 * completed or resolved online, called back, each at a time the month and its due times allow.
 */
final class TicketLives {

    private final MonthClock clock;
    private final List<TicketEvent> tickets;

    /** Appends the events to {@code tickets}. */
    TicketLives(MonthClock clock, List<TicketEvent> tickets) {
        this.clock = clock;
        this.tickets = tickets;
    }

    /**
     * Callbacks in the next month on this month's last completed tickets, for the units the next month publishes a
     * rate for: per unit and source the fewest that give the next month's rate, so that its own callbacks still give it.
     */
    Map<String, long[]> spillCallbacks(Profile next, Map<String, List<Ticket>> byUnit) {
        Map<String, long[]> carried = new HashMap<>();
        Map<String, Profile.UnitFigures> after = new HashMap<>();
        next.units().forEach(u -> after.put(u.unit(), u));
        for (Map.Entry<String, List<Ticket>> e : byUnit.entrySet()) {
            Profile.UnitFigures u = after.get(e.getKey());
            if (u == null) {
                continue;
            }
            long[] spilled = new long[4];
            for (boolean system : new boolean[] {true, false}) {
                BigDecimal pct = system ? u.sysSatisfactionPct() : u.spotSatisfactionPct();
                List<Ticket> last = e.getValue().stream()
                        .filter(t -> t.completedAt >= clock.end - 2 * DAY
                                && (system ? t.sysCallbacks : t.spotCallbacks) == 0)
                        .toList();
                if (pct.signum() == 0 || last.isEmpty()) {
                    continue;
                }
                long[] f;
                try {
                    f = Rates.fraction(pct, last.size());
                } catch (IllegalArgumentException tooFew) {
                    continue;
                }
                for (int i = 0; i < f[1]; i++) {
                    Ticket t = last.get(i);
                    long at = clock.between(
                            clock.end + MINUTE, Math.max(clock.end + 2 * MINUTE, t.completedAt + 2 * DAY));
                    event(
                            t,
                            TicketEventType.CALLBACK,
                            at,
                            null,
                            null,
                            null,
                            system ? CallbackSource.SYSTEM : CallbackSource.SPOT_CHECK,
                            i < f[0]);
                }
                spilled[system ? 0 : 2] = f[0];
                spilled[system ? 1 : 3] = f[1];
            }
            if (spilled[1] + spilled[3] > 0) {
                carried.put(e.getKey(), spilled);
            }
        }
        return carried;
    }

    private TicketEvent event(
            Ticket t,
            TicketEventType type,
            long time,
            String unit,
            Long due,
            Long newDue,
            CallbackSource source,
            Boolean satisfied) {
        TicketEvent e = new TicketEvent(
                t.id + "-" + (++t.steps),
                1,
                type,
                time,
                t.id,
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
        tickets.add(e);
        return e;
    }

    private static long dueAfter(RequestType type) {
        return switch (type) {
            case CONSULTATION -> 3 * DAY;
            case SUGGESTION -> 10 * DAY;
            case INVALID -> DAY;
            default -> 5 * DAY;
        };
    }

    void write(Ticket t) {
        long span = dueAfter(t.requestType);
        if (t.story.equals(
                "carried")) { // created and dispatched in the month before: its due time reaches into this one
            finish(t, t.dispatchedAt, Math.max(t.dispatchedAt + span, clock.start + DAY));
            return;
        }
        t.steps = 0;
        tickets.add(new TicketEvent(
                t.id + "-" + (++t.steps),
                1,
                TicketEventType.CREATED,
                t.created,
                t.id,
                t.callId,
                t.channel,
                t.requestType,
                t.category,
                t.topic,
                t.region,
                t.tags.toArray(String[]::new),
                t.desk,
                null,
                null,
                null,
                null,
                null,
                null));
        if (!t.dispatched) {
            long resolved = t.created
                    + clock.between(
                            Math.min(MINUTE, (clock.end - t.created) / 8),
                            Math.min(20 * MINUTE, (clock.end - t.created) / 4));
            event(t, TicketEventType.RESOLVED_ONLINE, resolved, null, null, null, null, null);
            callbackEvents(t, resolved);
            return;
        }
        if (t.story.equals("open")) { // the next month completes it (and writes the rest), or it stays open
            if (t.unit != null) {
                event(t, TicketEventType.DISPATCHED, t.dispatchedAt, t.unit, t.dispatchedAt + span, null, null, null);
            }
            return;
        }
        long d = clock.dispatchAfter(t.created);
        // the usual pace of a hand-over, shorter for tickets created near the month's end
        long gap = Math.min(12 * HOUR, (clock.end - d) / 16);
        if (t.story.startsWith("returned")) {
            String zone = t.story.substring("returned:".length());
            long due0 = d + span;
            // left past its due time (the zone kept extending it), then returned: when the month has room for that
            boolean slow = due0 + 3 * DAY + 2 * DAY + span < clock.end;
            event(t, TicketEventType.DISPATCHED, d, zone, due0, null, null, null);
            if (t.extended) { // the zone extended it (the extension counts for the unit that completes it)
                long newDue = due0 + 3 * DAY;
                event(
                        t,
                        TicketEventType.EXTENSION_GRANTED,
                        slow ? due0 - clock.between(HOUR, DAY) : d + clock.between(MINUTE, gap),
                        zone,
                        null,
                        newDue,
                        null,
                        null);
                due0 = newDue;
            }
            long back = slow ? due0 + clock.between(DAY, 2 * DAY) : d + clock.between(gap, 2 * gap);
            event(t, TicketEventType.RETURNED, back, zone, null, null, null, null);
            d = back + clock.between(MINUTE, gap);
            finish(t, d, d + span);
            return;
        }
        if (t.story.startsWith("bouncing")) {
            String[] parts = t.story.split(":");
            List<String> between = List.of(parts[2].split(","));
            int dispatches = Integer.parseInt(parts[1]);
            long bounce = Math.min(12 * HOUR, (clock.end - d) / (4L * dispatches));
            for (int i = 0; i < dispatches - 1; i++) {
                String unit = between.get(i % between.size());
                event(t, TicketEventType.DISPATCHED, d, unit, d + span, null, null, null);
                long rejected = d + clock.between(bounce / 6, bounce);
                event(t, TicketEventType.REJECTED, rejected, unit, null, null, null, null);
                d = rejected + clock.between(bounce / 12, bounce / 6);
            }
            finish(t, d, d + span);
            return;
        }
        if (t.story.startsWith("rejected")) {
            String rejecting = t.story.split(":")[1];
            event(t, TicketEventType.DISPATCHED, d, rejecting, d + span, null, null, null);
            long rejected = d + clock.between(gap / 12, gap);
            event(t, TicketEventType.REJECTED, rejected, rejecting, null, null, null, null);
            d = rejected + clock.between(gap / 12, gap / 6);
        }
        finish(t, d, d + span);
    }

    /**
     * The final unit's part: dispatched at {@code d} with {@code due}, then contact, extension, completion (in this
     * month) and callbacks. A late ticket needs its due time before the completion: when the usual one falls too near
     * the month's end, it is given a shorter one.
     */
    private void finish(Ticket t, long d, long due) {
        long from = Math.max(d, clock.start);
        long end = clock.end - Math.min(30 * MINUTE, (clock.end - from) / 4);
        long step = Math.min(HOUR, (end - from) / 12);
        boolean piled = t.story.equals("piled");
        boolean extendsHere = t.extended && !t.story.startsWith("returned");
        if (!t.onTime && due > end - 6 * step) {
            due = Math.max(from, d + 2 * step) + 2 * step;
        }
        event(t, TicketEventType.DISPATCHED, d, t.unit, due, null, null, null);
        long last = d;
        if (t.contacted) {
            last = d + clock.between(step / 6, step);
            event(t, TicketEventType.CONTACTED, last, t.unit, null, null, null, null);
        }
        if (extendsHere) { // asked before the due time in force
            long at = clock.between(last + 1, Math.min(due, last + step));
            long newDue = piled && t.onTime
                    ? clock.end - HOUR
                    : t.onTime ? due + 3 * DAY : due + Math.min(3 * DAY, (end - due) / 2);
            event(t, TicketEventType.EXTENSION_GRANTED, at, t.unit, null, newDue, null, null);
            due = newDue;
            last = at;
        }
        long earliest = Math.max(Math.max(last, clock.start), piled ? Math.max(t.notBefore, clock.end - 5 * DAY) : 0)
                + Math.min(MINUTE, step / 6);
        long completed;
        if (t.onTime) {
            completed = clock.between(earliest, Math.min(due, end));
        } else {
            completed = clock.between(Math.max(earliest, due + Math.min(MINUTE, step / 6)), end);
        }
        if (t.onTime != (completed <= due) || completed <= last || completed < clock.start || completed >= clock.end) {
            throw new IllegalStateException("ticket " + t.id + " (" + t.story + ", on time " + t.onTime + ", extended "
                    + t.extended + ", " + t.requestType + ", dispatched " + java.time.Instant.ofEpochMilli(d) + ", due "
                    + java.time.Instant.ofEpochMilli(due) + ") cannot be placed in the month as its figures require");
        }
        event(t, TicketEventType.COMPLETED, completed, t.unit, null, null, null, null);
        t.completedAt = completed;
        callbackEvents(t, completed);
    }

    private void callbackEvents(Ticket t, long done) {
        for (int i = 0; i < t.sysCallbacks; i++) {
            callbackEvent(t, CallbackSource.SYSTEM, t.sysSatisfied > 0, done);
        }
        for (int i = 0; i < t.spotCallbacks; i++) {
            callbackEvent(t, CallbackSource.SPOT_CHECK, t.spotSatisfied > 0, done);
        }
    }

    /** A callback after the ticket is done, within the month (within two days when the month has them). */
    private void callbackEvent(Ticket t, CallbackSource source, boolean satisfied, long done) {
        long at = clock.between(
                done + 1 + Math.min(MINUTE, (clock.end - done) / 4), Math.min(done + 2 * DAY, clock.end - 1));
        event(t, TicketEventType.CALLBACK, at, null, null, null, source, satisfied);
    }
}
