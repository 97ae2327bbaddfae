package org.hotline.jobs.io;

import java.util.Collections;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The JDBC writer ({@code clickhouse.writer: jdbc}): Flink's JDBC sink with ClickHouse's JDBC driver, for
 * deployments that standardise on JDBC. The same rows as the native writer ({@link ClickHouseSink}), the
 * same batching (rows, interval, and before every checkpoint) and retries; the driver sends each batch as
 * one INSERT, the values as SQL text, which makes it the slower of the two (docs/operations.md, "The two writers").
 */
public final class ClickHouseJdbcSink {

    private ClickHouseJdbcSink() {}

    /** The JDBC address of the server that {@code httpUrl} (http://host:port) names. */
    public static String jdbcUrl(String httpUrl) {
        return "jdbc:clickhouse:" + httpUrl;
    }

    public static <T> Sink<T> create(
            String httpUrl,
            String user,
            String password,
            String table,
            List<String> columns,
            ClickHouseSink.Row<T> row,
            int batchSize,
            long flushIntervalMs,
            int maxRetries) {
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        JdbcStatementBuilder<T> bind = (statement, element) -> {
            try {
                row.write(element, new JdbcRow(statement));
            } catch (JdbcRow.BindFailure e) {
                throw e.getCause();
            }
        };
        return JdbcSink.<T>builder()
                .withQueryStatement(insert, bind)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(batchSize)
                        .withBatchIntervalMs(flushIntervalMs)
                        .withMaxRetries(maxRetries)
                        .build())
                .buildAtLeastOnce(new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(jdbcUrl(httpUrl))
                        .withDriverName("com.clickhouse.jdbc.ClickHouseDriver")
                        .withUsername(user)
                        .withPassword(password == null ? "" : password)
                        .build());
    }
}
