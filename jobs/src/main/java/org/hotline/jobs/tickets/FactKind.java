package org.hotline.jobs.tickets;

import java.util.Locale;

/**
 * What a ticket's life contributes to the counts. Each kind is one column of
 * {@code ticket_minute_metrics}; a row holds, for one minute and one unit (dimension {@code unit})
 * or one city-wide slice (dimension {@code all}, {@code channel}, {@code category}, ...), how many
 * facts of each kind fell into that minute.
 */
public enum FactKind {
    /** A ticket was created (a valid ticket). City-wide only. */
    CREATED,
    /** Resolved online by the agent. City-wide only. */
    RESOLVED_ONLINE,
    /** A ticket dispatched for the first time: the office's "dispatched to units". City-wide only. */
    DISPATCHED_TICKETS,
    /** A dispatch (each one, re-dispatches too) to the unit. */
    DISPATCHES,
    /** A rejection by the unit (assessed: counts against the rejecting unit). */
    REJECTED,
    /** A return approved by the office (counts against no one). */
    RETURNED,
    /** An extension granted to the unit before the due time in force: the due time moved. */
    EXTENSIONS,
    /** An extension granted after the due time in force (or not moving it later): refused, the due time stays. */
    EXTENSIONS_REFUSED,
    /** The unit contacted the citizen (each contact). */
    CONTACTS,
    /** Completed, counted for the unit that completed it at the time of completion. */
    COMPLETED,
    /** Completed by the due time in force. */
    COMPLETED_ON_TIME,
    /** Completed, and extended at some point of its life. */
    COMPLETED_EXTENDED,
    /** Completed, and the citizen was contacted at some point of its life. */
    COMPLETED_CONTACTED,
    /** A callback by the automatic system (SMS/IVR); for a unit, counted once the ticket is completed. */
    SYS_CALLBACKS,
    SYS_SATISFIED,
    /** A callback by staff (spot-check). */
    SPOT_CALLBACKS,
    SPOT_SATISFIED,
    /** The unit's open backlog went up (a dispatch) or down (completed, rejected, returned, re-dispatched). */
    OPENED,
    CLOSED,
    /** An open ticket passed its due time, and an overdue ticket left the unit's backlog. */
    OVERDUE_OPENED,
    OVERDUE_CLOSED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
