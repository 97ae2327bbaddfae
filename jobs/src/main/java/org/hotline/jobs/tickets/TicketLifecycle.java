package org.hotline.jobs.tickets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.hotline.events.EventWriter;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Sourced;

/**
 * Keeps each ticket's events (keyed by ticket id) and turns them into facts with {@link TicketLife}.
 * An event is applied once the watermark has passed it, so events that arrive out of order within
 * the watermark's bound are simply put in order. An event that arrives after the watermark (late,
 * within the allowed lateness) makes the ticket's life be replayed: the facts that no longer hold
 * are retracted (sign -1) and the new ones added, so the counts end up as if it had come in time.
 * Since a late event only changes facts at or after its own time, no retraction ever falls into a
 * minute that is already final. Events later than the allowed lateness, and steps the ticket's
 * life refuses, go to the dead letters; the accepted events go on to the raw events, so each event
 * ends up in one place. Where the ticket stands goes out as a {@link TicketState}.
 */
public final class TicketLifecycle extends KeyedProcessFunction<String, Sourced<TicketEvent>, Fact> {

    public static final TypeInformation<TicketState> STATE_TYPE = TypeInformation.of(TicketState.class);

    private final OutputTag<DeadLetter> deadLetters;
    private final OutputTag<TicketState> states;
    private final OutputTag<Sourced<TicketEvent>> accepted;
    private final Duration allowedLateness;
    private final Duration retention;
    private final EventWriter canonical;
    private final TypeInformation<Sourced<TicketEvent>> eventType;

    private transient ListState<Sourced<TicketEvent>> events;
    private transient ListState<Fact> emitted;
    /** Per event id: true once passed on as accepted, false once refused. */
    private transient MapState<String, Boolean> handled;
    private transient ValueState<Long> lastVersion;
    /** The time the ticket's life was last replayed as of. */
    private transient ValueState<Long> clock;

    public TicketLifecycle(OutputTag<DeadLetter> deadLetters, OutputTag<TicketState> states,
            OutputTag<Sourced<TicketEvent>> accepted, Duration allowedLateness, Duration retention, EventWriter canonical,
            TypeInformation<Sourced<TicketEvent>> eventType) {
        this.deadLetters = deadLetters;
        this.states = states;
        this.accepted = accepted;
        this.allowedLateness = allowedLateness;
        this.retention = retention;
        this.canonical = canonical;
        this.eventType = eventType;
    }

    @Override
    public void open(OpenContext ctx) {
        events = getRuntimeContext().getListState(new ListStateDescriptor<>("events", eventType));
        emitted = getRuntimeContext().getListState(new ListStateDescriptor<>("emitted-facts", Fact.class));
        handled = getRuntimeContext().getMapState(new MapStateDescriptor<>("handled-events", Types.STRING, Types.BOOLEAN));
        lastVersion = getRuntimeContext().getState(new ValueStateDescriptor<>("state-version", Types.LONG));
        clock = getRuntimeContext().getState(new ValueStateDescriptor<>("as-of", Types.LONG));
    }

    @Override
    public void processElement(Sourced<TicketEvent> s, Context ctx, Collector<Fact> out) throws Exception {
        long t = s.event().eventTimeMs();
        long watermark = ctx.timerService().currentWatermark();
        if (t + allowedLateness.toMillis() <= watermark) {
            ctx.output(deadLetters, DeadLetter.rejected(s, canonical.write(s.event()), t, Reason.LATE,
                    "later than the allowed lateness of " + allowedLateness + " behind the watermark"));
            return;
        }
        events.add(s);
        if (t <= watermark) {
            replay(watermark, ctx, out); // late but allowed: correct the ticket's facts now
        } else {
            ctx.timerService().registerEventTimeTimer(t);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Fact> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        Long lastEvent = null;
        for (Sourced<TicketEvent> s : events.get()) {
            lastEvent = lastEvent == null ? s.event().eventTimeMs() : Math.max(lastEvent, s.event().eventTimeMs());
        }
        if (lastEvent != null && timestamp == lastEvent + retention.toMillis()) {
            clear(); // quiet for the whole retention: the ticket's life is over
            return;
        }
        replay(watermark, ctx, out);
    }

    private void replay(long watermark, Context ctx, Collector<Fact> out) throws Exception {
        List<TicketEvent> applicable = new ArrayList<>();
        Map<String, Sourced<TicketEvent>> byId = new HashMap<>();
        long lastEvent = Long.MIN_VALUE;
        for (Sourced<TicketEvent> s : events.get()) {
            lastEvent = Math.max(lastEvent, s.event().eventTimeMs());
            if (s.event().eventTimeMs() <= watermark) {
                applicable.add(s.event());
                byId.put(s.event().eventId(), s);
            }
        }
        // At the end of a bounded input the watermark jumps to the end of time; time stops where it was
        // (or at the ticket's last event) instead, so a replayed month does not make every open ticket overdue.
        Long previous = clock.value();
        long asOf = watermark != Long.MAX_VALUE ? watermark : Math.max(lastEvent, previous == null ? lastEvent : previous);
        clock.update(asOf);
        TicketLife.Result result = TicketLife.replay(ctx.getCurrentKey(), applicable, asOf);

        // Emit the difference between what holds now and what was emitted before.
        Map<Fact, Integer> balance = new HashMap<>();
        for (Fact f : result.facts()) {
            balance.merge(f, 1, Integer::sum);
        }
        for (Fact f : emitted.get()) {
            balance.merge(f, -1, Integer::sum);
        }
        List<Fact> nowEmitted = new ArrayList<>(result.facts());
        for (Map.Entry<Fact, Integer> e : balance.entrySet()) {
            Fact f = e.getValue() > 0 ? e.getKey() : e.getKey().negate();
            for (int i = 0; i < Math.abs(e.getValue()); i++) {
                out.collect(f);
            }
        }
        emitted.update(nowEmitted);

        // Each event once: accepted ones on to the raw events, steps the ticket's life refuses to the dead letters.
        Map<String, String> refusals = new HashMap<>();
        for (TicketLife.Invalid invalid : result.invalid()) {
            refusals.put(invalid.event().eventId(), invalid.message());
        }
        for (Sourced<TicketEvent> s : byId.values()) {
            String id = s.event().eventId();
            if (handled.contains(id)) {
                continue;
            }
            String refusal = refusals.get(id);
            if (refusal == null) {
                ctx.output(accepted, s);
            } else {
                ctx.output(deadLetters, DeadLetter.rejected(s, canonical.write(s.event()), s.event().eventTimeMs(),
                        Reason.INVALID_STEP, refusal));
            }
            handled.put(id, refusal == null);
        }

        TicketState state = result.state();
        Long previousVersion = lastVersion.value();
        if (previousVersion == null || state.version() > previousVersion) {
            lastVersion.update(state.version());
            ctx.output(states, state);
        }
        // Wake up when an open ticket's due time passes, and when the ticket has been quiet for the retention.
        if (state.dueMs() != null && "assigned".equals(state.status()) && !state.overdue()) {
            ctx.timerService().registerEventTimeTimer(state.dueMs() + 1);
        }
        ctx.timerService().registerEventTimeTimer(lastEvent + retention.toMillis());
    }

    private void clear() {
        events.clear();
        emitted.clear();
        handled.clear();
        lastVersion.clear();
        clock.clear();
    }
}
