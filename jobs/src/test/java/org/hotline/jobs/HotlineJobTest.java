package org.hotline.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventParser;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.io.SourcedDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's topology on a MiniCluster with in-memory sources and sinks, one rule per test. Events
 * are written and parsed as on the wire; {@code t(minutes, seconds)} is event time after 08:00.
 * Parallelism 1 and in-order input make lateness depend on the order of events only.
 */
class HotlineJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
    static final long START =
            ZonedDateTime.of(2023, 9, 1, 8, 0, 0, 0, CITY).toInstant().toEpochMilli();
    static final EventWriter WRITER = new EventWriter(CITY);

    final List<Sourced<CallEvent>> calls = new ArrayList<>();
    final InMemoryJob job = new InMemoryJob();
    CollectingSink<Sourced<CallEvent>> callEvents = job.callEvents;
    CollectingSink<Sourced<TicketEvent>> ticketEvents = job.ticketEvents;
    CollectingSink<CallMinute> minutes = job.callMinutes;
    CollectingSink<DeadLetter> deadLetters = job.deadLetters;

    static long t(int minutes, int seconds) {
        return START + minutes * 60_000L + seconds * 1000L;
    }

    void send(String json) {
        calls.add(SourcedDeserializer.calls(java.time.Duration.ofHours(1))
                .parse("calls", 0, calls.size(), json.getBytes(UTF_8)));
    }

    void offered(String call, long time) {
        send(WRITER.write(
                new CallEvent(call + "-o", 1, CallEventType.OFFERED, time, call, "12345", "雨湖区", null, null, null)));
    }

    void answered(String call, long time, int wait) {
        send(WRITER.write(
                new CallEvent(call + "-a", 1, CallEventType.ANSWERED, time, call, "12345", "雨湖区", "a1", wait, null)));
    }

    void abandoned(String call, long time, int wait) {
        send(WRITER.write(
                new CallEvent(call + "-x", 1, CallEventType.ABANDONED, time, call, "12345", "雨湖区", null, wait, null)));
    }

    void ended(String call, long time, int talk) {
        send(WRITER.write(
                new CallEvent(call + "-e", 1, CallEventType.ENDED, time, call, "12345", "雨湖区", "a1", null, talk)));
    }

    void run() throws Exception {
        TicketEvent ticket = EventParser.parseTicket(
                        ("{\"event_id\":\"t1-1\",\"schema_version\":1,\"event_type\":\"created\","
                                        + "\"event_time\":\"2023-09-01T08:00:00+08:00\",\"ticket_id\":\"t1\",\"channel\":\"phone\","
                                        + "\"request_type\":\"help\",\"category\":\"路灯\",\"region\":\"雨湖区\"}")
                                .getBytes(UTF_8))
                .event();
        job.run(calls, List.of(new Sourced<>("tickets", 0, 0, ticket, null, null)));
    }

    /** A row as written, without its version (the write's place in time, tested in MinuteSlicesHarnessTest). */
    static CallMinute minute(
            int m,
            long offered,
            long answered,
            long abandoned,
            long answeredWait,
            int answeredMax,
            long abandonedWait,
            int abandonedMax,
            long talk) {
        return new CallMinute(
                t(m, 0),
                "12345",
                "雨湖区",
                offered,
                answered,
                abandoned,
                answeredWait,
                answeredMax,
                abandonedWait,
                abandonedMax,
                talk,
                0);
    }

    List<CallMinute> writtenMinutes() {
        return minutes.results().stream()
                .map(m -> new CallMinute(
                        m.minuteStartMs(),
                        m.line(),
                        m.callerRegion(),
                        m.offered(),
                        m.answered(),
                        m.abandoned(),
                        m.answeredWaitSum(),
                        m.answeredWaitMax(),
                        m.abandonedWaitSum(),
                        m.abandonedWaitMax(),
                        m.talkSecondsSum(),
                        0))
                .toList();
    }

    @Test
    void countsEachStepInTheMinuteOfItsOwnEventTime() throws Exception {
        offered("c1", t(0, 10));
        answered("c1", t(0, 40), 30);
        offered("c2", t(0, 50));
        abandoned("c2", t(1, 20), 30);
        ended("c1", t(2, 5), 85);
        run();
        assertThat(writtenMinutes())
                .containsExactlyInAnyOrder(
                        minute(0, 2, 1, 0, 30, 30, 0, 0, 0),
                        minute(1, 0, 0, 1, 0, 0, 30, 30, 0),
                        minute(2, 0, 0, 0, 0, 0, 0, 0, 85));
        assertThat(callEvents.results()).hasSize(5);
        assertThat(deadLetters.results()).isEmpty();
    }

    @Test
    void aRepeatedStepIsKeptAsideAsADuplicateAndCountedOnce() throws Exception {
        offered("c1", t(0, 10));
        offered("c1", t(0, 10));
        // the same step under another event id is still the same step
        send(WRITER.write(
                new CallEvent("other-id", 1, CallEventType.OFFERED, t(0, 12), "c1", "12345", "雨湖区", null, null, null)));
        run();
        assertThat(writtenMinutes()).containsExactly(minute(0, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThat(deadLetters.results())
                .extracting(DeadLetter::reason, DeadLetter::offset)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("duplicate", 1L),
                        org.assertj.core.groups.Tuple.tuple("duplicate", 2L));
        assertThat(deadLetters.results())
                .allSatisfy(d -> assertThat(d.payload()).contains("\"call_id\":\"c1\""));
    }

    @Test
    void aLateEventWithinTheAllowedLatenessUpdatesItsMinuteAndALaterOneIsKeptAside() throws Exception {
        offered("c1", t(0, 10));
        offered(
                "c2",
                t(120, 0)); // the watermark passes 09:59:30: minute 08:00 is closed for good (allowed lateness 1 h)
        offered("c3", t(90, 0)); // 09:30: late, but within the allowed lateness
        answered("c3", t(90, 20), 20); // updates the same minute again
        offered("c4", t(0, 30)); // 08:00: beyond the allowed lateness
        run();
        assertThat(writtenMinutes())
                .containsExactlyInAnyOrder(
                        minute(0, 1, 0, 0, 0, 0, 0, 0, 0),
                        minute(120, 1, 0, 0, 0, 0, 0, 0, 0),
                        minute(90, 1, 0, 0, 0, 0, 0, 0, 0),
                        minute(90, 1, 1, 0, 20, 20, 0, 0, 0));
        assertThat(minutes.results())
                .filteredOn(m -> m.minuteStartMs() == t(90, 0))
                .extracting(CallMinute::version)
                .as("the correction written later, with a higher version")
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(deadLetters.results()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("late");
            assertThat(d.offset()).isEqualTo(4);
            assertThat(d.eventTimeMs()).isEqualTo(t(0, 30));
        });
        // the late event is not among the raw events either: every record is in exactly one place
        assertThat(callEvents.results()).hasSize(4);
    }

    @Test
    void aRecordThatFailsToParseIsKeptAsideWithItsReasonAndTheRestIsCounted() throws Exception {
        offered("c1", t(0, 10));
        send("{not json");
        send(
                "{\"event_id\":\"e\",\"schema_version\":1,\"event_type\":\"offered\",\"event_time\":\"2023-09-01T08:00:00\","
                        + "\"call_id\":\"c\",\"line\":\"l\",\"caller_region\":\"r\"}");
        run();
        assertThat(writtenMinutes()).containsExactly(minute(0, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThat(deadLetters.results())
                .extracting(DeadLetter::reason, DeadLetter::field, DeadLetter::payload)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("invalid_json", null, "{not json"),
                        org.assertj.core.groups.Tuple.tuple(
                                "bad_time", "event_time", calls.get(2).payload()));
        assertThat(ticketEvents.results()).hasSize(1);
    }

    @Test
    void watermarksStayPutForRecordsWithoutEventTime() {
        MinuteWatermarks<Object> wm = new MinuteWatermarks<>(Duration.ofSeconds(30));
        List<Long> emitted = new ArrayList<>();
        org.apache.flink.api.common.eventtime.WatermarkOutput out =
                new org.apache.flink.api.common.eventtime.WatermarkOutput() {
                    public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark w) {
                        emitted.add(w.getTimestamp());
                    }

                    public void markIdle() {}

                    public void markActive() {}
                };
        wm.onEvent("a", t(0, 45), out);
        wm.onEvent("bad", Long.MIN_VALUE, out);
        wm.onEvent("b", t(0, 50), out); // same minute: no immediate emission
        wm.onEvent("c", t(1, 40), out); // watermark 08:01:09.999 crosses into minute 1: emitted at once
        assertThat(emitted).containsExactly(t(0, 15) - 1, t(1, 10) - 1);
        wm.onPeriodicEmit(out);
        assertThat(emitted).hasSize(2);
    }
}
