package org.hotline.jobs;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * How a stream reaches an operator keyed otherwise than the one before it. With one subtask per operator (the default:
 * one machine), every key is in that one subtask already, so the stream is taken as keyed where it is: the operator is
 * chained to the one before, and each record is handed on as it is, where an exchange would serialize it, copy it
 * through a network buffer and read it back on another thread. With more subtasks it is an exchange by key, as
 * {@code keyBy}. State is kept per key group either way, so a checkpoint of one restores into the other.
 */
public final class Exchanges {
    private Exchanges() {}

    /** {@code stream} keyed by {@code key}: in place at parallelism 1, by an exchange otherwise. */
    public static <T, K> KeyedStream<T, K> byKey(DataStream<T> stream, KeySelector<T, K> key) {
        if (stream.getParallelism() == 1 && stream.getExecutionEnvironment().getParallelism() == 1) {
            return DataStreamUtils.reinterpretAsKeyedStream(stream, key);
        }
        return stream.keyBy(key);
    }
}
