package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.hotline.events.CallbackSource;
import org.hotline.events.Channel;
import org.hotline.events.Desk;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.jobs.tickets.TicketLife;
import org.hotline.jobs.tickets.TicketLifecycle;

/**
 * A ticket as its lifecycle keeps it ({@link TicketLifecycle.Memo}): the largest state of the job, written whole at
 * every checkpoint. The memo is changed in place between checkpoints, so a copy (which the heap takes while a
 * checkpoint writes it) copies its arrays, steps and summary; the events in them are records, shared.
 */
public final class MemoSerializer extends CompactSerializer<TicketLifecycle.Memo> {

    @Override
    protected String format() {
        return "memo steps(topic partition offset event) summary(status created unit dispatches assignedAt due "
                + "overdue extended contacted completedAt onTime lastEventMs seen pendingCallbacks) summedTo lastEvent "
                + "asOf version dueTimer forgetTimer emitted digest handled refused "
                + enumFormat(TicketEventType.class, Channel.class, RequestType.class, Desk.class, CallbackSource.class);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TicketLifecycle.Memo copy(TicketLifecycle.Memo from) {
        TicketLifecycle.Memo to = new TicketLifecycle.Memo();
        if (from.steps != null) {
            to.steps = new TicketLifecycle.Step[from.steps.length];
            for (int i = 0; i < from.steps.length; i++) {
                TicketLifecycle.Step s = from.steps[i];
                to.steps[i] = step(s.topic, s.partition, s.offset, s.event);
            }
        }
        to.summary = copy(from.summary);
        to.summedTo = from.summedTo;
        to.lastEvent = from.lastEvent;
        to.asOf = from.asOf;
        to.version = from.version;
        to.dueTimer = from.dueTimer;
        to.forgetTimer = from.forgetTimer;
        to.emitted = from.emitted;
        to.digest = from.digest;
        to.handled = from.handled == null ? null : from.handled.clone();
        to.refused = from.refused == null ? null : from.refused.clone();
        return to;
    }

    private static TicketLife.Summary copy(TicketLife.Summary from) {
        if (from == null) {
            return null;
        }
        TicketLife.Summary to = new TicketLife.Summary();
        to.status = from.status;
        to.created = from.created;
        to.unit = from.unit;
        to.dispatches = from.dispatches;
        to.assignedAt = from.assignedAt;
        to.due = from.due;
        to.overdue = from.overdue;
        to.extended = from.extended;
        to.contacted = from.contacted;
        to.completedAt = from.completedAt;
        to.onTime = from.onTime;
        to.lastEventMs = from.lastEventMs;
        to.seen = from.seen;
        to.pendingCallbacks = from.pendingCallbacks == null ? null : from.pendingCallbacks.clone();
        return to;
    }

    private static TicketLifecycle.Step step(String topic, int partition, long offset, TicketEvent event) {
        TicketLifecycle.Step s = new TicketLifecycle.Step();
        s.topic = topic;
        s.partition = partition;
        s.offset = offset;
        s.event = event;
        return s;
    }

    @Override
    public void serialize(TicketLifecycle.Memo m, DataOutputView out) throws IOException {
        out.writeInt(m.steps == null ? -1 : m.steps.length);
        if (m.steps != null) {
            for (TicketLifecycle.Step s : m.steps) {
                writeString(s.topic, out);
                out.writeInt(s.partition);
                out.writeLong(s.offset);
                writeEvent(s.event, out);
            }
        }
        TicketLife.Summary y = m.summary;
        out.writeBoolean(y != null);
        if (y != null) {
            writeString(y.status, out);
            writeEvent(y.created, out);
            writeString(y.unit, out);
            out.writeInt(y.dispatches);
            writeNullableLong(y.assignedAt, out);
            writeNullableLong(y.due, out);
            out.writeBoolean(y.overdue);
            out.writeBoolean(y.extended);
            out.writeBoolean(y.contacted);
            writeNullableLong(y.completedAt, out);
            out.writeByte(y.onTime == null ? 0 : y.onTime ? 2 : 1);
            out.writeLong(y.lastEventMs);
            out.writeInt(y.seen);
            out.writeInt(y.pendingCallbacks == null ? -1 : y.pendingCallbacks.length);
            if (y.pendingCallbacks != null) {
                for (TicketEvent e : y.pendingCallbacks) {
                    writeEvent(e, out);
                }
            }
        }
        writeNullableLong(m.summedTo, out);
        writeNullableLong(m.lastEvent, out);
        writeNullableLong(m.asOf, out);
        writeNullableLong(m.version, out);
        writeNullableLong(m.dueTimer, out);
        writeNullableLong(m.forgetTimer, out);
        writeNullableInt(m.emitted, out);
        writeNullableLong(m.digest, out);
        writeStrings(m.handled, out);
        writeStrings(m.refused, out);
    }

    @Override
    public TicketLifecycle.Memo deserialize(DataInputView in) throws IOException {
        TicketLifecycle.Memo m = new TicketLifecycle.Memo();
        int n = in.readInt();
        if (n >= 0) {
            m.steps = new TicketLifecycle.Step[n];
            for (int i = 0; i < n; i++) {
                m.steps[i] = step(readString(in), in.readInt(), in.readLong(), readEvent(in));
            }
        } else {
            m.steps = null;
        }
        if (in.readBoolean()) {
            TicketLife.Summary y = new TicketLife.Summary();
            y.status = readString(in);
            y.created = readEvent(in);
            y.unit = readString(in);
            y.dispatches = in.readInt();
            y.assignedAt = readNullableLong(in);
            y.due = readNullableLong(in);
            y.overdue = in.readBoolean();
            y.extended = in.readBoolean();
            y.contacted = in.readBoolean();
            y.completedAt = readNullableLong(in);
            int onTime = in.readByte();
            y.onTime = onTime == 0 ? null : onTime == 2;
            y.lastEventMs = in.readLong();
            y.seen = in.readInt();
            int callbacks = in.readInt();
            if (callbacks >= 0) {
                y.pendingCallbacks = new TicketEvent[callbacks];
                for (int i = 0; i < callbacks; i++) {
                    y.pendingCallbacks[i] = readEvent(in);
                }
            }
            m.summary = y;
        }
        m.summedTo = readNullableLong(in);
        m.lastEvent = readNullableLong(in);
        m.asOf = readNullableLong(in);
        m.version = readNullableLong(in);
        m.dueTimer = readNullableLong(in);
        m.forgetTimer = readNullableLong(in);
        m.emitted = readNullableInt(in);
        m.digest = readNullableLong(in);
        m.handled = readStrings(in);
        m.refused = readStrings(in);
        return m;
    }

    private static void writeEvent(TicketEvent e, DataOutputView out) throws IOException {
        out.writeBoolean(e != null);
        if (e != null) {
            SourcedSerializer.Tickets.write(e, out);
        }
    }

    private static TicketEvent readEvent(DataInputView in) throws IOException {
        return in.readBoolean() ? SourcedSerializer.Tickets.read(in) : null;
    }

    private static void writeStrings(String[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (String v : values) {
                writeString(v, out);
            }
        }
    }

    private static String[] readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = readString(in);
        }
        return values;
    }

    /** Named on {@link TicketLifecycle.Memo}. */
    public static final class Factory extends TypeInfoFactory<TicketLifecycle.Memo> {
        @Override
        public TypeInformation<TicketLifecycle.Memo> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new Info<>(TicketLifecycle.Memo.class, new MemoSerializer(), generics);
        }
    }
}
