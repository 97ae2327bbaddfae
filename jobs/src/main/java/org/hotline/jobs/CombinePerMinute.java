package org.hotline.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Sums a subtask's elements per minute and slice before they cross the network to {@link MinuteSlices}: a record per
 * minute instead of one per element (a ticket's step makes seven to a dozen facts, a call three or four steps), where
 * each crossing costs an encoding, a decoding and a keyed lookup. Downstream, {@link MinuteSlices#summed} merges each
 * sum into its slice.
 * <p>
 * Nothing is held across a checkpoint or past the watermark, so the counts downstream are the same as if every element
 * had gone on alone: a minute's sums go on when the watermark passes the minute's end, before the watermark itself (so
 * they arrive on time downstream, and a late element's corrections arrive before the watermark that would make them
 * too late); everything held goes on before a checkpoint barrier, at the end of the input, and every {@code flush} of
 * wall-clock time (the wallboard's minute in progress; 0: only at watermarks and checkpoints). It keeps no state.
 */
public final class CombinePerMinute<IN, ACC, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, BoundedOneInput, ProcessingTimeCallback {

    /** Makes the record of one minute's sums. */
    @FunctionalInterface
    public interface Sums<ACC, OUT> extends java.io.Serializable {
        OUT of(long minuteStartMs, List<ACC> sums);
    }

    private final AggregateFunction<IN, ACC, ACC> counts;
    private final SerializableFunction<IN, Long> time;
    private final SerializableFunction<IN, String> slice;
    private final Sums<ACC, OUT> sums;
    private final long flushMs;
    /** By minute, then by slice: the sums not sent yet. */
    private transient TreeMap<Long, Map<String, ACC>> held;

    private transient boolean flushPending;

    public CombinePerMinute(
            AggregateFunction<IN, ACC, ACC> counts,
            SerializableFunction<IN, Long> time,
            SerializableFunction<IN, String> slice,
            Sums<ACC, OUT> sums,
            java.time.Duration flush) {
        this.counts = counts;
        this.time = time;
        this.slice = slice;
        this.sums = sums;
        this.flushMs = flush.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        held = new TreeMap<>();
    }

    @Override
    public void processElement(StreamRecord<IN> record) throws Exception {
        IN element = record.getValue();
        counts.add(
                element,
                held.computeIfAbsent(MinuteSlices.minuteOf(time.apply(element)), m -> new HashMap<>())
                        .computeIfAbsent(slice.apply(element), s -> counts.createAccumulator()));
        if (flushMs > 0 && !flushPending) {
            flushPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + flushMs, this);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // the minutes whose last millisecond the watermark has reached (minute + MINUTE - 1 <= watermark), before it
        long watermark = mark.getTimestamp();
        if (watermark > Long.MIN_VALUE + MinuteSlices.MINUTE) {
            send(held.headMap(watermark - MinuteSlices.MINUTE + 1, true));
        }
        super.processWatermark(mark);
    }

    @Override
    public void onProcessingTime(long time) {
        flushPending = false;
        send(held);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        send(held);
    }

    @Override
    public void endInput() {
        send(held);
    }

    @Override
    public void finish() throws Exception {
        send(held);
        super.finish();
    }

    /** Sends the minutes of {@code minutes} (a view of {@link #held}) and forgets them. */
    private void send(Map<Long, Map<String, ACC>> minutes) {
        List<Map.Entry<Long, Map<String, ACC>>> out = new ArrayList<>(minutes.entrySet());
        minutes.clear();
        for (Map.Entry<Long, Map<String, ACC>> m : out) {
            output.collect(new StreamRecord<>(
                    sums.of(m.getKey(), new ArrayList<>(m.getValue().values())), m.getKey()));
        }
    }
}
