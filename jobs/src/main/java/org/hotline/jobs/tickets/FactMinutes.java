package org.hotline.jobs.tickets;

import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * One-minute event-time windows on the fact's own time, not the record's: a fact credited at a
 * ticket's completion counts in the minute of the completion even when it comes out later.
 */
public final class FactMinutes extends WindowAssigner<Object, TimeWindow> {

    static final long MINUTE = 60_000L;

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, WindowAssignerContext context) {
        Fact fact = (Fact) element;
        long start = fact.timeMs() - Math.floorMod(fact.timeMs(), MINUTE);
        return List.of(new TimeWindow(start, start + MINUTE));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }
}
