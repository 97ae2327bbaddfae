package org.hotline.jobs.tickets;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Sums the facts of one slice and minute (signed, grouped as emitted) into a count per {@link FactKind}. */
public final class FactCounts implements AggregateFunction<SliceFacts, FactCounts.Acc, FactCounts.Acc> {

    public static final class Acc {
        public String dimension;
        public String value;
        public long[] counts = new long[FactKind.values().length];
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    @Override
    public Acc add(SliceFacts f, Acc acc) {
        acc.dimension = f.dimension();
        acc.value = f.value();
        for (int i = 0; i < acc.counts.length; i++) {
            acc.counts[i] += f.counts()[i];
        }
        return acc;
    }

    @Override
    public Acc getResult(Acc acc) {
        return acc;
    }

    @Override
    public Acc merge(Acc a, Acc b) {
        for (int i = 0; i < a.counts.length; i++) {
            a.counts[i] += b.counts[i];
        }
        a.dimension = a.dimension != null ? a.dimension : b.dimension;
        a.value = a.value != null ? a.value : b.value;
        return a;
    }

    /** The row of one slice and minute. */
    public static TicketMinute row(long minuteStartMs, Acc a, long version) {
        return new TicketMinute(minuteStartMs, a.dimension, a.value, a.counts.clone(), version);
    }
}
