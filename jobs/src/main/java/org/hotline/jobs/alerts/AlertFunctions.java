package org.hotline.jobs.alerts;

import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.tickets.TicketLife;

/**
 * The bouncing-ticket rule ({@link BouncingTicket}). It stays nested here, where every other rule has a file of its
 * own, because its state is a POJO whose class name ({@code AlertFunctions$BouncingTicket$Bouncing}) every
 * checkpoint records: moved, a checkpoint taken before would no longer restore.
 */
public final class AlertFunctions {
    private AlertFunctions() {}

    /** A ticket dispatched again and again. */
    public static final class BouncingTicket extends OrderedRules<Sourced<TicketEvent>> {
        private transient ValueState<Bouncing> ticket;

        /** What the rule keeps of a ticket. */
        public static final class Bouncing {
            public int dispatches;
            public boolean done;
            /** The unit it was last dispatched to, and its category. */
            public String unit;

            public String category;
        }

        public BouncingTicket(AlertRules rules, TypeInformation<Sourced<TicketEvent>> steps) {
            super(rules, steps);
        }

        @Override
        public void open(OpenContext ctx) {
            super.open(ctx);
            ticket = getRuntimeContext().getState(new ValueStateDescriptor<>("bouncing", Bouncing.class));
        }

        /** Every step the ticket's life accepted, once each, at its own time: no dispatch is missed however far the watermark jumps. */
        @Override
        long timeOf(Sourced<TicketEvent> s) {
            return s.event().eventTimeMs();
        }

        @Override
        Comparator<Sourced<TicketEvent>> tieOrder() {
            return Comparator.comparing(s -> s.event(), TicketLife.ORDER);
        }

        @Override
        void apply(long time, List<Sourced<TicketEvent>> steps, Context ctx, Collector<Alert> out) throws Exception {
            Bouncing t = ticket.value() == null ? new Bouncing() : ticket.value();
            for (Sourced<TicketEvent> s : steps) {
                TicketEvent e = s.event();
                switch (e.type()) {
                    case CREATED -> t.category = e.category();
                    case DISPATCHED -> {
                        t.dispatches++;
                        t.unit = e.unitId();
                    }
                    case COMPLETED, RESOLVED_ONLINE -> t.done = true;
                    default -> {}
                }
            }
            ticket.update(t);
            // the count only grows; the alert ends when the ticket is done
            double value = t.done ? 0 : t.dispatches;
            String id = ctx.getCurrentKey();
            Alert.Subject about = Alert.Subject.ticket(id, t.unit, t.category);
            emit(
                    evaluate(
                            "bouncing_ticket",
                            AlertRules.higher(rules.settings("bouncing_ticket", null)),
                            value,
                            time,
                            about),
                    out);
        }
    }
}
