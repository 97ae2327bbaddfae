package org.hotline.jobs;

import org.apache.flink.api.common.state.MapState;

/** Counts kept in a keyed map state: an entry per key with a count other than zero. */
public final class StateCounts {
    private StateCounts() {}

    /** Adds {@code delta} to the count of {@code key}; an entry that comes to zero is removed. Returns the count. */
    public static <K> int add(MapState<K, Integer> counts, K key, int delta) throws Exception {
        Integer n = counts.get(key);
        int now = (n == null ? 0 : n) + delta;
        if (now == 0) {
            counts.remove(key);
        } else {
            counts.put(key, now);
        }
        return now;
    }
}
