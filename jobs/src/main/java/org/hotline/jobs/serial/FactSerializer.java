package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactKind;

/**
 * A ticket's {@link Fact}, the record the job hands on most (a dozen or so per ticket step): its kind by ordinal, its
 * dimension by its place in a fixed list (read back as the one constant string, so that comparing and hashing it is
 * cheap downstream), its value, time and sign.
 */
public final class FactSerializer extends CompactSerializer<Fact> {
    private static final FactKind[] KINDS = FactKind.values();
    /** The dimensions facts count in; another one is written out in full. */
    static final List<String> DIMENSIONS = List.of(
            "all",
            "channel",
            "request_type",
            "category",
            "topic",
            "region",
            "desk",
            "tag",
            "unit",
            "unit_category",
            "due");

    static final String[] NAMES = DIMENSIONS.toArray(String[]::new);

    @Override
    protected String format() {
        return enumFormat(FactKind.class) + String.join(" ", DIMENSIONS);
    }

    @Override
    public void serialize(Fact f, DataOutputView out) throws IOException {
        out.writeByte(f.kind().ordinal());
        int d = dimension(f.dimension());
        out.writeByte(d);
        if (d < 0) {
            writeString(f.dimension(), out);
        }
        writeString(f.value(), out);
        out.writeLong(f.timeMs());
        out.writeByte(f.sign());
    }

    @Override
    public Fact deserialize(DataInputView in) throws IOException {
        FactKind kind = KINDS[in.readByte()];
        int d = in.readByte();
        String dimension = d < 0 ? readString(in) : NAMES[d];
        return new Fact(kind, dimension, readString(in), in.readLong(), in.readByte());
    }

    /** The dimension's place in {@link #DIMENSIONS}, or -1. */
    static int dimension(String d) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(d)) {
                return i;
            }
        }
        return -1;
    }

    /** Named on {@link Fact}: every stream and state of facts uses this serializer. */
    public static final class Factory extends TypeInfoFactory<Fact> {
        @Override
        public TypeInformation<Fact> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new Info<>(Fact.class, new FactSerializer(), generics);
        }
    }
}
