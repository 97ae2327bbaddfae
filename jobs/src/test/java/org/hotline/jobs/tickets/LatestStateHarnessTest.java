package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where a ticket stands, passed on once per flush: the latest state since the last flush, nothing held afterwards. */
class LatestStateHarnessTest {

    static final long FLUSH_MS = 2_000;
    KeyedOneInputStreamOperatorTestHarness<String, TicketState, TicketState> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LatestState(Duration.ofMillis(FLUSH_MS))),
                TicketState::ticketId,
                Types.STRING);
        harness.open();
        harness.setProcessingTime(1);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static TicketState state(String ticket, String status, long version) {
        return new TicketState(
                ticket, status, "U1", 1, "路灯", "雨湖区", 0L, 0L, null, false, null, null, false, false, 0L, version);
    }

    String passedOn() {
        return String.join(
                " ",
                harness.extractOutputValues().stream()
                        .map(s -> s.ticketId() + ":" + s.status())
                        .toList());
    }

    @Test
    void theLatestStateOfEachTicketIsPassedOnAtTheFlushAndNothingIsHeldAfterwards() throws Exception {
        harness.processElement(new StreamRecord<>(state("t1", "new", 1)));
        harness.processElement(new StreamRecord<>(state("t1", "assigned", 2)));
        harness.processElement(new StreamRecord<>(state("t2", "new", 1)));
        harness.processElement(new StreamRecord<>(state("t1", "new", 1))); // an older state arriving after: not taken
        assertThat(passedOn()).isEmpty();
        harness.setProcessingTime(FLUSH_MS);
        assertThat(passedOn()).isEqualTo("t1:assigned t2:new");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers())
                .as("the end-of-input timer goes with the flush")
                .isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processElement(new StreamRecord<>(state("t1", "completed", 3)));
        harness.processWatermark(Long.MAX_VALUE); // the input ends before the next flush: what is pending is passed on
        assertThat(passedOn()).isEqualTo("t1:assigned t2:new t1:completed");
    }
}
