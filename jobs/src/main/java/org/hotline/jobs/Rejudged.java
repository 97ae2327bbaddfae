package org.hotline.jobs;

import org.hotline.events.TicketEvent;

/**
 * A ticket step judged again: a late step changed the ticket's life before it, and with it whether this step, judged
 * already, is counted. {@code refusal} is why it is refused now, or null when it is counted now: its row moves from
 * {@code dead_letters} to {@code ticket_events} or back, so that each table holds exactly the steps its judgement
 * says. {@code payload} is the step as the dead letters keep it (canonical JSON).
 */
public record Rejudged(Sourced<TicketEvent> step, String payload, String refusal) {

    public boolean counted() {
        return refusal == null;
    }
}
