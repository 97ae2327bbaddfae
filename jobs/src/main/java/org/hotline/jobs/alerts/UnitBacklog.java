package org.hotline.jobs.alerts;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.hotline.jobs.tickets.Fact;

/** A unit's open tickets past their due time (backlog) and all its open tickets (backlog_size), from its facts. */
public final class UnitBacklog extends FactRules {
    private transient ValueState<long[]> counts;

    public UnitBacklog(AlertRules rules) {
        super(rules);
    }

    @Override
    public void open(OpenContext ctx) {
        super.open(ctx);
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("backlog", LONGS));
    }

    @Override
    void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
        long[] c = counts.value() == null ? new long[2] : counts.value();
        boolean changed = false;
        for (Fact f : facts) {
            switch (f.kind()) {
                case OPENED -> c[0] += f.sign();
                case CLOSED -> c[0] -= f.sign();
                case OVERDUE_OPENED -> c[1] += f.sign();
                case OVERDUE_CLOSED -> c[1] -= f.sign();
                default -> {
                    continue;
                }
            }
            changed = true;
        }
        if (!changed) {
            return;
        }
        counts.update(c);
        String unit = ctx.getCurrentKey();
        Alert.Subject about = Alert.Subject.unit(unit);
        emit(evaluate("backlog", AlertRules.higher(rules.settings("backlog", unit)), c[1], time, about), out);
        emit(evaluate("backlog_size", AlertRules.higher(rules.settings("backlog_size", unit)), c[0], time, about), out);
    }
}
