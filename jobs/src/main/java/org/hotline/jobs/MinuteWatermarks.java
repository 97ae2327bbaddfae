package org.hotline.jobs;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that are also emitted at once when they pass a minute
 * boundary, instead of only on the periodic tick. Minutes close as soon as their events are in
 * (lower latency), and within one partition whether an event is late depends only on the order
 * of the events, not on timing.
 */
public final class MinuteWatermarks<T> implements WatermarkGenerator<T> {

    private static final long MINUTE = 60_000L;
    private final long outOfOrdernessMs;
    private long maxTimestamp;
    private long lastEmitted = Long.MIN_VALUE;

    public MinuteWatermarks(Duration outOfOrderness) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    private long current() {
        return maxTimestamp - outOfOrdernessMs - 1;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        if (timestamp == Long.MIN_VALUE) {
            return; // a record without event time (a parse failure) moves nothing
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        long wm = current();
        if (lastEmitted == Long.MIN_VALUE || Math.floorDiv(wm, MINUTE) > Math.floorDiv(lastEmitted, MINUTE)) {
            emit(wm, output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        emit(current(), output);
    }

    private void emit(long wm, WatermarkOutput output) {
        if (wm > lastEmitted) {
            lastEmitted = wm;
            output.emitWatermark(new Watermark(wm));
        }
    }
}
