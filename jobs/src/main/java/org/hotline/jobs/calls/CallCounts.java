package org.hotline.jobs.calls;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.hotline.events.CallEvent;
import org.hotline.jobs.Sourced;

/**
 * Running counts of one line/region/minute window. Each call step adds to exactly one counter:
 * offered, answered (with its wait), abandoned (with its wait) or ended (with its talk time).
 */
public final class CallCounts implements AggregateFunction<Sourced<CallEvent>, CallCounts.Acc, CallCounts.Acc> {

    /** The accumulator: a plain Flink POJO. */
    public static final class Acc {
        public String line;
        public String callerRegion;
        public long offered;
        public long answered;
        public long abandoned;
        public long answeredWaitSum;
        public int answeredWaitMax;
        public long abandonedWaitSum;
        public int abandonedWaitMax;
        public long talkSecondsSum;
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    @Override
    public Acc add(Sourced<CallEvent> s, Acc acc) {
        CallEvent e = s.event();
        acc.line = e.line();
        acc.callerRegion = e.callerRegion();
        switch (e.type()) {
            case OFFERED -> acc.offered++;
            case ANSWERED -> {
                acc.answered++;
                acc.answeredWaitSum += e.waitSeconds();
                acc.answeredWaitMax = Math.max(acc.answeredWaitMax, e.waitSeconds());
            }
            case ABANDONED -> {
                acc.abandoned++;
                acc.abandonedWaitSum += e.waitSeconds();
                acc.abandonedWaitMax = Math.max(acc.abandonedWaitMax, e.waitSeconds());
            }
            case ENDED -> acc.talkSecondsSum += e.talkSeconds();
        }
        return acc;
    }

    @Override
    public Acc getResult(Acc acc) {
        return acc;
    }

    @Override
    public Acc merge(Acc a, Acc b) {
        a.line = a.line != null ? a.line : b.line;
        a.callerRegion = a.callerRegion != null ? a.callerRegion : b.callerRegion;
        a.offered += b.offered;
        a.answered += b.answered;
        a.abandoned += b.abandoned;
        a.answeredWaitSum += b.answeredWaitSum;
        a.answeredWaitMax = Math.max(a.answeredWaitMax, b.answeredWaitMax);
        a.abandonedWaitSum += b.abandonedWaitSum;
        a.abandonedWaitMax = Math.max(a.abandonedWaitMax, b.abandonedWaitMax);
        a.talkSecondsSum += b.talkSecondsSum;
        return a;
    }

    public static CallMinute toMinute(long windowStartMs, Acc a, long version) {
        return new CallMinute(
                windowStartMs,
                a.line,
                a.callerRegion,
                a.offered,
                a.answered,
                a.abandoned,
                a.answeredWaitSum,
                a.answeredWaitMax,
                a.abandonedWaitSum,
                a.abandonedWaitMax,
                a.talkSecondsSum,
                version);
    }
}
