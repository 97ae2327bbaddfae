package org.hotline.jobs.alerts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * A rule over inputs that reach one key from many upstream tasks (the facts of many tickets, the rows of a
 * minute written early and then complete): they are held until the watermark passes their time and applied
 * a time at a time, in an order that does not depend on how they arrived. So a replay, a restore or a
 * restart evaluates the same inputs in the same order and raises exactly the same alerts.
 */
abstract class OrderedRules<I> extends Rules<I> {
    private final TypeInformation<I> type;
    private transient MapState<Long, List<I>> pending;

    OrderedRules(AlertRules rules, TypeInformation<I> type) {
        super(rules);
        this.type = type;
    }

    /** The event time an input counts at. */
    abstract long timeOf(I input);

    /** The inputs of one time in an order of their own content. */
    abstract Comparator<I> tieOrder();

    /** Applies the inputs of {@code time}, in order, and evaluates. */
    abstract void apply(long time, List<I> inputs, Context ctx, Collector<Alert> out) throws Exception;

    /** A time the rule itself asked to look again at (its window moving on); nothing by default. */
    void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {}

    @Override
    public void open(OpenContext ctx) {
        super.open(ctx);
        pending = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("pending-inputs", Types.LONG, Types.LIST(type)));
    }

    @Override
    public void processElement(I input, Context ctx, Collector<Alert> out) throws Exception {
        long time = timeOf(input);
        List<I> at = pending.get(time);
        if (at == null) {
            at = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(time);
        }
        at.add(input);
        pending.put(time, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<I> at = pending.get(timestamp);
        if (at != null) {
            pending.remove(timestamp);
            at.sort(tieOrder());
            apply(timestamp, at, ctx, out);
        }
        lookAgain(timestamp, ctx, out);
    }
}
