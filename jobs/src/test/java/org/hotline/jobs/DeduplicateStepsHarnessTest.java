package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventWriter;
import org.junit.jupiter.api.Test;

/** A call's steps, each once, and a step whose minute is final kept aside: also right after a restore. */
class DeduplicateStepsHarnessTest {

    static final OutputTag<DeadLetter> DEAD = new OutputTag<>("dead-letters") {};
    static final Duration LATENESS = Duration.ofHours(1);

    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<CallEvent>, Sourced<CallEvent>> harness()
            throws Exception {
        EventWriter writer = new EventWriter(ZoneId.of("Asia/Shanghai"));
        DeduplicateSteps<CallEvent, CallEventType> dedup = new DeduplicateSteps<CallEvent, CallEventType>(
                        CallEvent::type, writer::write, CallEvent::eventTimeMs, DEAD, Duration.ofDays(7))
                .lateAfter(LATENESS);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(dedup), s -> s.event().callId(), Types.STRING);
    }

    static StreamRecord<Sourced<CallEvent>> offered(String call, long time, long offset) {
        CallEvent e =
                new CallEvent(call + "-o", 1, CallEventType.OFFERED, time, call, "12345", "雨湖区", null, null, null);
        return new StreamRecord<>(new Sourced<>("calls", 0, offset, e, null, null), time);
    }

    /**
     * Flink starts a restored job's watermark over from the beginning of time: a step whose minute was final (past the
     * allowed lateness) before the checkpoint is kept aside after the restore as before, not passed on as on time.
     */
    @Test
    void aStepTooLateBeforeACheckpointIsTooLateAfterTheRestore() throws Exception {
        var harness = harness();
        harness.open();
        harness.processElement(offered("c1", HotlineJobTest.t(0, 0), 0));
        harness.processWatermark(HotlineJobTest.t(0, 0) + 3 * LATENESS.toMillis());
        harness.processElement(offered("c2", HotlineJobTest.t(180, 0), 1)); // judged with the watermark above
        var checkpoint = harness.snapshot(1, 1);
        harness.close();

        harness = Harnesses.restored(harness(), checkpoint);
        harness.processElement(offered("c3", HotlineJobTest.t(10, 0), 2)); // hours behind the watermark reached
        assertThat(harness.extractOutputValues()).as("not passed on").isEmpty();
        assertThat(harness.getSideOutput(DEAD))
                .extracting(r -> r.getValue().reason())
                .containsExactly("late");
        harness.close();
    }
}
