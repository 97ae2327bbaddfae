package org.hotline.jobs.tickets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.hotline.jobs.Keys;
import org.hotline.jobs.MinuteSlices;

/**
 * Sums a lifecycle subtask's facts per minute and slice before they cross the network to the per-minute counting: a
 * record per minute ({@link MinuteFacts}) instead of one per fact, where a ticket's step makes seven to a dozen facts
 * and each crossing costs an encoding, a decoding and a keyed lookup.
 * <p>
 * Nothing is held across a checkpoint or past the watermark, so the counts downstream are the same as if every fact
 * had gone on alone: a minute's sums go on when the watermark passes the minute's end, before the watermark itself (so
 * they arrive on time downstream, and a late step's corrections arrive before the watermark that would make them too
 * late); everything held goes on before a checkpoint barrier, at the end of the input, and every {@code flushMs} of
 * wall-clock time (the wallboard's minute in progress; 0: only at watermarks and checkpoints).
 */
public final class CombineFacts extends AbstractStreamOperator<MinuteFacts>
        implements OneInputStreamOperator<Fact, MinuteFacts>, BoundedOneInput, ProcessingTimeCallback {

    private static final FactCounts COUNTS = new FactCounts();

    private final long flushMs;
    /** By minute, then by slice: the sums not sent yet. */
    private transient TreeMap<Long, Map<String, FactCounts.Acc>> held;

    private transient boolean flushPending;

    public CombineFacts(java.time.Duration flush) {
        this.flushMs = flush.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        held = new TreeMap<>();
    }

    @Override
    public void processElement(StreamRecord<Fact> record) throws Exception {
        Fact f = record.getValue();
        COUNTS.add(
                f,
                held.computeIfAbsent(MinuteSlices.minuteOf(f.timeMs()), m -> new HashMap<>())
                        .computeIfAbsent(Keys.join(f.dimension(), f.value()), s -> COUNTS.createAccumulator()));
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
    private void send(Map<Long, Map<String, FactCounts.Acc>> minutes) {
        List<Map.Entry<Long, Map<String, FactCounts.Acc>>> out = new ArrayList<>(minutes.entrySet());
        minutes.clear();
        for (Map.Entry<Long, Map<String, FactCounts.Acc>> m : out) {
            output.collect(new StreamRecord<>(
                    new MinuteFacts(m.getKey(), m.getValue().values().toArray(FactCounts.Acc[]::new)), m.getKey()));
        }
    }
}
