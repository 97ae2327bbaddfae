package org.hotline.jobs;

import org.apache.flink.api.connector.sink2.Sink;
import org.hotline.events.CallEvent;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.alerts.Alert;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.tickets.OldestOpen;
import org.hotline.jobs.tickets.TicketMinute;
import org.hotline.jobs.tickets.TicketState;

/**
 * Where every output goes, built by name ({@link #builder}): several sinks share a type, so a positional list would let
 * two be swapped without a word. {@code callMinutes} and {@code ticketMinutes} may be left out: the per-minute rows
 * that the rolling figures and the history are made of are not stored (tests look at them).
 */
public record Sinks(
        Sink<Sourced<CallEvent>> callEvents,
        Sink<Sourced<TicketEvent>> ticketEvents,
        Sink<CallMinute> callMinutes,
        Sink<TicketMinute> ticketMinutes,
        Sink<Rollup.Out> callQuarters,
        Sink<Rollup.Out> ticketDays,
        Sink<TicketState> ticketStates,
        Sink<DeadLetter> deadLetters,
        Sink<Alert> alerts,
        Sink<Alert> alertEvents,
        Sink<Rolling.Row> callRolling,
        Sink<Rolling.Row> ticketRolling,
        Sink<HotspotRanks.Rank> hotspots,
        Sink<OldestOpen.Row> oldestOpen,
        Sink<Alert> alertsLatest,
        Sink<Rejudged> rejudged) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Sinks}: every sink by its name; all but the per-minute rows required. */
    public static final class Builder {
        private Sink<Sourced<CallEvent>> callEvents;
        private Sink<Sourced<TicketEvent>> ticketEvents;
        private Sink<CallMinute> callMinutes;
        private Sink<TicketMinute> ticketMinutes;
        private Sink<Rollup.Out> callQuarters;
        private Sink<Rollup.Out> ticketDays;
        private Sink<TicketState> ticketStates;
        private Sink<DeadLetter> deadLetters;
        private Sink<Alert> alerts;
        private Sink<Alert> alertEvents;
        private Sink<Rolling.Row> callRolling;
        private Sink<Rolling.Row> ticketRolling;
        private Sink<HotspotRanks.Rank> hotspots;
        private Sink<OldestOpen.Row> oldestOpen;
        private Sink<Alert> alertsLatest;
        private Sink<Rejudged> rejudged;

        /** The ticket steps judged again after a late step, each to be moved to the table its judgement now says. */
        public Builder rejudged(Sink<Rejudged> sink) {
            this.rejudged = sink;
            return this;
        }

        public Builder callEvents(Sink<Sourced<CallEvent>> sink) {
            this.callEvents = sink;
            return this;
        }

        public Builder ticketEvents(Sink<Sourced<TicketEvent>> sink) {
            this.ticketEvents = sink;
            return this;
        }

        public Builder callMinutes(Sink<CallMinute> sink) {
            this.callMinutes = sink;
            return this;
        }

        public Builder ticketMinutes(Sink<TicketMinute> sink) {
            this.ticketMinutes = sink;
            return this;
        }

        public Builder callQuarters(Sink<Rollup.Out> sink) {
            this.callQuarters = sink;
            return this;
        }

        public Builder ticketDays(Sink<Rollup.Out> sink) {
            this.ticketDays = sink;
            return this;
        }

        public Builder ticketStates(Sink<TicketState> sink) {
            this.ticketStates = sink;
            return this;
        }

        public Builder deadLetters(Sink<DeadLetter> sink) {
            this.deadLetters = sink;
            return this;
        }

        public Builder alerts(Sink<Alert> sink) {
            this.alerts = sink;
            return this;
        }

        public Builder alertEvents(Sink<Alert> sink) {
            this.alertEvents = sink;
            return this;
        }

        public Builder callRolling(Sink<Rolling.Row> sink) {
            this.callRolling = sink;
            return this;
        }

        public Builder ticketRolling(Sink<Rolling.Row> sink) {
            this.ticketRolling = sink;
            return this;
        }

        public Builder hotspots(Sink<HotspotRanks.Rank> sink) {
            this.hotspots = sink;
            return this;
        }

        public Builder oldestOpen(Sink<OldestOpen.Row> sink) {
            this.oldestOpen = sink;
            return this;
        }

        public Builder alertsLatest(Sink<Alert> sink) {
            this.alertsLatest = sink;
            return this;
        }

        public Sinks build() {
            require(callEvents, "callEvents");
            require(ticketEvents, "ticketEvents");
            require(callQuarters, "callQuarters");
            require(ticketDays, "ticketDays");
            require(ticketStates, "ticketStates");
            require(deadLetters, "deadLetters");
            require(alerts, "alerts");
            require(alertEvents, "alertEvents");
            require(callRolling, "callRolling");
            require(ticketRolling, "ticketRolling");
            require(hotspots, "hotspots");
            require(oldestOpen, "oldestOpen");
            require(alertsLatest, "alertsLatest");
            require(rejudged, "rejudged");
            return new Sinks(
                    callEvents,
                    ticketEvents,
                    callMinutes,
                    ticketMinutes,
                    callQuarters,
                    ticketDays,
                    ticketStates,
                    deadLetters,
                    alerts,
                    alertEvents,
                    callRolling,
                    ticketRolling,
                    hotspots,
                    oldestOpen,
                    alertsLatest,
                    rejudged);
        }

        private static void require(Object sink, String name) {
            if (sink == null) {
                throw new IllegalStateException("no sink given for " + name);
            }
        }
    }
}
