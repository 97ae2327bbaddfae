package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.hotline.jobs.Rollup;

/**
 * A span's sums as kept in state ({@link Rollup.SpanSums}). Changed in place between checkpoints, so a copy (which the
 * heap takes while a checkpoint writes it) copies the map and the arrays.
 */
public final class SpanSerializer extends CompactSerializer<Rollup.SpanSums> {

    @Override
    protected String format() {
        return "minutes sum unwritten flushAt";
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Rollup.SpanSums copy(Rollup.SpanSums from) {
        Rollup.SpanSums to = new Rollup.SpanSums();
        from.minutes.forEach((k, v) -> to.minutes.put(k, v.clone()));
        to.sum = from.sum == null ? null : from.sum.clone();
        to.unwritten = from.unwritten;
        to.flushAt = from.flushAt;
        return to;
    }

    @Override
    public void serialize(Rollup.SpanSums s, DataOutputView out) throws IOException {
        out.writeInt(s.minutes.size());
        for (Map.Entry<Long, long[]> e : s.minutes.entrySet()) {
            out.writeLong(e.getKey());
            writeLongs(e.getValue(), out);
        }
        writeLongs(s.sum, out);
        out.writeBoolean(s.unwritten);
        writeNullableLong(s.flushAt, out);
    }

    @Override
    public Rollup.SpanSums deserialize(DataInputView in) throws IOException {
        Rollup.SpanSums s = new Rollup.SpanSums();
        for (int i = in.readInt(); i > 0; i--) {
            s.minutes.put(in.readLong(), readLongs(in));
        }
        s.sum = readLongs(in);
        s.unwritten = in.readBoolean();
        s.flushAt = readNullableLong(in);
        return s;
    }

    /** Named on {@link Rollup.SpanSums}. */
    public static final class Factory extends TypeInfoFactory<Rollup.SpanSums> {
        @Override
        public TypeInformation<Rollup.SpanSums> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new Info<>(Rollup.SpanSums.class, new SpanSerializer(), generics);
        }
    }
}
