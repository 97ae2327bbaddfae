package org.hotline.jobs.io;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.hotline.sql.ClickHouseSql;

/**
 * A sink into one ClickHouse table: rows are encoded as TabSeparated text as they come and sent as
 * one INSERT per batch (when {@code batchSize} rows are waiting, every {@code flushIntervalMs}, and
 * before every checkpoint), so a checkpoint never completes with rows unwritten. A failed insert is
 * retried with a growing pause, then fails the task: Flink restarts from the last checkpoint and the
 * rows are sent again, which the tables absorb, since every table is keyed deterministically
 * (ReplacingMergeTree), so a retried batch or a replay never double-counts.
 * <p>
 * The default writer ({@code clickhouse.writer: native}); {@link ClickHouseJdbcSink} writes the same rows
 * through flink-connector-jdbc and ClickHouse's JDBC driver, which formats each bound value as SQL text for
 * the server to parse back: about 1.2 times slower here ({@code ./hotline bench --only writers}).
 */
public final class ClickHouseSink<T> implements Sink<T> {

    /** Writes one element as one row, its fields in the order of the sink's columns. */
    @FunctionalInterface
    public interface Row<T> extends Serializable {
        void write(T element, RowOut row);
    }

    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final List<String> columns;
    private final Row<T> row;
    private final int batchSize;
    private final long flushIntervalMs;
    private final int maxRetries;

    public ClickHouseSink(
            String url,
            String user,
            String password,
            String table,
            List<String> columns,
            Row<T> row,
            int batchSize,
            long flushIntervalMs,
            int maxRetries) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.row = row;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.maxRetries = maxRetries;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer(
                context.getProcessingTimeService(), context.metricGroup().addGroup("clickhouse", table));
    }

    private final class Writer implements SinkWriter<T> {
        private final ClickHouseSql clickhouse = new ClickHouseSql(url, user, password);
        private final TsvRow rows = new TsvRow();
        private final ProcessingTimeService time;
        // What the sink does, for the operators' dashboards (Prometheus:
        // flink_taskmanager_job_task_operator_clickhouse_*)
        private final Counter rowsWritten;
        private final Counter batches;
        private final Counter retries;
        private final Histogram batchRows;
        private final Histogram insertMillis;

        Writer(ProcessingTimeService time, MetricGroup metrics) {
            this.time = time;
            this.rowsWritten = metrics.counter("rowsWritten");
            this.batches = metrics.counter("batches");
            this.retries = metrics.counter("retries");
            this.batchRows = metrics.histogram("batchRows", new DescriptiveStatisticsHistogram(1_000));
            this.insertMillis = metrics.histogram("insertMillis", new DescriptiveStatisticsHistogram(1_000));
            if (flushIntervalMs > 0) {
                schedule();
            }
        }

        private void schedule() {
            // the callback runs in the task's own thread, between elements: no locking needed
            time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMs, now -> {
                send();
                schedule();
            });
        }

        @Override
        public void write(T element, Context context) throws IOException {
            row.write(element, rows);
            rows.end();
            if (rows.rows() >= batchSize) {
                send();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            send();
        }

        private void send() throws IOException {
            if (rows.rows() == 0) {
                return;
            }
            byte[] batch = rows.bytes();
            for (int attempt = 0; ; attempt++) {
                try {
                    long started = System.nanoTime();
                    clickhouse.insertTabSeparated(table, columns, batch);
                    insertMillis.update((System.nanoTime() - started) / 1_000_000);
                    rowsWritten.inc(rows.rows());
                    batchRows.update(rows.rows());
                    batches.inc();
                    rows.clear();
                    return;
                } catch (ClickHouseSql.ClickHouseException e) {
                    retries.inc();
                    if (attempt >= maxRetries) {
                        throw new IOException(
                                rows.rows() + " rows for " + table + " not written after " + (attempt + 1)
                                        + " attempts",
                                e);
                    }
                    try {
                        Thread.sleep(Math.min(10_000L, 500L << attempt));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while writing to " + table, interrupted);
                    }
                }
            }
        }

        @Override
        public void close() {
            clickhouse.close();
        }
    }
}
