package org.hotline.jobs.calls;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.Reason;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.DeduplicateSteps;
import org.hotline.jobs.Exchanges;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.JobSettings;
import org.hotline.jobs.Keys;
import org.hotline.jobs.MinuteSlices;
import org.hotline.jobs.Rolling;
import org.hotline.jobs.Rollup;
import org.hotline.jobs.Sinks;
import org.hotline.jobs.Sourced;

/**
 * The calls' part of the job: each step once, the raw events, the counts per minute, line and caller region, the
 * history per quarter hour and the rolling figures for the wallboard.
 */
public final class CallFlow {
    private CallFlow() {}

    private static final OutputTag<Sourced<CallEvent>> LATE_CALLS = new OutputTag<>("late-calls", HotlineJob.CALLS) {};

    /** What the rest of the job reads: the minute rows (the call alerts) and what was not counted. */
    public record Streams(DataStream<CallMinute> minutes, DataStream<DeadLetter> deadLetters) {}

    /** Adds the calls' operators after {@code validCalls} (parsed, not yet deduplicated). */
    public static Streams add(DataStream<Sourced<CallEvent>> validCalls, Sinks sinks, JobSettings settings) {
        // Each step of a call counts once: a repeated step is a duplicate, kept aside (a ticket's life does the same
        // for its steps).
        SingleOutputStreamOperator<Sourced<CallEvent>> uniqueCalls = validCalls
                .keyBy(s -> s.event().callId())
                .process(
                        new DeduplicateSteps<CallEvent, CallEventType>(
                                        CallEvent::type,
                                        HotlineJob.CANONICAL::write,
                                        CallEvent::eventTimeMs,
                                        HotlineJob.DEAD_LETTERS,
                                        settings.dedupRetention())
                                .lateAfter(settings.allowedLateness()),
                        HotlineJob.CALLS)
                .name("unique call steps")
                .uid("calls-dedup");
        // Raw validated events, for analysts' drill-down.
        uniqueCalls.sinkTo(sinks.callEvents()).name("call events sink").uid("call-events-sink");

        // Per minute, line and caller region: counts, updated every few seconds while the minute is in progress
        // and again for late events within the allowed lateness.
        SingleOutputStreamOperator<CallMinute> minutes = Exchanges.byKey(
                        uniqueCalls,
                        (Sourced<CallEvent> s) ->
                                MinuteSlices.minuteOf(s.event().eventTimeMs()))
                .process(
                        new MinuteSlices<>(
                                new CallCounts(),
                                s -> Keys.join(s.event().line(), s.event().callerRegion()),
                                CallCounts::toMinute,
                                TypeInformation.of(CallCounts.Acc.class),
                                LATE_CALLS,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(CallMinute.class))
                .name("calls per minute")
                .uid("call-minute-slices");
        if (sinks.callMinutes() != null) {
            minutes.sinkTo(sinks.callMinutes()).name("call minutes sink").uid("call-minutes-sink");
        }
        // History for analysts: per quarter hour, line and caller region.
        Exchanges.byKey(
                        minutes.map(m -> new Rollup.In(
                                        Rollup.Span.QUARTER_HOUR.start(m.minuteStartMs(), HotlineJob.CITY_ZONE),
                                        Keys.join(m.line(), m.callerRegion()),
                                        m.minuteStartMs(),
                                        values(m)))
                                .returns(Rollup.In.class)
                                .name("call quarter hours")
                                .uid("call-quarter-in"),
                        Rollup.In::key)
                .process(
                        new Rollup(
                                Rollup.Span.QUARTER_HOUR,
                                MAXIMA,
                                HotlineJob.CITY_ZONE,
                                settings.earlyUpdates(),
                                settings.allowedLateness()),
                        TypeInformation.of(Rollup.Out.class))
                .name("calls per quarter hour")
                .uid("call-quarter-rollup")
                .sinkTo(sinks.callQuarters())
                .name("call quarter hours sink")
                .uid("call-quarters-sink");
        // Rolling call figures city-wide and per line (last 15 minutes, hour, today, month, all time) for the
        // wallboard.
        Exchanges.byKey(
                        minutes.flatMap(CallFlow::scopes)
                                .returns(Rolling.In.class)
                                .name("call scopes")
                                .uid("call-rolling-scopes"),
                        Rolling.In::scope)
                .process(
                        new Rolling(MAXIMA, HotlineJob.CITY_ZONE, settings.earlyUpdates(), settings.allowedLateness()),
                        TypeInformation.of(Rolling.Row.class))
                .name("rolling call figures")
                .uid("call-rolling")
                .sinkTo(sinks.callRolling())
                .name("call rolling sink")
                .uid("call-rolling-sink");

        // Not counted: repeated steps, and steps later than the allowed lateness for their minute.
        String lateMessage = "later than the allowed lateness of " + settings.allowedLateness() + " for its minute";
        DataStream<DeadLetter> tooLate = minutes.getSideOutput(LATE_CALLS)
                .map(s -> DeadLetter.rejected(
                        s, HotlineJob.CANONICAL.write(s.event()), s.event().eventTimeMs(), Reason.LATE, lateMessage))
                .returns(DeadLetter.class)
                .name("late calls")
                .uid("calls-late");
        return new Streams(
                minutes, uniqueCalls.getSideOutput(HotlineJob.DEAD_LETTERS).union(tooLate));
    }

    /** The call values as {@link Rolling} keeps them, in {@link #values} order; the waits' maxima combine by the greatest. */
    static final boolean[] MAXIMA = {false, false, false, false, true, false, true, false};

    /** The columns of {@link #values}, in its order: what the call tables store after their key. */
    public static final List<String> VALUE_COLUMNS = List.of(
            "offered",
            "answered",
            "abandoned",
            "answered_wait_sum",
            "answered_wait_max",
            "abandoned_wait_sum",
            "abandoned_wait_max",
            "talk_seconds_sum");

    /** offered, answered, abandoned, answered wait sum and max, abandoned wait sum and max, talk seconds. */
    static long[] values(CallMinute m) {
        return new long[] {
            m.offered(),
            m.answered(),
            m.abandoned(),
            m.answeredWaitSum(),
            m.answeredWaitMax(),
            m.abandonedWaitSum(),
            m.abandonedWaitMax(),
            m.talkSecondsSum()
        };
    }

    /** A minute row of one line and region counts city-wide and for its line. */
    static void scopes(CallMinute m, Collector<Rolling.In> out) {
        String slot = Rolling.slot(m.minuteStartMs(), Keys.join(m.line(), m.callerRegion()));
        out.collect(new Rolling.In("all", "", slot, m.minuteStartMs(), values(m)));
        out.collect(new Rolling.In("line", m.line(), slot, m.minuteStartMs(), values(m)));
    }
}
