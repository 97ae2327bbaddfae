package org.hotline.jobs.tickets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableSupplier;
import org.hotline.events.EventWriter;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Sourced;

/**
 * Lets a ticket's steps into its life once the units they name are known. The units come from the reference
 * data, read again while the job runs (at most every {@code refresh}, when a step names a unit not known): a
 * unit added later is picked up without a restart. A step naming a unit not known yet waits, keyed by its
 * ticket, and so do the ticket's steps after it (its life is applied in order); they are looked at again every
 * {@code refresh} and go on together once the unit is known, as late steps within the allowed lateness. A unit
 * still unknown {@code wait} after the first waiting step (event time) sends that step to the dead letters
 * ({@code unknown_unit}) and lets the others go on. With no units at all in the reference data, any unit goes.
 * <p>
 * One input only: a second (broadcast) input for the units would hold the job's watermark back until it had
 * sent one of its own, and how far the watermark then jumps would depend on timing.
 */
public final class UnitGate extends KeyedProcessFunction<String, Sourced<TicketEvent>, Sourced<TicketEvent>> {

    private final SerializableSupplier<Set<String>> units;
    private final OutputTag<DeadLetter> deadLetters;
    private final TypeInformation<Sourced<TicketEvent>> type;
    private final long waitMs;
    private final long refreshMs;
    private final EventWriter canonical;

    private transient ListState<Sourced<TicketEvent>> waiting;
    private transient ValueState<Long> deadline;
    private transient Set<String> known;
    private transient long readAt;

    public UnitGate(
            SerializableSupplier<Set<String>> units,
            OutputTag<DeadLetter> deadLetters,
            TypeInformation<Sourced<TicketEvent>> type,
            Duration wait,
            Duration refresh,
            EventWriter canonical) {
        this.units = units;
        this.deadLetters = deadLetters;
        this.type = type;
        this.waitMs = wait.toMillis();
        this.refreshMs = refresh.toMillis();
        this.canonical = canonical;
    }

    @Override
    public void open(OpenContext ctx) {
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-for-a-unit", type));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-until", Types.LONG));
        known = units.get();
        known = known == null ? Set.of() : known;
        readAt = Long.MIN_VALUE / 2; // the first unit not known reads them again at once
    }

    @Override
    public void processElement(Sourced<TicketEvent> s, Context ctx, Collector<Sourced<TicketEvent>> out)
            throws Exception {
        boolean queue = waiting.get().iterator().hasNext();
        if (!queue && known(s, ctx.timerService().currentProcessingTime())) {
            out.collect(s);
            return;
        }
        if (!queue) { // the first to wait: it sets the deadline (a deadline of an earlier wait is passed over)
            long at = s.event().eventTimeMs() + waitMs;
            deadline.update(at);
            ctx.timerService().registerEventTimeTimer(at);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + refreshMs);
        }
        waiting.add(s); // behind a step that waits, or naming a unit not known yet
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Sourced<TicketEvent>> out) throws Exception {
        List<Sourced<TicketEvent>> steps = new ArrayList<>();
        waiting.get().forEach(steps::add);
        long now = ctx.timerService().currentProcessingTime();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (steps.isEmpty()) {
                return;
            }
            boolean allKnown = true;
            for (Sourced<TicketEvent> s : steps) {
                allKnown &= known(s, now);
            }
            if (!allKnown) {
                ctx.timerService().registerProcessingTimeTimer(now + refreshMs); // look again later
                return;
            }
            steps.forEach(out::collect);
            waiting.clear(); // the deadline timer then finds nothing waiting and only clears the deadline
            return;
        }
        if (!Long.valueOf(timestamp).equals(deadline.value())) {
            return;
        }
        for (Sourced<TicketEvent> s : steps) {
            if (known(s, now)) {
                out.collect(s);
            } else {
                ctx.output(
                        deadLetters,
                        DeadLetter.rejected(
                                s,
                                canonical.write(s.event()),
                                s.event().eventTimeMs(),
                                Reason.UNKNOWN_UNIT,
                                "unit '" + s.event().unitId() + "' is not in the units table"));
            }
        }
        waiting.clear();
        deadline.clear();
    }

    /** No unit named, a known one (the units read again when stale), or no reference data at all. */
    private boolean known(Sourced<TicketEvent> s, long now) {
        String unit = s.event().unitId();
        if (unit == null || known.isEmpty() || known.contains(unit)) {
            return true;
        }
        if (now - readAt >= refreshMs) {
            Set<String> read = units.get(); // null: could not read them; those known so far stay known
            known = read == null ? known : read;
            readAt = now;
        }
        return known.isEmpty() || known.contains(unit);
    }
}
