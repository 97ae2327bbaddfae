package org.hotline.jobs.tickets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.hotline.events.EventWriter;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Sourced;

/**
 * Lets a ticket's steps into its life once the units they name are known. The units come as snapshots of the
 * reference data (broadcast), read while the job runs, on top of those known when it started: a unit added
 * later is picked up without a restart. A step naming a unit not known yet waits, keyed by its ticket, and so
 * do the ticket's steps after it (its life is applied in order); when a snapshot brings the unit, they go on
 * together, as late steps within the allowed lateness. A unit still unknown {@code wait} after the first
 * waiting step (event time) sends that step to the dead letters ({@code unknown_unit}) and lets the others go on.
 */
public final class UnitGate extends KeyedBroadcastProcessFunction<String, Sourced<TicketEvent>, Map<String, String>,
        Sourced<TicketEvent>> {

    /** Unit id to its group, from every snapshot seen. */
    public static final MapStateDescriptor<String, String> UNITS = new MapStateDescriptor<>("known-units", Types.STRING, Types.STRING);

    private final Set<String> knownAtStart;
    private final OutputTag<DeadLetter> deadLetters;
    private final TypeInformation<Sourced<TicketEvent>> type;
    private final long waitMs;
    private final EventWriter canonical;

    private transient ListState<Sourced<TicketEvent>> waiting;
    private transient ValueState<Long> deadline;

    public UnitGate(Set<String> knownAtStart, OutputTag<DeadLetter> deadLetters, TypeInformation<Sourced<TicketEvent>> type,
            Duration wait, EventWriter canonical) {
        this.knownAtStart = Set.copyOf(knownAtStart);
        this.deadLetters = deadLetters;
        this.type = type;
        this.waitMs = wait.toMillis();
        this.canonical = canonical;
    }

    @Override
    public void open(OpenContext ctx) {
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-for-a-unit", type));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-until", Types.LONG));
    }

    @Override
    public void processElement(Sourced<TicketEvent> s, ReadOnlyContext ctx, Collector<Sourced<TicketEvent>> out) throws Exception {
        boolean queue = waiting.get().iterator().hasNext();
        if (!queue && known(s, ctx.getBroadcastState(UNITS))) {
            out.collect(s);
            return;
        }
        if (!queue) { // the first to wait: it sets the deadline (a deadline of an earlier wait is passed over)
            long at = s.event().eventTimeMs() + waitMs;
            deadline.update(at);
            ctx.timerService().registerEventTimeTimer(at);
        }
        waiting.add(s); // behind a step that waits, or naming a unit not known yet
    }

    @Override
    public void processBroadcastElement(Map<String, String> snapshot, Context ctx, Collector<Sourced<TicketEvent>> out)
            throws Exception {
        var units = ctx.getBroadcastState(UNITS);
        boolean added = false;
        for (Map.Entry<String, String> u : snapshot.entrySet()) {
            if (!units.contains(u.getKey())) {
                units.put(u.getKey(), u.getValue());
                added = true;
            }
        }
        if (!added) {
            return;
        }
        // Tickets whose waiting steps all name known units now go on, in their order. (Their deadline timer then
        // finds nothing waiting and only clears the deadline.)
        ctx.applyToKeyedState(new ListStateDescriptor<>("waiting-for-a-unit", type), (ticket, state) -> {
            List<Sourced<TicketEvent>> steps = new ArrayList<>();
            state.get().forEach(steps::add);
            boolean allKnown = !steps.isEmpty();
            for (Sourced<TicketEvent> s : steps) {
                allKnown &= known(s, units);
            }
            if (allKnown) {
                steps.forEach(out::collect);
                state.clear();
            }
        });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Sourced<TicketEvent>> out) throws Exception {
        if (!Long.valueOf(timestamp).equals(deadline.value())) {
            return;
        }
        var units = ctx.getBroadcastState(UNITS);
        for (Sourced<TicketEvent> s : waiting.get()) {
            if (known(s, units)) {
                out.collect(s);
            } else {
                ctx.output(deadLetters, DeadLetter.rejected(s, canonical.write(s.event()), s.event().eventTimeMs(),
                        Reason.UNKNOWN_UNIT, "unit '" + s.event().unitId() + "' is not in the units table"));
            }
        }
        waiting.clear();
        deadline.clear();
    }

    /** No unit named, a known one, or no reference data at all (then any unit goes). */
    private boolean known(Sourced<TicketEvent> s, ReadOnlyBroadcastState<String, String> units) throws Exception {
        String unit = s.event().unitId();
        return unit == null || knownAtStart.contains(unit) || units.contains(unit)
                || knownAtStart.isEmpty() && !units.immutableEntries().iterator().hasNext();
    }
}
