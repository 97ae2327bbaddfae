package org.hotline.jobs.tickets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hotline.events.CallbackSource;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.jobs.Keys;

/**
 * A ticket's life as a pure function of its events: replays them in event-time order and returns
 * the facts they contribute, the steps its life does not allow, and where it stands. The rules of
 * the hotline's assessment (docs/domain.md):
 * <ul>
 *   <li>A ticket and its outcomes (completed, on time, extended, contacted, callbacks) count for
 *       the unit that completes it, at the time of completion.</li>
 *   <li>A rejection counts for the rejecting unit; a return approved by the office for no one.</li>
 *   <li>The due time in force is the last dispatch's, moved by extensions granted up to it. An
 *       extension granted after it (or not moving it later) is refused: counted as such, no move.</li>
 *   <li>Completed on time means completed at or before the due time in force.</li>
 *   <li>A callback before completion counts for the unit once the ticket is completed (city-wide
 *       it counts at once).</li>
 *   <li>An open ticket becomes overdue for its unit the moment its due time passes.</li>
 * </ul>
 * Replaying from the start each time makes out-of-order and late events simple: the facts are
 * always those of the events in their true order. A replay can also start from a {@link Summary} of the steps
 * before (what the life kept of them): the facts are then those after it, the same as from the start.
 */
public final class TicketLife {

    public static final String UNIT = "unit";
    /** Rejections and returns per unit and category (value {@code unit|category}): what the returns alert watches. */
    public static final String UNIT_CATEGORY = "unit_category";
    /**
     * A ticket's due time while it is open at a unit (value: unit, ticket and due ms joined by {@link Keys}): {@code OPENED} when it starts
     * to hold (a dispatch, an extension), {@code CLOSED} when it stops. Not counted: what the due_soon alert watches.
     */
    public static final String DUE = "due";

    /** A step refused by the ticket's life, with why. */
    public record Invalid(TicketEvent event, String message) {}

    /**
     * The facts (after the summary replayed from, if any), the refused steps, where the ticket stands; and, when the
     * replay was asked to fold steps, the summary of the life after them and how many of the facts they gave.
     */
    public record Result(List<Fact> facts, List<Invalid> invalid, TicketState state, Summary folded, int foldedFacts) {}

    /**
     * All a ticket's life keeps of the steps applied so far: replaying the steps after them from it gives the same
     * facts as replaying every step. Kept in state (a POJO) in place of the steps themselves.
     */
    public static final class Summary {
        public String status;
        /** The creation step: its channel, category, region, tags and so on are the ticket's slices. */
        public TicketEvent created;

        public String unit;
        public int dispatches;
        public Long assignedAt;
        public Long due;
        public boolean overdue;
        public boolean extended;
        public boolean contacted;
        public Long completedAt;
        public Boolean onTime;
        public long lastEventMs;
        /** The steps summed up (refused ones too). */
        public int seen;
        /** Callbacks before completion, waiting to count for the unit that completes the ticket. */
        public TicketEvent[] pendingCallbacks;
    }

    private enum Status {
        NEW,
        WITH_OFFICE,
        RESOLVED_ONLINE,
        ASSIGNED,
        COMPLETED
    }

    /** Same-time steps apply in the order of a ticket's life. */
    public static final Comparator<TicketEvent> ORDER = Comparator.comparingLong(TicketEvent::eventTimeMs)
            .thenComparing(e -> e.type().ordinal())
            .thenComparing(TicketEvent::eventId);

    private final String ticketId;
    private final List<Fact> facts = new ArrayList<>();
    private final List<Invalid> invalid = new ArrayList<>();
    private final List<TicketEvent> pendingCallbacks = new ArrayList<>();
    private Status status = Status.NEW;
    private TicketEvent created;
    private String unit;
    private int dispatches;
    private Long assignedAt;
    private Long due;
    private boolean overdue;
    private boolean extended;
    private boolean contacted;
    private Long completedAt;
    private Boolean onTime;
    private long lastEventMs;
    private int seen;

    private TicketLife(String ticketId, Summary from) {
        this.ticketId = ticketId;
        if (from != null) {
            status = Status.valueOf(from.status);
            created = from.created;
            unit = from.unit;
            dispatches = from.dispatches;
            assignedAt = from.assignedAt;
            due = from.due;
            overdue = from.overdue;
            extended = from.extended;
            contacted = from.contacted;
            completedAt = from.completedAt;
            onTime = from.onTime;
            lastEventMs = from.lastEventMs;
            seen = from.seen;
            pendingCallbacks.addAll(List.of(from.pendingCallbacks));
        }
    }

    /** The facts of {@code events} (any order) as of the watermark {@code asOf}. */
    public static Result replay(String ticketId, List<TicketEvent> events, long asOf) {
        return replay(ticketId, null, events, asOf, Long.MIN_VALUE);
    }

    /**
     * The facts of {@code events} (any order, each after every step of {@code from}, a summary or null) as of
     * {@code asOf}; the steps at or before {@code foldTo} are summed up into {@link Result#folded} (null when there
     * are none), which a later replay can start from instead of them.
     */
    public static Result replay(String ticketId, Summary from, List<TicketEvent> events, long asOf, long foldTo) {
        TicketLife life = new TicketLife(ticketId, from);
        List<TicketEvent> ordered = new ArrayList<>(events);
        ordered.sort(ORDER);
        int toFold = 0; // the steps at or before foldTo come first
        while (toFold < ordered.size() && ordered.get(toFold).eventTimeMs() <= foldTo) {
            toFold++;
        }
        Summary folded = null;
        int foldedFacts = 0;
        for (int i = 0; i <= ordered.size(); i++) {
            if (i == toFold && toFold > 0) {
                folded = life.summary();
                foldedFacts = life.facts.size();
            }
            if (i < ordered.size()) {
                TicketEvent e = ordered.get(i);
                life.passTime(e.eventTimeMs());
                life.apply(e);
                life.seen++;
            }
        }
        life.passTime(asOf);
        return new Result(life.facts, life.invalid, life.state(asOf), folded, foldedFacts);
    }

    private Summary summary() {
        Summary s = new Summary();
        s.status = status.name();
        s.created = created;
        s.unit = unit;
        s.dispatches = dispatches;
        s.assignedAt = assignedAt;
        s.due = due;
        s.overdue = overdue;
        s.extended = extended;
        s.contacted = contacted;
        s.completedAt = completedAt;
        s.onTime = onTime;
        s.lastEventMs = lastEventMs;
        s.seen = seen;
        s.pendingCallbacks = pendingCallbacks.toArray(TicketEvent[]::new);
        return s;
    }

    /** Time passes: an open ticket whose due time is behind becomes overdue at its due time. */
    private void passTime(long now) {
        if (status == Status.ASSIGNED && !overdue && due < now) {
            overdue = true;
            unitFact(FactKind.OVERDUE_OPENED, due);
        }
    }

    private void apply(TicketEvent e) {
        String refusal = switch (e.type()) {
            case CREATED -> created();
            case RESOLVED_ONLINE -> resolvedOnline(e);
            case DISPATCHED -> dispatched(e);
            case REJECTED, RETURNED -> leftUnit(e);
            case EXTENSION_GRANTED -> extension(e);
            case CONTACTED -> contacted(e);
            case COMPLETED -> completed(e);
            case CALLBACK -> callback(e);
        };
        if (refusal != null) {
            invalid.add(new Invalid(e, refusal));
            return;
        }
        if (e.type() == TicketEventType.CREATED) {
            created = e;
            cityFact(FactKind.CREATED, e.eventTimeMs());
        }
        lastEventMs = Math.max(lastEventMs, e.eventTimeMs());
    }

    private String created() {
        if (created != null) {
            return "ticket " + ticketId + " was already created";
        }
        if (status != Status.NEW) {
            return "created after other steps of ticket " + ticketId;
        }
        status = Status.WITH_OFFICE;
        return null;
    }

    private String resolvedOnline(TicketEvent e) {
        if (dispatches > 0 || (status != Status.NEW && status != Status.WITH_OFFICE)) {
            return "ticket " + ticketId + " cannot be resolved online: it is " + describe();
        }
        status = Status.RESOLVED_ONLINE;
        cityFact(FactKind.RESOLVED_ONLINE, e.eventTimeMs());
        return null;
    }

    private String dispatched(TicketEvent e) {
        if (status == Status.RESOLVED_ONLINE || status == Status.COMPLETED) {
            return "ticket " + ticketId + " cannot be dispatched: it is " + describe();
        }
        long t = e.eventTimeMs();
        if (status == Status.ASSIGNED) {
            closeAssignment(t); // a transfer: the previous unit's backlog goes down
        }
        if (dispatches == 0) {
            cityFact(FactKind.DISPATCHED_TICKETS, t);
        }
        dispatches++;
        status = Status.ASSIGNED;
        unit = e.unitId();
        assignedAt = t;
        due = e.dueTimeMs();
        overdue = false;
        unitFact(FactKind.DISPATCHES, t);
        cityFact(FactKind.DISPATCHES, t);
        unitFact(FactKind.OPENED, t);
        dueFact(FactKind.OPENED, t);
        return null;
    }

    private String leftUnit(TicketEvent e) {
        String wrong = notAssignedTo(e);
        if (wrong != null) {
            return wrong;
        }
        long t = e.eventTimeMs();
        FactKind kind = e.type() == TicketEventType.REJECTED ? FactKind.REJECTED : FactKind.RETURNED;
        unitFact(kind, t);
        cityFact(kind, t);
        if (created != null && created.category() != null) {
            facts.add(new Fact(kind, UNIT_CATEGORY, unit + "|" + created.category(), t, 1));
        }
        closeAssignment(t);
        status = Status.WITH_OFFICE;
        return null;
    }

    private String extension(TicketEvent e) {
        String wrong = notAssignedTo(e);
        if (wrong != null) {
            return wrong;
        }
        long t = e.eventTimeMs();
        if (t <= due && e.newDueTimeMs() > due) {
            dueFact(FactKind.CLOSED, t);
            due = e.newDueTimeMs();
            dueFact(FactKind.OPENED, t);
            extended = true;
            unitFact(FactKind.EXTENSIONS, t);
        } else {
            unitFact(FactKind.EXTENSIONS_REFUSED, t);
        }
        return null;
    }

    private String contacted(TicketEvent e) {
        String wrong = notAssignedTo(e);
        if (wrong != null) {
            return wrong;
        }
        contacted = true;
        unitFact(FactKind.CONTACTS, e.eventTimeMs());
        return null;
    }

    private String completed(TicketEvent e) {
        String wrong = notAssignedTo(e);
        if (wrong != null) {
            return wrong;
        }
        long t = e.eventTimeMs();
        onTime = t <= due;
        completedAt = t;
        for (FactKind k : List.of(
                FactKind.COMPLETED,
                FactKind.COMPLETED_ON_TIME,
                FactKind.COMPLETED_EXTENDED,
                FactKind.COMPLETED_CONTACTED)) {
            boolean holds = switch (k) {
                case COMPLETED_ON_TIME -> onTime;
                case COMPLETED_EXTENDED -> extended;
                case COMPLETED_CONTACTED -> contacted;
                default -> true;
            };
            if (holds) {
                unitFact(k, t);
                cityFact(k, t);
            }
        }
        closeAssignment(t);
        status = Status.COMPLETED;
        for (TicketEvent callback : pendingCallbacks) {
            callbackFacts(callback, t, true);
        }
        pendingCallbacks.clear();
        return null;
    }

    private String callback(TicketEvent e) {
        if (status == Status.NEW) {
            return "callback on ticket " + ticketId + " before it was created";
        }
        callbackFacts(e, e.eventTimeMs(), false);
        if (status == Status.COMPLETED) {
            callbackFacts(e, e.eventTimeMs(), true);
        } else if (status != Status.RESOLVED_ONLINE) {
            pendingCallbacks.add(e); // counts for the unit that completes the ticket, when it does
        }
        return null;
    }

    private void callbackFacts(TicketEvent e, long t, boolean forUnit) {
        boolean system = e.callbackSource() == CallbackSource.SYSTEM;
        FactKind count = system ? FactKind.SYS_CALLBACKS : FactKind.SPOT_CALLBACKS;
        FactKind satisfied = system ? FactKind.SYS_SATISFIED : FactKind.SPOT_SATISFIED;
        if (forUnit) {
            unitFact(count, t);
            if (e.satisfied()) {
                unitFact(satisfied, t);
            }
        } else {
            cityFact(count, t);
            if (e.satisfied()) {
                cityFact(satisfied, t);
            }
        }
    }

    private void closeAssignment(long t) {
        unitFact(FactKind.CLOSED, t);
        dueFact(FactKind.CLOSED, t);
        if (overdue) {
            unitFact(FactKind.OVERDUE_CLOSED, t);
        }
        overdue = false;
    }

    private String notAssignedTo(TicketEvent e) {
        if (status != Status.ASSIGNED) {
            return e.type().wire() + " by " + e.unitId() + " but ticket " + ticketId + " is " + describe();
        }
        if (!unit.equals(e.unitId())) {
            return e.type().wire() + " by " + e.unitId() + " but ticket " + ticketId + " is assigned to " + unit;
        }
        return null;
    }

    private String describe() {
        return switch (status) {
            case NEW -> "not created";
            case WITH_OFFICE -> "with the office";
            case RESOLVED_ONLINE -> "resolved online";
            case ASSIGNED -> "assigned to " + unit;
            case COMPLETED -> "completed by " + unit;
        };
    }

    private void unitFact(FactKind kind, long t) {
        facts.add(new Fact(kind, UNIT, unit, t, 1));
    }

    private void dueFact(FactKind kind, long t) {
        facts.add(new Fact(kind, DUE, Keys.join(unit, Keys.join(ticketId, due)), t, 1));
    }

    /** A city-wide fact counts in every slice of the ticket: all, its channel, request type, category, ... */
    private void cityFact(FactKind kind, long t) {
        facts.add(new Fact(kind, "all", "", t, 1));
        if (created == null) {
            return;
        }
        slice(
                kind,
                "channel",
                created.channel() == null ? null : created.channel().wire(),
                t);
        slice(
                kind,
                "request_type",
                created.requestType() == null ? null : created.requestType().wire(),
                t);
        slice(kind, "category", created.category(), t);
        slice(kind, "topic", created.topic(), t);
        slice(kind, "region", created.region(), t);
        slice(kind, "desk", created.desk() == null ? null : created.desk().wire(), t);
        for (String tag : created.tags()) {
            slice(kind, "tag", tag, t);
        }
    }

    private void slice(FactKind kind, String dimension, String value, long t) {
        if (value != null) {
            facts.add(new Fact(kind, dimension, value, t, 1));
        }
    }

    private TicketState state(long asOf) {
        return new TicketState(
                ticketId,
                status.name().toLowerCase(java.util.Locale.ROOT),
                unit,
                dispatches,
                created == null ? null : created.category(),
                created == null ? null : created.region(),
                created == null ? null : created.eventTimeMs(),
                assignedAt,
                due,
                overdue,
                completedAt,
                onTime,
                extended,
                contacted,
                lastEventMs,
                2L * seen + (overdue ? 1 : 0));
    }
}
