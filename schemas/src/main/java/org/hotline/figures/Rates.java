package org.hotline.figures;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Percentages as the bulletin publishes them: two decimals, rounded half-up; 0 when there is nothing to divide. */
public final class Rates {
    private Rates() {}

    public static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public static BigDecimal pct(long numerator, long denominator) {
        if (denominator == 0) {
            return BigDecimal.ZERO.setScale(2);
        }
        return BigDecimal.valueOf(numerator)
                .multiply(HUNDRED)
                .divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP);
    }

    public static boolean matches(long numerator, long denominator, BigDecimal pct) {
        return pct(numerator, denominator).compareTo(pct) == 0;
    }

    /**
     * The fewest events {@code n <= max}, and {@code k} of them, such that {@code k / n} is published as
     * {@code pct}. {0, 0} for 0 % (no callbacks counts as 0 %). Fails when no such pair exists.
     */
    public static long[] fraction(BigDecimal pct, long max) {
        if (pct.signum() == 0) {
            return new long[] {0, 0};
        }
        for (long n = 1; n <= max; n++) {
            long[] k = numerators(pct, n);
            if (k.length > 0) {
                return new long[] {k[0], n};
            }
        }
        throw new IllegalArgumentException(pct + " % cannot be made of at most " + max + " events");
    }

    /** Every {@code k} of 0 to {@code n} such that {@code k / n} is published as {@code pct}, smallest first. */
    public static long[] numerators(BigDecimal pct, long n) {
        long k = pct.multiply(BigDecimal.valueOf(n))
                .divide(HUNDRED, 0, RoundingMode.HALF_UP)
                .longValue();
        return java.util.stream.LongStream.rangeClosed(Math.max(0, k - 1), Math.min(n, k + 1))
                .filter(c -> matches(c, n, pct))
                .toArray();
    }

    /** The smallest denominator that makes {@code numerator / denominator} published as {@code pct}. */
    public static long denominator(long numerator, BigDecimal pct) {
        if (pct.signum() == 0) { // 0 % is published for nothing at all (0 of 0)
            if (numerator == 0) {
                return 0;
            }
            throw new IllegalArgumentException(numerator + " events cannot be published as 0 %");
        }
        long guess = BigDecimal.valueOf(numerator)
                .multiply(HUNDRED)
                .divide(pct, 0, RoundingMode.HALF_UP)
                .longValue();
        for (long d = Math.max(numerator, guess - 50); d <= guess + 50; d++) {
            if (d > 0 && matches(numerator, d, pct)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no whole number of events gives " + numerator + " at " + pct + " %");
    }
}
