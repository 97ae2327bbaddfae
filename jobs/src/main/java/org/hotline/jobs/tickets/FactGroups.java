package org.hotline.jobs.tickets;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The facts that are counted (a ticket's due times are not), consecutive ones of the same kind, time and sign grouped
 * in one record: a step's city-wide fact comes as one fact per slice (all, channel, category, topic, tags...), which
 * would otherwise cross the network and be keyed one by one. Chained to the lifecycle; a group is sent when a fact that
 * does not belong to it comes, and before every watermark and checkpoint barrier, so nothing is held across either and
 * the operator keeps no state.
 */
public final class FactGroups extends AbstractStreamOperator<FactGroup>
        implements OneInputStreamOperator<Fact, FactGroup> {

    /** At most this many facts in a group: a record of bounded size. */
    static final int MAX = 64;

    private final List<String> dimensions = new ArrayList<>(MAX);
    private final List<String> values = new ArrayList<>(MAX);
    private FactKind kind;
    private long timeMs;
    private int sign;
    /** Whether a group is being made, and the timestamp of its first record (records are reused: not kept). */
    private boolean open;

    private long timestamp;
    private boolean hasTimestamp;

    @Override
    public void processElement(StreamRecord<Fact> element) {
        Fact f = element.getValue();
        if (f.dimension().equals(TicketLife.DUE)) {
            return; // only the due_soon alert reads them
        }
        if (open && (f.kind() != kind || f.timeMs() != timeMs || f.sign() != sign || dimensions.size() == MAX)) {
            flush();
        }
        if (!open) {
            open = true;
            hasTimestamp = element.hasTimestamp();
            timestamp = element.getTimestamp();
            kind = f.kind();
            timeMs = f.timeMs();
            sign = f.sign();
        }
        dimensions.add(f.dimension());
        values.add(f.value());
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (!open) {
            return;
        }
        FactGroup group =
                new FactGroup(kind, timeMs, sign, dimensions.toArray(new String[0]), values.toArray(new String[0]));
        output.collect(hasTimestamp ? new StreamRecord<>(group, timestamp) : new StreamRecord<>(group));
        dimensions.clear();
        values.clear();
        open = false;
    }
}
