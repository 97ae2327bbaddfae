package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.SliceFacts;

/**
 * {@link SliceFacts}: the dimension as {@link FactSerializer} writes it, the value and time, then which kinds it counts
 * (a bit each) and only those counts: a group holds a few kinds of the twenty-odd.
 */
public final class SliceFactsSerializer extends CompactSerializer<SliceFacts> {
    private static final int KINDS = FactKind.values().length;

    static {
        if (KINDS > 31) {
            throw new IllegalStateException("the kinds a group counts are written as the bits of an int");
        }
    }

    @Override
    protected String format() {
        return enumFormat(FactKind.class) + String.join(" ", FactSerializer.DIMENSIONS);
    }

    @Override
    public void serialize(SliceFacts g, DataOutputView out) throws IOException {
        int d = FactSerializer.dimension(g.dimension());
        out.writeByte(d);
        if (d < 0) {
            writeString(g.dimension(), out);
        }
        writeString(g.value(), out);
        out.writeLong(g.timeMs());
        long[] counts = g.counts();
        int kinds = 0;
        for (int k = 0; k < KINDS; k++) {
            kinds |= counts[k] != 0 ? 1 << k : 0;
        }
        out.writeInt(kinds);
        for (int k = 0; k < KINDS; k++) {
            if (counts[k] != 0) {
                out.writeLong(counts[k]);
            }
        }
    }

    @Override
    public SliceFacts deserialize(DataInputView in) throws IOException {
        int d = in.readByte();
        String dimension = d < 0 ? readString(in) : FactSerializer.NAMES[d];
        String value = readString(in);
        long time = in.readLong();
        int kinds = in.readInt();
        long[] counts = new long[KINDS];
        for (int k = 0; k < KINDS; k++) {
            if ((kinds & 1 << k) != 0) {
                counts[k] = in.readLong();
            }
        }
        return new SliceFacts(dimension, value, time, counts);
    }

    /** Named on {@link SliceFacts}: every stream of them uses this serializer. */
    public static final class Factory extends TypeInfoFactory<SliceFacts> {
        @Override
        public TypeInformation<SliceFacts> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new Info<>(SliceFacts.class, new SliceFactsSerializer(), generics);
        }
    }
}
