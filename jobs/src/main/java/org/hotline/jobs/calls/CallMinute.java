package org.hotline.jobs.calls;

/**
 * Calls in one minute on one line from one caller region, as counts. {@code version} grows each
 * time the minute is re-emitted with late events, so the store keeps the fullest row.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(org.hotline.jobs.serial.RowSerializers.CallMinutes.Factory.class)
public record CallMinute(
        long minuteStartMs,
        String line,
        String callerRegion,
        long offered,
        long answered,
        long abandoned,
        long answeredWaitSum,
        int answeredWaitMax,
        long abandonedWaitSum,
        int abandonedWaitMax,
        long talkSecondsSum,
        long version) {}
