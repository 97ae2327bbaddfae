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
        try {
            statement.setString(next++, s == null ? "" : s);
        } catch (SQLException e) {
            throw new BindFailure(e);
        }
        return this;
    }

    @Override
    public RowOut number(long n) {
        try {
            statement.setLong(next++, n);
        } catch (SQLException e) {
            throw new BindFailure(e);
        }
        return this;
    }

    @Override
    public RowOut number(double d) {
        try {
            statement.setDouble(next++, d);
        } catch (SQLException e) {
            throw new BindFailure(e);
        }
        return this;
    }

    @Override
    public RowOut time(Long epochMs) {
        return epochMs == null ? missing() : number(Math.max(0L, Math.floorDiv(epochMs, 1000L)));
    }

    @Override
    public RowOut date(LocalDate day) {
        return string(day.toString());
    }

    @Override
    public RowOut strings(String[] values) {
        try {
            statement.setObject(next++, values == null ? new String[0] : values);
        } catch (SQLException e) {
            throw new BindFailure(e);
        }
        return this;
    }

    @Override
    public RowOut missing() {
        try {
            statement.setNull(next++, Types.NULL);
        } catch (SQLException e) {
            throw new BindFailure(e);
        }
        return this;
    }
}
