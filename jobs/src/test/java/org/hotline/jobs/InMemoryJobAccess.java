package org.hotline.jobs;

import java.util.List;
import java.util.Map;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.tickets.TicketMinute;
import org.hotline.jobs.tickets.TicketState;

/** {@link InMemoryJob} for the tests of other packages: tickets only. */
public final class InMemoryJobAccess {

    private final InMemoryJob job = new InMemoryJob();

    /** Holds the watermark back by {@code outOfOrderness}: a day holds it until the end of the input, then it jumps. */
    public InMemoryJobAccess outOfOrderness(java.time.Duration outOfOrderness) {
        JobSettings s = job.settings;
        job.settings = new JobSettings(
                outOfOrderness,
                s.idleness(),
                s.allowedLateness().plus(outOfOrderness),
                s.dedupRetention(),
                s.ticketRetention(),
                s.earlyUpdates(),
                s.unitsRefresh());
        return this;
    }

    public void run(List<Sourced<TicketEvent>> tickets) throws Exception {
        job.run(List.of(), tickets);
    }

    public List<TicketMinute> ticketMinutes() {
        return job.ticketMinutes.results();
    }

    /** Per (minute, dimension, value), the row with the highest version. */
    public Map<String, TicketMinute> latestTicketMinutes() {
        return InMemoryJob.latest(
                ticketMinutes(), m -> m.minuteStartMs() + "|" + m.dimension() + "|" + m.value(), TicketMinute::version);
    }

    public Map<String, TicketState> latestTicketStates() {
        return InMemoryJob.latest(job.ticketStates.results(), TicketState::ticketId, TicketState::version);
    }

    public List<org.hotline.jobs.alerts.Alert> alerts() {
        return job.alerts.results();
    }

    public List<DeadLetter> deadLetters() {
        return job.deadLetters.results();
    }

    public List<Sourced<TicketEvent>> ticketEvents() {
        return job.ticketEvents.results();
    }
}
