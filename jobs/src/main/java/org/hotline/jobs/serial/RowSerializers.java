package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.hotline.jobs.Rolling;
import org.hotline.jobs.Rollup;
import org.hotline.jobs.calls.CallMinute;

/**
 * The rows that cross from the per-minute counts to what is kept of them (the history per span, the rolling figures,
 * the call alerts): a few per minute and slice, each handed on to two or three operators.
 */
public final class RowSerializers {
    private RowSerializers() {}

    /** A minute row on its way to its span ({@link Rollup.In}). */
    public static final class RollupIn extends CompactSerializer<Rollup.In> {
        @Override
        protected String format() {
            return "spanStartMs slice minute values";
        }

        @Override
        public void serialize(Rollup.In r, DataOutputView out) throws IOException {
            out.writeLong(r.spanStartMs());
            writeString(r.slice(), out);
            out.writeLong(r.minute());
            writeLongs(r.values(), out);
        }

        @Override
        public Rollup.In deserialize(DataInputView in) throws IOException {
            return new Rollup.In(in.readLong(), readString(in), in.readLong(), readLongs(in));
        }

        public static final class Factory extends TypeInfoFactory<Rollup.In> {
            @Override
            public TypeInformation<Rollup.In> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
                return new Info<>(Rollup.In.class, new RollupIn(), generics);
            }
        }
    }

    /** A minute row on its way to a scope's rolling figures ({@link Rolling.In}). */
    public static final class RollingIn extends CompactSerializer<Rolling.In> {
        @Override
        protected String format() {
            return "dimension value slot minute values";
        }

        @Override
        public void serialize(Rolling.In r, DataOutputView out) throws IOException {
            writeString(r.dimension(), out);
            writeString(r.value(), out);
            writeString(r.slot(), out);
            out.writeLong(r.minute());
            writeLongs(r.values(), out);
        }

        @Override
        public Rolling.In deserialize(DataInputView in) throws IOException {
            return new Rolling.In(readString(in), readString(in), readString(in), in.readLong(), readLongs(in));
        }

        public static final class Factory extends TypeInfoFactory<Rolling.In> {
            @Override
            public TypeInformation<Rolling.In> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
                return new Info<>(Rolling.In.class, new RollingIn(), generics);
            }
        }
    }

    /** A call minute row ({@link CallMinute}), to the call alerts. */
    public static final class CallMinutes extends CompactSerializer<CallMinute> {
        @Override
        protected String format() {
            return "minuteStartMs line callerRegion offered answered abandoned answeredWaitSum answeredWaitMax "
                    + "abandonedWaitSum abandonedWaitMax talkSecondsSum version";
        }

        @Override
        public void serialize(CallMinute m, DataOutputView out) throws IOException {
            out.writeLong(m.minuteStartMs());
            writeString(m.line(), out);
            writeString(m.callerRegion(), out);
            out.writeLong(m.offered());
            out.writeLong(m.answered());
            out.writeLong(m.abandoned());
            out.writeLong(m.answeredWaitSum());
            out.writeInt(m.answeredWaitMax());
            out.writeLong(m.abandonedWaitSum());
            out.writeInt(m.abandonedWaitMax());
            out.writeLong(m.talkSecondsSum());
            out.writeLong(m.version());
        }

        @Override
        public CallMinute deserialize(DataInputView in) throws IOException {
            return new CallMinute(
                    in.readLong(),
                    readString(in),
                    readString(in),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readInt(),
                    in.readLong(),
                    in.readInt(),
                    in.readLong(),
                    in.readLong());
        }

        public static final class Factory extends TypeInfoFactory<CallMinute> {
            @Override
            public TypeInformation<CallMinute> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
                return new Info<>(CallMinute.class, new CallMinutes(), generics);
            }
        }
    }
}
