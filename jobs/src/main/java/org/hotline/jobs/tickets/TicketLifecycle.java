package org.hotline.jobs.tickets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.hotline.events.EventWriter;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Rejudged;
import org.hotline.jobs.Sourced;

/**
 * Keeps each ticket's events (keyed by ticket id) and turns them into facts with {@link TicketLife}.
 * An event is applied once the watermark has passed it, so events that arrive out of order within
 * the watermark's bound are simply put in order. An event that arrives after the watermark (late,
 * within the allowed lateness) makes the ticket's life be replayed: the facts that no longer hold
 * are retracted (sign -1) and the new ones added, so the counts end up as if it had come in time.
 * Since a late event only changes facts at or after its own time, no retraction ever falls into a
 * minute that is already final. Steps seen before (duplicates), events later than the allowed
 * lateness, and steps the ticket's life refuses, go to the dead letters; the accepted events go on to the raw events, so each event
 * ends up in one place. Where the ticket stands goes out as a {@link TicketState}.
 * <p>
 * Steps further behind the watermark than the allowed lateness can no longer be preceded by a new one: they are
 * summed up into a {@link TicketLife.Summary} and dropped, so a ticket keeps its summary, the ids of its steps and
 * only its recent steps (a replay goes over those alone, and a checkpoint holds little more than one step per
 * ticket).
 */
public final class TicketLifecycle extends org.hotline.jobs.LatenessJudging<String, Sourced<TicketEvent>, SliceFacts> {

    public static final TypeInformation<TicketState> STATE_TYPE = TypeInformation.of(TicketState.class);

    private final OutputTag<DeadLetter> deadLetters;
    private final OutputTag<TicketState> states;
    private final OutputTag<Sourced<TicketEvent>> accepted;
    private final OutputTag<Rejudged> rejudged;
    private final Duration allowedLateness;
    private final Duration retention;
    private static final java.util.Set<String> OPEN = java.util.Set.of("new", "with_office", "assigned");
    private final EventWriter canonical;
    private final TypeInformation<Sourced<TicketEvent>> eventType;

    private transient ValueState<Memo> memo;
    /**
     * A checkpoint of the layout before (each ticket's steps in a list state of their own, all of them): its steps
     * are moved into the memo when the ticket is next touched. Marked in operator state so that a job started
     * fresh, or restored from this layout, never looks there.
     */
    private transient ListState<Sourced<TicketEvent>> stepsBefore;

    private transient ListState<Integer> layout;
    private transient boolean restoredFromLayoutBefore;
    private static final int LAYOUT_STEPS = 1;
    private static final int LAYOUT_SUMMARY = 2;

    /** A ticket, in one state entry: one lookup per step and per replay. */
    public static final class Memo {
        /** The steps after the summary, in arrival order: those the watermark has not passed, and the recent ones. */
        public Step[] steps;
        /** What the ticket's life keeps of the steps before (null: none). */
        public TicketLife.Summary summary;
        /** The time up to which steps are summed up: a step at or before it arrives too late to be applied. */
        public Long summedTo;
        /** The latest time of any step taken in. */
        public Long lastEvent;
        /** The time the ticket's life was last replayed as of. */
        public Long asOf;
        /** The version of the last state sent out. */
        public Long version;
        /** The timers set for the ticket's due time and for forgetting it, so that each is set once, not once per step. */
        public Long dueTimer;

        public Long forgetTimer;
        /**
         * How many facts the last replay emitted after the summary, and their {@link #digest}, from
         * {@link #DIGEST_SEED}.
         */
        public Integer emitted;

        public Long digest;
        /** The steps passed on as accepted or refused so far, each once (summed up or not). */
        public String[] handled = new String[0];
        /**
         * Of the steps handled and not yet summed up, those refused (the others were accepted): a late step may still
         * change their judgement, and then they are passed on again. Null in a checkpoint taken before it was kept.
         */
        public String[] refused = new String[0];

        boolean refused(String eventId) {
            return refused != null && contains(refused, eventId);
        }

        private static boolean contains(String[] ids, String eventId) {
            for (String id : ids) {
                if (id.equals(eventId)) {
                    return true;
                }
            }
            return false;
        }

        boolean handled(String eventId) {
            return contains(handled, eventId);
        }

        /** Takes a step in, after the summary. */
        void take(Step s) {
            steps = Arrays.copyOf(steps, steps.length + 1);
            steps[steps.length - 1] = s;
            long t = s.event.eventTimeMs();
            lastEvent = lastEvent == null ? t : Math.max(lastEvent, t);
        }

        boolean taken(String eventId) {
            if (handled(eventId)) {
                return true;
            }
            for (Step s : steps) {
                if (s.event.eventId().equals(eventId)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A step as read from Kafka (a valid one: its payload and error are not kept). */
    public static final class Step {
        public String topic;
        public int partition;
        public long offset;
        public TicketEvent event;

        public Step() {}

        Step(Sourced<TicketEvent> s) {
            this(s.topic(), s.partition(), s.offset(), s.event());
        }

        Step(String topic, int partition, long offset, TicketEvent event) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.event = event;
        }

        Sourced<TicketEvent> sourced() {
            return new Sourced<>(topic, partition, offset, event, null, null);
        }
    }

    public TicketLifecycle(
            OutputTag<DeadLetter> deadLetters,
            OutputTag<TicketState> states,
            OutputTag<Sourced<TicketEvent>> accepted,
            OutputTag<Rejudged> rejudged,
            Duration allowedLateness,
            Duration retention,
            EventWriter canonical,
            TypeInformation<Sourced<TicketEvent>> eventType) {
        this.deadLetters = deadLetters;
        this.states = states;
        this.accepted = accepted;
        this.rejudged = rejudged;
        this.allowedLateness = allowedLateness;
        this.retention = retention;
        this.canonical = canonical;
        this.eventType = eventType;
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        layout =
                ctx.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("lifecycle-layout", Types.INT));
        restoredFromLayoutBefore = false;
        if (ctx.isRestored()) {
            // restored from the layout before, or from a job that was (it may still hold steps in the list state)
            boolean marked = false;
            for (Integer l : layout.get()) {
                marked = true;
                restoredFromLayoutBefore |= l != LAYOUT_SUMMARY;
            }
            restoredFromLayoutBefore |= !marked;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        super.snapshotState(ctx);
        layout.clear();
        layout.add(restoredFromLayoutBefore ? LAYOUT_STEPS : LAYOUT_SUMMARY);
    }

    @Override
    public void open(OpenContext ctx) {
        memo = getRuntimeContext().getState(new ValueStateDescriptor<>("memo", TypeInformation.of(Memo.class)));
        if (restoredFromLayoutBefore) {
            stepsBefore = getRuntimeContext().getListState(new ListStateDescriptor<>("events", eventType));
        }
    }

    /** The ticket's memo (a new one for a ticket not seen), its steps moved in from the layout before if need be. */
    private Memo load() throws Exception {
        Memo m = memo.value();
        if (m != null && m.steps != null) {
            return m;
        }
        if (m == null) {
            m = new Memo();
        }
        m.steps = new Step[0];
        if (restoredFromLayoutBefore) {
            for (Sourced<TicketEvent> s : stepsBefore.get()) {
                m.take(new Step(s));
            }
            stepsBefore.clear();
        }
        return m;
    }

    @Override
    public void processElement(Sourced<TicketEvent> s, Context ctx, Collector<SliceFacts> out) throws Exception {
        long t = s.event().eventTimeMs();
        Memo m = load();
        // A step seen before (a redelivery or a resend) is a duplicate, whatever its age: it is kept aside, not counted
        // twice.
        String id = s.event().eventId();
        if (m.taken(id)) {
            ctx.output(
                    deadLetters,
                    DeadLetter.rejected(
                            s,
                            canonical.write(s.event()),
                            t,
                            Reason.DUPLICATE,
                            "step '" + id + "' of " + ctx.getCurrentKey() + " was already counted"));
            return;
        }
        long watermark = watermark(ctx.timerService()); // the one reached before a restore, too
        // (a step at or before the summed-up time is that late too, whatever the watermark after a restore)
        if (t + allowedLateness.toMillis() <= watermark || (m.summedTo != null && t <= m.summedTo)) {
            ctx.output(
                    deadLetters,
                    DeadLetter.rejected(
                            s,
                            canonical.write(s.event()),
                            t,
                            Reason.LATE,
                            "later than the allowed lateness of " + allowedLateness + " behind the watermark"));
            return;
        }
        m.take(new Step(s));
        if (t <= watermark) {
            replay(watermark, m, ctx, out); // late but allowed: correct the ticket's facts now
        } else {
            memo.update(m);
            ctx.timerService().registerEventTimeTimer(t);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SliceFacts> out) throws Exception {
        watermark(ctx.timerService());
        Memo m = load();
        if (Long.valueOf(timestamp).equals(m.forgetTimer)) {
            clear(ctx, m); // quiet for the whole retention: the ticket's life is over
            return;
        }
        // Timers up to the time of the last replay have nothing left to do: a step at or before it was applied
        // then (it arrived before the watermark reached it), and so was a due time passed by then. When the
        // watermark jumps over several steps of a ticket at once, the first timer replays it, the others skip.
        if (m.asOf != null && timestamp <= m.asOf) {
            return;
        }
        replay(ctx.timerService().currentWatermark(), m, ctx, out);
    }

    private void replay(long watermark, Memo m, Context ctx, Collector<SliceFacts> out) throws Exception {
        List<TicketEvent> applicable = new ArrayList<>(m.steps.length);
        for (Step s : m.steps) {
            if (s.event.eventTimeMs() <= watermark) {
                applicable.add(s.event);
            }
        }
        // At the end of a bounded input the watermark jumps to the end of time; time stops where it was
        // (or at the ticket's last event) instead, so a replayed month does not make every open ticket overdue.
        Long previous = m.asOf;
        long asOf = watermark != Long.MAX_VALUE
                ? watermark
                : Math.max(m.lastEvent, previous == null ? m.lastEvent : previous);
        m.asOf = asOf;
        // the steps no new one can come before any more (later than the allowed lateness) are summed up
        long lateness = allowedLateness.toMillis();
        long sumTo = watermark < Long.MIN_VALUE + lateness ? Long.MIN_VALUE : watermark - lateness;
        TicketLife.Result result = TicketLife.replay(ctx.getCurrentKey(), m.summary, applicable, asOf, sumTo);

        // Emit the difference between what holds now and what was emitted before: usually the new facts simply
        // follow the ones emitted before (the ticket's life went on), which the count and digest of the facts emitted
        // so far recognise without replaying the life a second time; otherwise (a late step changed its past) the
        // facts emitted before are worked out again and what no longer holds is retracted. What was emitted before is
        // not kept: it is the facts of the steps handled so far, as of the last replay's time (a replay is a pure
        // function of its summary, steps and time), which keeps every checkpoint smaller.
        List<Fact> now = result.facts();
        // the digest of as many facts as were emitted before, continued over the rest below: each fact digested once
        int compared = m.emitted != null && now.size() >= m.emitted ? m.emitted : 0;
        long prefix = digest(DIGEST_SEED, now, 0, compared);
        List<Fact> emit;
        if (previous == null) {
            emit = now;
        } else if (m.emitted != null && now.size() >= m.emitted && prefix == m.digest) {
            emit = now.subList(m.emitted, now.size());
        } else {
            List<TicketEvent> appliedBefore = new ArrayList<>(m.steps.length); // only here: the facts emitted before
            for (Step s : m.steps) {
                if (m.handled(s.event.eventId())) {
                    appliedBefore.add(s.event);
                }
            }
            List<Fact> before = TicketLife.replay(
                            ctx.getCurrentKey(), m.summary, appliedBefore, previous, Long.MIN_VALUE)
                    .facts();
            if (now.size() >= before.size() && now.subList(0, before.size()).equals(before)) {
                emit = now.subList(before.size(), now.size());
            } else {
                // what holds now, and what held before retracted: the grouping below nets them
                emit = new ArrayList<>(now);
                for (Fact f : before) {
                    emit.add(f.negate());
                }
            }
        }
        // one record per slice and time: a step's facts in one slice are counted together
        for (SliceFacts g : SliceFacts.group(emit)) {
            out.collect(g);
        }
        // Each event once: accepted ones on to the raw events, steps the ticket's life refuses to the dead letters. A
        // step judged before whose judgement the late step changed is passed on again, to be moved to the other table.
        List<String> handledNow = new ArrayList<>(m.handled.length + applicable.size());
        handledNow.addAll(Arrays.asList(m.handled));
        List<String> refusedNow = new ArrayList<>();
        for (Step s : m.steps) {
            String id = s.event.eventId();
            if (s.event.eventTimeMs() > watermark) {
                continue;
            }
            String refusal = null;
            for (TicketLife.Invalid invalid : result.invalid()) {
                if (invalid.event().eventId().equals(id)) {
                    refusal = invalid.message();
                }
            }
            if (refusal != null) {
                refusedNow.add(id);
            }
            if (m.handled(id)) {
                if (m.refused(id) != (refusal != null)) {
                    ctx.output(rejudged, new Rejudged(s.sourced(), canonical.write(s.event), refusal));
                }
                continue;
            }
            if (refusal == null) {
                ctx.output(accepted, s.sourced());
            } else {
                ctx.output(
                        deadLetters,
                        DeadLetter.rejected(
                                s.sourced(),
                                canonical.write(s.event),
                                s.event.eventTimeMs(),
                                Reason.INVALID_STEP,
                                refusal));
            }
            handledNow.add(id);
        }
        m.handled = handledNow.toArray(String[]::new);
        m.refused = refusedNow.toArray(String[]::new);
        if (result.folded() != null) {
            // the steps summed up are dropped; the facts emitted are counted from the summary on
            m.summary = result.folded();
            m.summedTo = m.summedTo == null ? sumTo : Math.max(m.summedTo, sumTo);
            List<Step> kept = new ArrayList<>(m.steps.length);
            for (Step s : m.steps) {
                if (s.event.eventTimeMs() > sumTo) {
                    kept.add(s);
                }
            }
            m.steps = kept.toArray(Step[]::new);
            m.emitted = now.size() - result.foldedFacts();
            m.digest = digest(DIGEST_SEED, now, result.foldedFacts(), now.size());
        } else {
            m.emitted = now.size();
            m.digest = digest(prefix, now, compared, now.size());
        }

        TicketState state = result.state();
        if (m.version == null || state.version() > m.version) {
            m.version = state.version();
            ctx.output(states, state);
        }
        // Wake up when an open ticket's due time passes, and when a finished ticket has been quiet for the retention
        // (callbacks come weeks after completion). An open ticket is never forgotten, however long it waits: its
        // completion must still be accepted, and its unit's backlog closed.
        Long due = state.dueMs() != null && "assigned".equals(state.status()) && !state.overdue()
                ? state.dueMs() + 1
                : null;
        m.dueTimer = moveTimer(ctx, m.dueTimer, due);
        boolean open = state.createdAtMs() != null && OPEN.contains(state.status());
        m.forgetTimer = moveTimer(ctx, m.forgetTimer, open ? null : m.lastEvent + retention.toMillis());
        memo.update(m);
    }

    /** The digest of no facts (FNV-1a's offset basis). */
    static final long DIGEST_SEED = 0xcbf29ce484222325L;

    /**
     * A 64-bit digest of facts {@code from} to {@code to} (exclusive), in order (every field, strings char by char),
     * continuing {@code h}, the digest of those before: two different lists of facts share one with a chance of about
     * 2^-64, where a 32-bit hash would let two names collide for good.
     */
    static long digest(long h, List<Fact> facts, int from, int to) {
        for (int i = from; i < to; i++) {
            Fact f = facts.get(i);
            h = mix(h, f.kind().ordinal());
            h = mix(h, f.dimension());
            h = mix(h, f.value());
            h = mix(h, f.timeMs());
            h = mix(h, f.sign());
        }
        return h;
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0x100000001b3L; // FNV-1a's prime
        return h ^ (h >>> 29);
    }

    private static long mix(long h, String s) {
        if (s == null) {
            return mix(h, -1L);
        }
        for (int i = 0; i < s.length(); i++) {
            h = mix(h, s.charAt(i));
        }
        return mix(h, s.length());
    }

    /** Moves a timer set at {@code set} (none when null) to {@code at} (none when null); returns where it is now. */
    private static Long moveTimer(Context ctx, Long set, Long at) {
        if (!java.util.Objects.equals(set, at)) {
            if (set != null) {
                ctx.timerService().deleteEventTimeTimer(set);
            }
            if (at != null) {
                ctx.timerService().registerEventTimeTimer(at);
            }
        }
        return at;
    }

    private void clear(Context ctx, Memo m) {
        if (m.dueTimer != null) {
            ctx.timerService().deleteEventTimeTimer(m.dueTimer);
        }
        memo.clear();
    }
}
