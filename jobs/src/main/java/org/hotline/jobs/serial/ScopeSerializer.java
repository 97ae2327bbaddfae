package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.hotline.jobs.Rolling;

/**
 * A scope's rolling figures as kept in state ({@link Rolling.Scope}). The scope is changed in place between
 * checkpoints, so a copy (which the heap takes while a checkpoint writes it) copies every map and array.
 */
public final class ScopeSerializer extends CompactSerializer<Rolling.Scope> {

    @Override
    protected String format() {
        return "slots minutes days total now flushAt written lookedAt";
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Rolling.Scope copy(Rolling.Scope from) {
        Rolling.Scope to = new Rolling.Scope();
        from.slots.forEach((k, v) -> to.slots.put(k, v.clone()));
        from.minutes.forEach((k, v) -> to.minutes.put(k, v.clone()));
        from.days.forEach((k, v) -> to.days.put(k, v.clone()));
        to.total = from.total == null ? null : from.total.clone();
        to.now = from.now;
        to.flushAt = from.flushAt;
        to.written = from.written == null ? null : from.written.clone();
        to.lookedAt = from.lookedAt;
        return to;
    }

    @Override
    public void serialize(Rolling.Scope s, DataOutputView out) throws IOException {
        out.writeInt(s.slots.size());
        for (Map.Entry<String, long[]> e : s.slots.entrySet()) {
            writeString(e.getKey(), out);
            writeLongs(e.getValue(), out);
        }
        writeByTime(s.minutes, out);
        writeByTime(s.days, out);
        writeLongs(s.total, out);
        writeNullableLong(s.now, out);
        writeNullableLong(s.flushAt, out);
        writeLongs(s.written, out);
        writeNullableLong(s.lookedAt, out);
    }

    @Override
    public Rolling.Scope deserialize(DataInputView in) throws IOException {
        Rolling.Scope s = new Rolling.Scope();
        for (int i = in.readInt(); i > 0; i--) {
            s.slots.put(readString(in), readLongs(in));
        }
        readByTime(s.minutes, in);
        readByTime(s.days, in);
        s.total = readLongs(in);
        s.now = readNullableLong(in);
        s.flushAt = readNullableLong(in);
        s.written = readLongs(in);
        s.lookedAt = readNullableLong(in);
        return s;
    }

    private static void writeByTime(Map<Long, long[]> m, DataOutputView out) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<Long, long[]> e : m.entrySet()) {
            out.writeLong(e.getKey());
            writeLongs(e.getValue(), out);
        }
    }

    private static void readByTime(Map<Long, long[]> m, DataInputView in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            m.put(in.readLong(), readLongs(in));
        }
    }

    /** Named on {@link Rolling.Scope}. */
    public static final class Factory extends TypeInfoFactory<Rolling.Scope> {
        @Override
        public TypeInformation<Rolling.Scope> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new Info<>(Rolling.Scope.class, new ScopeSerializer(), generics);
        }
    }
}
