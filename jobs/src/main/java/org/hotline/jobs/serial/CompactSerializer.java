package org.hotline.jobs.serial;

import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A serializer written by hand for a record the job hands on in large numbers, where Flink's POJO serializer reads and
 * sets each field by reflection and builds a record through an array of its values. Each subclass writes its fields in
 * a fixed order, and {@link #format} names what that order depends on (the enums' constants, by ordinal), so that a
 * checkpoint written in another format is refused rather than misread.
 * <p>
 * Its snapshot accepts state written by the POJO serializer of the build before (Flink reads it with that serializer
 * and writes it with this one from then on: the heap keeps objects, so nothing is converted on restore).
 */
public abstract class CompactSerializer<T> extends TypeSerializerSingleton<T> {

    /** What the encoding depends on besides the code: checked on restore. */
    protected abstract String format();

    @Override
    public boolean isImmutableType() {
        return true; // records, never changed after they are made (a state kept and changed in place says otherwise)
    }

    @Override
    public final T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public final TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(getClass().getName(), format());
    }

    // --- the pieces every record is made of

    protected static void writeString(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out); // null included
    }

    protected static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /** An enum constant or null, as its ordinal plus one in a byte. */
    protected static void writeEnum(Enum<?> e, DataOutputView out) throws IOException {
        out.writeByte(e == null ? 0 : e.ordinal() + 1);
    }

    protected static <E extends Enum<E>> E readEnum(E[] values, DataInputView in) throws IOException {
        int b = in.readByte();
        return b == 0 ? null : values[b - 1];
    }

    protected static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (long v : values) {
                out.writeLong(v);
            }
        }
    }

    protected static long[] readLongs(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    protected static void writeNullableLong(Long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    protected static Long readNullableLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    protected static void writeNullableInt(Integer v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeInt(v);
        }
    }

    protected static Integer readNullableInt(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    /** The constants of {@code types}' enums in order, as a format depends on them. */
    @SafeVarargs
    protected static String enumFormat(Class<? extends Enum<?>>... types) {
        StringBuilder b = new StringBuilder();
        for (Class<? extends Enum<?>> t : types) {
            b.append(t.getSimpleName()).append('(');
            for (Enum<?> e : t.getEnumConstants()) {
                b.append(e.name()).append(' ');
            }
            b.append(')');
        }
        return b.toString();
    }

    /** The serializer's class and format, as a checkpoint records them. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private String serializerClass;
        private String format;
        private transient ClassLoader loader = Snapshot.class.getClassLoader();

        public Snapshot() {}

        Snapshot(String serializerClass, String format) {
            this.serializerClass = serializerClass;
            this.format = format;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(serializerClass);
            out.writeUTF(format);
        }

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader loader) throws IOException {
            serializerClass = in.readUTF();
            format = in.readUTF();
            this.loader = loader;
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<T> restoreSerializer() {
            try {
                CompactSerializer<T> s = (CompactSerializer<T>) Class.forName(serializerClass, true, loader)
                        .getDeclaredConstructor()
                        .newInstance();
                if (!s.format().equals(format)) {
                    throw new IllegalStateException(serializerClass + " was written in the format " + format
                            + ", which this build no longer reads (it writes " + s.format() + ")");
                }
                return s;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot restore the serializer " + serializerClass, e);
            }
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            if (old instanceof Snapshot<?> s && s.serializerClass.equals(serializerClass)) {
                return s.format.equals(format)
                        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.incompatible();
            }
            // the same record, written by the POJO serializer of the build before: read with it, written anew
            return old instanceof PojoSerializerSnapshot<?>
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /** The type information of a record with a compact serializer: nothing but the class and its serializer. */
    public static final class Info<T> extends TypeInformation<T> {
        private final Class<T> type;
        private final CompactSerializer<T> serializer;
        private final Map<String, TypeInformation<?>> generics;

        public Info(Class<T> type, CompactSerializer<T> serializer, Map<String, TypeInformation<?>> generics) {
            this.type = type;
            this.serializer = serializer;
            this.generics = Map.copyOf(generics);
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public Map<String, TypeInformation<?>> getGenericParameters() {
            return generics;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }

        @Override
        public String toString() {
            return type.getSimpleName() + "<" + serializer.getClass().getSimpleName() + ">";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> i && i.type == type && i.serializer.getClass() == serializer.getClass();
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + serializer.getClass().hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info<?>;
        }
    }
}
