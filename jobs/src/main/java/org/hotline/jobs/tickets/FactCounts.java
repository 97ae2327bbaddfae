package org.hotline.jobs.tickets;

import org.hotline.jobs.Keys;
import org.hotline.jobs.MinuteSlices;

/** Sums the signed facts of one slice and minute into a count per {@link FactKind}; they come in groups. */
public final class FactCounts implements MinuteSlices.Counting<FactGroup, FactCounts.Acc> {

    public static final class Acc {
        public String dimension;
        public String value;
        public long[] counts = new long[FactKind.values().length];
    }

    @Override
    public int slices(FactGroup g) {
        return g.size();
    }

    @Override
    public String slice(FactGroup g, int i) {
        return Keys.join(g.dimensions()[i], g.values()[i]);
    }

    @Override
    public Acc add(FactGroup g, int i, Acc acc) {
        Acc a = acc == null ? new Acc() : acc;
        a.dimension = g.dimensions()[i];
        a.value = g.values()[i];
        a.counts[g.kind().ordinal()] += g.sign();
        return a;
    }

    /** The row of one slice and minute. */
    public static TicketMinute row(long minuteStartMs, Acc a, long version) {
        return new TicketMinute(minuteStartMs, a.dimension, a.value, a.counts.clone(), version);
    }
}
