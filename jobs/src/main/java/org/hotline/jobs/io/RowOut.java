package org.hotline.jobs.io;

import java.time.LocalDate;

/**
 * The fields of one ClickHouse row, given in the order of its sink's columns. The sinks say once what a
 * row holds; each writer encodes it its own way: {@link TsvRow} as TabSeparated text for the native
 * writer, {@link JdbcRow} as the bound parameters of a JDBC insert.
 */
public interface RowOut {

    RowOut string(String s);

    RowOut number(long n);

    RowOut number(double d);

    /** A DateTime from epoch milliseconds, written as whole seconds ({@link #epochSeconds}); a missing one is NULL. */
    RowOut time(Long epochMs);

    /**
     * The whole seconds a DateTime column holds for {@code epochMs}: times before 1970 do not fit one and are written as
     * its first second, by every writer alike.
     */
    static long epochSeconds(long epochMs) {
        return Math.max(0L, Math.floorDiv(epochMs, 1000L));
    }

    RowOut date(LocalDate day);

    /** An Array(String). */
    RowOut strings(String[] values);

    /** An Array(DateTime) from epoch milliseconds, each written as whole seconds ({@link #epochSeconds}). */
    RowOut times(long[] epochMs);

    /** NULL, for a Nullable column. */
    RowOut missing();

    default RowOut nullableNumber(Number n) {
        if (n == null) {
            return missing();
        }
        return n instanceof Double || n instanceof Float ? number(n.doubleValue()) : number(n.longValue());
    }

    /** A flag as UInt8: 1 or 0; a missing one is NULL. */
    default RowOut flag(Boolean b) {
        return b == null ? missing() : number(b ? 1 : 0);
    }
}
