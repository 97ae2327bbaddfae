package org.hotline.jobs.tickets;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.hotline.jobs.RowVersions;

/**
 * Where each ticket stands, passed on at most once per flush (keyed by ticket): the latest of the states it reached
 * since the last flush. {@code ticket_state} keeps only the latest row of a ticket, so the states in between were
 * rows written to be replaced; a replayed month passes days of a ticket's life between two flushes. The end of the
 * input passes on what is pending.
 */
public final class LatestState extends KeyedProcessFunction<String, TicketState, TicketState> {

    private final long flushMs;
    private transient ValueState<TicketState> pending;
    private transient ValueState<Long> flushAt;

    /** @param flush how often (wall clock); zero passes every state on at once */
    public LatestState(Duration flush) {
        this.flushMs = flush.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-state", TicketLifecycle.STATE_TYPE));
        flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-at", Types.LONG));
    }

    @Override
    public void processElement(TicketState state, Context ctx, Collector<TicketState> out) throws Exception {
        if (flushMs <= 0) {
            out.collect(state);
            return;
        }
        TicketState before = pending.value();
        if (before == null || state.version() > before.version()) {
            pending.update(state);
        }
        RowVersions.flushLater(ctx.timerService(), flushAt, flushMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TicketState> out) throws Exception {
        TicketState state = pending.value();
        if (state != null) {
            out.collect(state);
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            ctx.timerService().deleteEventTimeTimer(RowVersions.END_OF_INPUT); // nothing left for the end of the input
        }
        pending.clear();
        flushAt.clear();
    }
}
