package org.hotline.jobs.tickets;

/**
 * Facts of one kind, time and sign, in the slices they count in ({@code dimensions[i]}, {@code values[i]}): a step's
 * city-wide fact in each of its slices is one record on its way to the counts instead of one per slice
 * ({@link FactGroups}).
 */
public record FactGroup(FactKind kind, long timeMs, int sign, String[] dimensions, String[] values) {

    public int size() {
        return dimensions.length;
    }

    /** The {@code i}th fact of the group. */
    public Fact fact(int i) {
        return new Fact(kind, dimensions[i], values[i], timeMs, sign);
    }
}
