package org.hotline.jobs;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.TimerService;

/**
 * The watermark an operator that judges lateness had reached, kept across a restore. Flink does not keep watermarks in
 * checkpoints: a restored job starts from the beginning of time, and until every source partition has sent one again
 * (or been idle for the idleness), an event hours late would pass as on time: counted into a minute already final,
 * whose row it would then replace with its own count alone, when before the crash it had been kept aside. Lateness is
 * judged against the greater of the current watermark and the one reached before the checkpoint.
 * <p>
 * Each subtask keeps the greatest it has judged by; a restore takes the least of them (all subtasks of an operator see
 * the same watermarks, so they differ only by what each last judged), and none when none was kept (a checkpoint of an
 * earlier version, or nothing judged yet): then it is Flink's own watermark, as before.
 */
public final class ReachedWatermark implements java.io.Serializable {
    private final String name;
    private transient ListState<Long> kept;
    private transient long restored = Long.MIN_VALUE;
    private transient long reached = Long.MIN_VALUE;

    /** @param name the operator state's name, one per operator */
    public ReachedWatermark(String name) {
        this.name = name;
    }

    /** From {@code CheckpointedFunction#initializeState}. */
    public void initialize(FunctionInitializationContext ctx) throws Exception {
        kept = ctx.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(name, Types.LONG));
        restored = Long.MIN_VALUE;
        if (ctx.isRestored()) {
            long least = Long.MAX_VALUE;
            for (Long w : kept.get()) {
                least = Math.min(least, w);
            }
            restored = least == Long.MAX_VALUE ? Long.MIN_VALUE : least;
        }
        reached = restored;
    }

    /** From {@code CheckpointedFunction#snapshotState}. */
    public void snapshot() throws Exception {
        kept.clear();
        if (reached != Long.MIN_VALUE) {
            kept.add(reached);
        }
    }

    /**
     * The watermark to judge lateness by now: Flink's, or the one reached before a restore while it is greater. Called
     * where the operator judges and where its timers fire (what it forgets there must stay forgotten), it is what a
     * checkpoint keeps.
     */
    public long current(TimerService timers) {
        long now = Math.max(timers.currentWatermark(), restored);
        reached = Math.max(reached, now);
        return now;
    }
}
