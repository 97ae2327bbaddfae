package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.hotline.jobs.tickets.Fact;

/** One unit rejecting or returning many tickets of one category within a window. */
public final class ConcentratedReturns extends FactRules {
    private transient ListState<Long> times;

    public ConcentratedReturns(AlertRules rules) {
        super(rules);
    }

    @Override
    public void open(OpenContext ctx) {
        super.open(ctx);
        times = getRuntimeContext().getListState(new ListStateDescriptor<>("returns", Types.LONG));
    }

    @Override
    void apply(long time, List<Fact> facts, Context ctx, Collector<Alert> out) throws Exception {
        List<Long> all = new ArrayList<>();
        times.get().forEach(all::add);
        for (Fact f : facts) {
            if (f.sign() > 0) {
                all.add(f.timeMs());
            } else {
                all.remove(Long.valueOf(f.timeMs()));
            }
        }
        times.update(all);
        evaluateAt(time, all, ctx, out);
    }

    @Override
    void lookAgain(long time, Context ctx, Collector<Alert> out) throws Exception {
        List<Long> all = new ArrayList<>();
        times.get().forEach(all::add);
        evaluateAt(time, all, ctx, out);
    }

    private void evaluateAt(long now, List<Long> all, Context ctx, Collector<Alert> out) throws Exception {
        String[] unitAndCategory = ctx.getCurrentKey().split("\\|", 2);
        JsonNode s = rules.settings("concentrated_returns", unitAndCategory[0]);
        long window = (long) (AlertRules.number(s, "window_hours") * HOUR);
        all.removeIf(t -> t <= now - window - HOUR * 24 * 30); // forget what is long past
        long count = all.stream().filter(t -> t > now - window && t <= now).count();
        Alert.Subject about =
                Alert.Subject.returns(ctx.getCurrentKey(), unitAndCategory[0], unitAndCategory[1], now - window, now);
        emit(evaluate("concentrated_returns", AlertRules.higher(s), count, now, about), out);
        all.stream()
                .filter(t -> t > now - window)
                .min(Long::compare)
                .ifPresent(oldest -> ctx.timerService().registerEventTimeTimer(oldest + window + 1));
    }
}
