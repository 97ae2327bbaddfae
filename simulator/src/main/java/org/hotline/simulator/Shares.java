package org.hotline.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Whole numbers split exactly: the simulator's totals are the profile's, never off by a rounding. */
final class Shares {

    private Shares() {}

    /** {@code total} split into {@code parts} nearly equal whole numbers. */
    static Map<Integer, Long> spread(long total, int parts) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i = 0; i < parts; i++) {
            out.put(i, total / parts + (i < total % parts ? 1 : 0));
        }
        return out;
    }

    /** {@code total} split in proportion to {@code weights}, exactly (largest remainders). */
    static List<Long> proportional(long total, List<Long> weights) {
        long sum = weights.stream().mapToLong(Long::longValue).sum();
        List<Long> out = new ArrayList<>();
        List<double[]> remainders = new ArrayList<>();
        long given = 0;
        for (int i = 0; i < weights.size(); i++) {
            double exact = sum == 0 ? 0 : (double) total * weights.get(i) / sum;
            out.add((long) Math.floor(exact));
            given += (long) Math.floor(exact);
            remainders.add(new double[] {exact - Math.floor(exact), i});
        }
        remainders.sort((a, b) -> Double.compare(b[0], a[0]));
        for (int i = 0; i < total - given; i++) {
            int idx = (int) remainders.get(i % remainders.size())[1];
            out.set(idx, out.get(idx) + 1);
        }
        return out;
    }
}
