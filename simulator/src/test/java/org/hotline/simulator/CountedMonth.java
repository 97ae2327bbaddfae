package org.hotline.simulator;

import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.CallbackSource;
import org.hotline.events.TicketEvent;

/**
 * A month's published figures counted straight from events, by the rules of a ticket's life and nothing of the
 * simulator: a ticket counts where it is created; a dispatch where it is first dispatched; its outcome (on time by
 * the due time in force, extended and contacted at any point before) for the unit that completes it, in the month it
 * completes; a callback in its own month for the unit that completed the ticket; a rejection or return for the unit
 * that made it. Events of other months may be given (lives cross months); only this month's are counted.
 */
final class CountedMonth {

    /** One unit's counts: tickets, on time, extended, contacted, sys satisfied, sys callbacks, spot satisfied, spot callbacks, rejects, returns, most open at once. */
    static final int TICKETS = 0,
            ON_TIME = 1,
            EXTENDED = 2,
            CONTACTED = 3,
            SYS_SAT = 4,
            SYS = 5,
            SPOT_SAT = 6,
            SPOT = 7,
            REJECTS = 8,
            RETURNS = 9,
            MOST_OPEN = 10;

    long offered;
    long answered;
    final Map<String, Long> answeredByRegion = new TreeMap<>();
    long valid;
    long resolvedOnline;
    long dispatched;
    long callbacks;
    long satisfied;
    final Map<String, Long> byChannel = new TreeMap<>();
    final Map<String, Long> byRequestType = new TreeMap<>();
    final Map<String, Long> byCategory = new TreeMap<>();
    final Map<String, Long> byTopic = new TreeMap<>();
    final Map<String, Long> byTag = new TreeMap<>();
    final Map<String, Long> byDesk = new TreeMap<>();
    final Map<String, long[]> units = new TreeMap<>();
    /** The most dispatches any one ticket created in the month had. */
    long mostDispatches;

    static CountedMonth of(YearMonth month, ZoneId zone, List<CallEvent> calls, List<TicketEvent> tickets) {
        ZonedDateTime start = month.atDay(1).atStartOfDay(zone);
        long from = start.toInstant().toEpochMilli();
        long to = start.plusMonths(1).toInstant().toEpochMilli();
        CountedMonth c = new CountedMonth();
        for (CallEvent e : calls) {
            if (e.eventTimeMs() < from || e.eventTimeMs() >= to) {
                continue;
            }
            if (e.type() == CallEventType.OFFERED) {
                c.offered++;
            } else if (e.type() == CallEventType.ANSWERED) {
                c.answered++;
                c.answeredByRegion.merge(e.callerRegion(), 1L, Long::sum);
            }
        }
        Map<String, List<TicketEvent>> lives = new HashMap<>();
        tickets.forEach(
                e -> lives.computeIfAbsent(e.ticketId(), k -> new ArrayList<>()).add(e));
        Map<String, Integer> open = new HashMap<>();
        List<TicketEvent> inOrder = new ArrayList<>(tickets);
        inOrder.sort(Comparator.comparingLong(TicketEvent::eventTimeMs));
        Map<String, String> holder = new HashMap<>();
        for (TicketEvent e : inOrder) { // units' open tickets over time, for the backlog
            String was = holder.get(e.ticketId());
            switch (e.type()) {
                case DISPATCHED -> {
                    if (was != null) {
                        open.merge(was, -1, Integer::sum);
                    }
                    holder.put(e.ticketId(), e.unitId());
                    int now = open.merge(e.unitId(), 1, Integer::sum);
                    if (e.eventTimeMs() >= from && e.eventTimeMs() < to) {
                        long[] u = c.unit(e.unitId());
                        u[MOST_OPEN] = Math.max(u[MOST_OPEN], now);
                    }
                }
                case REJECTED, RETURNED, COMPLETED -> {
                    if (was != null) {
                        open.merge(was, -1, Integer::sum);
                        holder.remove(e.ticketId());
                    }
                }
                default -> {}
            }
        }
        for (List<TicketEvent> life : lives.values()) {
            life.sort(Comparator.comparingLong(TicketEvent::eventTimeMs));
            Long due = null;
            boolean extended = false;
            boolean contacted = false;
            String completedBy = null;
            int dispatches = 0;
            boolean createdHere = false;
            for (TicketEvent e : life) {
                boolean here = e.eventTimeMs() >= from && e.eventTimeMs() < to;
                switch (e.type()) {
                    case CREATED -> {
                        createdHere = here;
                        if (here) {
                            c.valid++;
                            c.byChannel.merge(e.channel().wire(), 1L, Long::sum);
                            c.byRequestType.merge(e.requestType().wire(), 1L, Long::sum);
                            c.byCategory.merge(e.category(), 1L, Long::sum);
                            if (e.topic() != null) {
                                c.byTopic.merge(e.topic(), 1L, Long::sum);
                            }
                            for (String tag : e.tags()) {
                                c.byTag.merge(tag, 1L, Long::sum);
                            }
                            if (e.desk() != null) {
                                c.byDesk.merge(e.desk().wire(), 1L, Long::sum);
                            }
                        }
                    }
                    case RESOLVED_ONLINE -> c.resolvedOnline += here ? 1 : 0;
                    case DISPATCHED -> {
                        if (dispatches++ == 0 && here) {
                            c.dispatched++;
                        }
                        due = e.dueTimeMs();
                    }
                    case EXTENSION_GRANTED -> {
                        due = e.newDueTimeMs();
                        extended = true;
                    }
                    case CONTACTED -> contacted = true;
                    case REJECTED -> c.unit(e.unitId())[REJECTS] += here ? 1 : 0;
                    case RETURNED -> c.unit(e.unitId())[RETURNS] += here ? 1 : 0;
                    case COMPLETED -> {
                        completedBy = e.unitId();
                        if (here) {
                            long[] u = c.unit(completedBy);
                            u[TICKETS]++;
                            u[ON_TIME] += e.eventTimeMs() <= due ? 1 : 0;
                            u[EXTENDED] += extended ? 1 : 0;
                            u[CONTACTED] += contacted ? 1 : 0;
                        }
                    }
                    case CALLBACK -> {
                        if (here) {
                            c.callbacks++;
                            c.satisfied += e.satisfied() ? 1 : 0;
                            if (completedBy != null) {
                                long[] u = c.unit(completedBy);
                                boolean system = e.callbackSource() == CallbackSource.SYSTEM;
                                u[system ? SYS : SPOT]++;
                                u[system ? SYS_SAT : SPOT_SAT] += e.satisfied() ? 1 : 0;
                            }
                        }
                    }
                    default -> {}
                }
            }
            if (createdHere) {
                c.mostDispatches = Math.max(c.mostDispatches, dispatches);
            }
        }
        return c;
    }

    long[] unit(String unit) {
        return units.computeIfAbsent(unit, k -> new long[MOST_OPEN + 1]);
    }
}
