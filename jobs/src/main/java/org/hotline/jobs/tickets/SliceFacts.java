package org.hotline.jobs.tickets;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.util.Collector;
import org.hotline.jobs.serial.SliceFactsSerializer;

/**
 * The facts a ticket's life emits at once for one slice and one time, summed by kind ({@code counts}, indexed by
 * {@link FactKind#ordinal()}; negative where facts are retracted): what the counts add, in one record instead of one
 * per fact. A completion, for instance, gives its unit and each of its city-wide slices three or four facts at the same
 * moment; the counting reads them in one go.
 */
@TypeInfo(SliceFactsSerializer.Factory.class)
public record SliceFacts(String dimension, String value, long timeMs, long[] counts) {

    /**
     * {@code facts} grouped by slice and time, in the order each group first appears; a group whose facts cancel out
     * (a fact and its retraction) is left out.
     */
    public static List<SliceFacts> group(List<Fact> facts) {
        List<SliceFacts> groups = new ArrayList<>();
        for (Fact f : facts) {
            SliceFacts into = null;
            for (int i = groups.size() - 1; i >= 0 && into == null; i--) {
                SliceFacts g = groups.get(i);
                if (g.timeMs == f.timeMs() && g.dimension.equals(f.dimension()) && Objects.equals(g.value, f.value())) {
                    into = g;
                }
            }
            if (into == null) {
                into = new SliceFacts(f.dimension(), f.value(), f.timeMs(), new long[KINDS.length]);
                groups.add(into);
            }
            into.counts[f.kind().ordinal()] += f.sign();
        }
        groups.removeIf(SliceFacts::cancelsOut);
        return groups;
    }

    private boolean cancelsOut() {
        for (long c : counts) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    /** The facts one by one: as many of each kind as it counts, negative ones retracted. */
    public void expand(Collector<Fact> out) {
        expand(EnumSet.allOf(FactKind.class), out);
    }

    void expand(EnumSet<FactKind> kinds, Collector<Fact> out) {
        for (int k = 0; k < counts.length; k++) {
            long n = counts[k];
            if (n != 0 && kinds.contains(KINDS[k])) {
                for (long i = 0; i < Math.abs(n); i++) {
                    out.collect(new Fact(KINDS[k], dimension, value, timeMs, n > 0 ? 1 : -1));
                }
            }
        }
    }

    public long count(FactKind kind) {
        return counts[kind.ordinal()];
    }

    private static final FactKind[] KINDS = FactKind.values();

    /**
     * The facts one by one, of the kinds given per dimension (the slices of other dimensions pass nothing), for what
     * reads facts singly: the alert rules.
     */
    public static final class Expand implements FlatMapFunction<SliceFacts, Fact> {
        private final Map<String, EnumSet<FactKind>> kinds;

        public Expand(Map<String, Set<FactKind>> kinds) {
            this.kinds = new HashMap<>();
            kinds.forEach((dimension, k) -> this.kinds.put(dimension, EnumSet.copyOf(k)));
        }

        @Override
        public void flatMap(SliceFacts g, Collector<Fact> out) {
            EnumSet<FactKind> wanted = kinds.get(g.dimension());
            if (wanted != null) {
                g.expand(wanted, out);
            }
        }
    }
}
