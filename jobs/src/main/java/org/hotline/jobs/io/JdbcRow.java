package org.hotline.jobs.io;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;

/**
 * One row as the parameters of a JDBC insert, bound in the order of the sink's columns. Times are bound
 * as epoch seconds and dates as text, which ClickHouse 18.16 and current releases both take through the
 * driver (a {@code Timestamp} would need a function the old server lacks).
 */
final class JdbcRow implements RowOut {

    /** A failed bind, carried out of the fluent calls and rethrown as the {@link SQLException} it is. */
    static final class BindFailure extends RuntimeException {
        BindFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private final PreparedStatement statement;
    private int next = 1;

    JdbcRow(PreparedStatement statement) {
        this.statement = statement;
    }

    @Override
    public RowOut string(String s) {
        return bind(i -> statement.setString(i, s == null ? "" : s));
    }

    @Override
    public RowOut number(long n) {
        return bind(i -> statement.setLong(i, n));
    }

    @Override
    public RowOut number(double d) {
        return bind(i -> statement.setDouble(i, d));
    }

    @Override
    public RowOut time(Long epochMs) {
        return epochMs == null ? missing() : number(RowOut.epochSeconds(epochMs));
    }

    @Override
    public RowOut date(LocalDate day) {
        return string(day.toString());
    }

    @Override
    public RowOut strings(String[] values) {
        return bind(i -> statement.setObject(i, values == null ? new String[0] : values));
    }

    @Override
    public RowOut times(long[] epochMs) {
        Long[] seconds = new Long[epochMs.length];
        for (int i = 0; i < epochMs.length; i++) {
            seconds[i] = RowOut.epochSeconds(epochMs[i]);
        }
        return bind(i -> statement.setObject(i, seconds));
    }

    @Override
    public RowOut missing() {
        return bind(i -> statement.setNull(i, Types.NULL));
    }

    /** Sets the next parameter. */
    @FunctionalInterface
    private interface Setter {
        void set(int index) throws SQLException;
    }

    private RowOut bind(Setter setter) {
        try {
            setter.set(next++);
        } catch (SQLException e) {
            throw new BindFailure(e);
        }
        return this;
    }
}
