package org.hotline.jobs;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * A keyed function that judges lateness by the watermark, right after a restore too. Flink does not keep watermarks
 * in checkpoints: a restored job starts from the beginning of time, and until every source partition has sent one
 * again (or been idle for the idleness), an event hours late would pass as on time: counted into a minute already
 * final, whose row it would then replace with its own count alone, when before the crash it had been kept aside.
 * {@link #watermark} is the greater of Flink's watermark and the one this operator had reached at the checkpoint.
 * <p>
 * Each subtask keeps the greatest it has seen (in operator state); a restore takes the least of them (all subtasks of
 * an operator see the same watermarks, so they differ only by when each last looked), and none when none was kept (a
 * checkpoint of an earlier version, or nothing seen yet): then it is Flink's own, as before.
 */
public abstract class LatenessJudging<K, IN, OUT> extends KeyedProcessFunction<K, IN, OUT>
        implements CheckpointedFunction {

    private transient ListState<Long> kept;
    private transient long restored = Long.MIN_VALUE;
    private transient long reached = Long.MIN_VALUE;

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        kept = ctx.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("reached-watermark", Types.LONG));
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

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
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
    protected final long watermark(TimerService timers) {
        long now = Math.max(timers.currentWatermark(), restored);
        reached = Math.max(reached, now);
        return now;
    }
}
