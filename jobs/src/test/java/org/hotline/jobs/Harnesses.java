package org.hotline.jobs;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** What the operator harness tests share. */
public final class Harnesses {
    private Harnesses() {}

    /** {@code fresh} restored from {@code checkpoint} and opened, with no watermark yet: as Flink restores a job. */
    public static <H extends AbstractStreamOperatorTestHarness<?>> H restored(H fresh, OperatorSubtaskState checkpoint)
            throws Exception {
        fresh.setup();
        fresh.initializeState(checkpoint);
        fresh.open();
        return fresh;
    }
}
