package org.hotline.jobs.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.CallbackSource;
import org.hotline.events.Channel;
import org.hotline.events.Desk;
import org.hotline.events.ParseError;
import org.hotline.events.Reason;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.jobs.Harnesses;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Rolling;
import org.hotline.jobs.Rollup;
import org.hotline.jobs.Sourced;
import org.hotline.jobs.calls.CallMinute;
import org.hotline.jobs.tickets.Fact;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.SliceFacts;
import org.junit.jupiter.api.Test;

class CompactSerializerTest {

    static final List<Fact> FACTS = List.of(
            new Fact(FactKind.CREATED, "all", "", 1_693_526_400_000L, 1),
            new Fact(FactKind.COMPLETED_ON_TIME, "unit", "区住建局", 1_693_526_460_000L, -1),
            new Fact(FactKind.SYS_SATISFIED, "tag", "噪音扰民", 5L, 1),
            new Fact(FactKind.DISPATCHES, "a dimension not listed", "x", -7L, 1));

    static final TicketEvent CREATED = new TicketEvent(
            "e1",
            2,
            TicketEventType.values()[0],
            1_693_526_400_123L,
            "T-1",
            "C-1",
            Channel.values()[1],
            RequestType.values()[0],
            "城乡建设",
            "物业",
            "雨湖区",
            new String[] {"噪音", "夜间"},
            Desk.values()[0],
            null,
            null,
            null,
            null,
            null,
            null);
    static final TicketEvent CALLBACK = new TicketEvent(
            "e2",
            2,
            TicketEventType.values()[TicketEventType.values().length - 1],
            1_693_526_500_000L,
            "T-1",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "U-7",
            1_693_612_800_000L,
            1_693_699_200_000L,
            "因故延期",
            CallbackSource.values()[0],
            Boolean.FALSE);

    static final List<Sourced<TicketEvent>> TICKETS = List.of(
            new Sourced<>("tickets", 1, 42L, CREATED, null, null),
            new Sourced<>("tickets", 0, 43L, CALLBACK, null, null),
            new Sourced<>(
                    "tickets", 0, 44L, null, "{not json", new ParseError(Reason.values()[0], "event_time", "bad")));

    static final List<Sourced<CallEvent>> CALLS = List.of(
            new Sourced<>(
                    "calls",
                    1,
                    7L,
                    new CallEvent("c1", 1, CallEventType.values()[0], 3L, "C-1", "12345", "岳塘区", null, 12, null),
                    null,
                    null),
            new Sourced<>(
                    "calls",
                    0,
                    8L,
                    new CallEvent("c2", 1, CallEventType.values()[1], 4L, "C-1", "12345", null, "A-9", 0, 95),
                    null,
                    null));

    @Test
    void theJobsTypesUseTheirOwnSerializers() {
        assertThat(serializer(TypeInformation.of(Fact.class))).isInstanceOf(FactSerializer.class);
        assertThat(serializer(TypeInformation.of(SliceFacts.class))).isInstanceOf(SliceFactsSerializer.class);
        assertThat(serializer(HotlineJob.CALLS)).isInstanceOf(SourcedSerializer.class);
        assertThat(serializer(HotlineJob.TICKETS)).isInstanceOf(SourcedSerializer.class);
    }

    @Test
    void recordsComeBackEqual() throws Exception {
        for (Fact f : FACTS) {
            assertThat(roundTrip(new FactSerializer(), f)).isEqualTo(f);
        }
        long[] counts = new long[FactKind.values().length];
        counts[0] = 3;
        counts[FactKind.COMPLETED_ON_TIME.ordinal()] = -1;
        counts[counts.length - 1] = Long.MIN_VALUE;
        for (SliceFacts g : List.of(
                new SliceFacts("unit", "区住建局", 1_693_526_460_000L, counts),
                new SliceFacts("a dimension not listed", null, -7L, new long[counts.length]))) {
            // field by field, the counts by their content
            assertThat(roundTrip(new SliceFactsSerializer(), g))
                    .usingRecursiveComparison()
                    .isEqualTo(g);
        }
        for (Sourced<CallEvent> s : CALLS) {
            assertThat(roundTrip(HotlineJob.CALLS.createSerializer(new SerializerConfigImpl()), s))
                    .isEqualTo(s);
        }
        for (Sourced<TicketEvent> s : TICKETS) {
            // field by field, the tags by their content (a record's equals compares arrays by identity)
            assertThat(roundTrip(HotlineJob.TICKETS.createSerializer(new SerializerConfigImpl()), s))
                    .usingRecursiveComparison()
                    .isEqualTo(s);
        }
    }

    @Test
    void rowsComeBackEqual() throws Exception {
        long[] values = {3, 0, -1, Long.MAX_VALUE, 7};
        Rollup.In span = roundTrip(new RowSerializers.RollupIn(), new Rollup.In(1L, "unit\u001fU-1", 60_000L, values));
        assertThat(span.values()).containsExactly(values);
        assertThat(List.of(span.spanStartMs(), span.slice(), span.minute()))
                .containsExactly(1L, "unit\u001fU-1", 60_000L);
        Rolling.In rolling = roundTrip(
                new RowSerializers.RollingIn(), new Rolling.In("line", "12345", "60000\u001f", 60_000L, values));
        assertThat(rolling.values()).containsExactly(values);
        assertThat(List.of(rolling.dimension(), rolling.value(), rolling.slot(), rolling.minute()))
                .containsExactly("line", "12345", "60000\u001f", 60_000L);
        CallMinute m = new CallMinute(60_000L, "12345", "雨湖区", 9, 8, 1, 120, 45, 30, 30, 900, 17L);
        assertThat(roundTrip(new RowSerializers.CallMinutes(), m)).isEqualTo(m);
        assertThat(serializer(TypeInformation.of(CallMinute.class))).isInstanceOf(RowSerializers.CallMinutes.class);
    }

    @Test
    void aFactsDimensionIsReadBackAsTheOneConstantString() throws Exception {
        Fact back = roundTrip(new FactSerializer(), new Fact(FactKind.CREATED, new String("category"), "v", 1L, 1));
        assertThat(back.dimension()).isSameAs(FactSerializer.DIMENSIONS.get(3));
    }

    @Test
    void stateWrittenByThePojoSerializerOfTheBuildBeforeIsRestored() throws Exception {
        TypeInformation<Fact> pojoFact = Types.POJO(
                Fact.class,
                Map.of(
                        "kind", Types.ENUM(FactKind.class),
                        "dimension", Types.STRING,
                        "value", Types.STRING,
                        "timeMs", Types.LONG,
                        "sign", Types.INT));
        assertThat(kept(pojoFact, TypeInformation.of(Fact.class), FACTS)).containsExactlyElementsOf(FACTS);

        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeInformation<Sourced<CallEvent>> pojoCalls = (TypeInformation) Types.POJO(
                Sourced.class,
                Map.of(
                        "topic", Types.STRING,
                        "partition", Types.INT,
                        "offset", Types.LONG,
                        "event", Types.POJO(CallEvent.class),
                        "payload", Types.STRING,
                        "error", Types.POJO(ParseError.class)));
        assertThat(kept(pojoCalls, HotlineJob.CALLS, CALLS)).containsExactlyElementsOf(CALLS);
    }

    @Test
    void stateInAnotherFormatIsRefused() {
        var written = new CompactSerializer.Snapshot<Fact>(FactSerializer.class.getName(), "another format");
        assertThat(new FactSerializer()
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(written)
                        .isIncompatible())
                .isTrue();
        assertThat(new FactSerializer()
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(new FactSerializer().snapshotConfiguration())
                        .isCompatibleAsIs())
                .isTrue();
    }

    /** The values a keyed list state holds after it was written with {@code before} and restored with {@code now}. */
    static <T> List<T> kept(TypeInformation<T> before, TypeInformation<T> now, List<T> values) throws Exception {
        var written = harness(before);
        written.open();
        for (T v : values) {
            written.processElement(new StreamRecord<>(v));
        }
        var checkpoint = written.snapshot(1, 1);
        written.close();
        var restored = Harnesses.restored(harness(now), checkpoint);
        restored.processElement(new StreamRecord<>(values.get(0))); // emits what the state held, and this one
        List<T> out = new ArrayList<>(restored.extractOutputValues());
        restored.close();
        return out.subList(0, out.size() - 1);
    }

    static <T> KeyedOneInputStreamOperatorTestHarness<String, T, T> harness(TypeInformation<T> type) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Keep<>(type)), v -> "one key", Types.STRING);
    }

    /** Keeps every value in a list state, and emits all it holds at each. */
    static final class Keep<T> extends KeyedProcessFunction<String, T, T> {
        private final TypeInformation<T> type;
        private transient ListState<T> kept;

        Keep(TypeInformation<T> type) {
            this.type = type;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            kept = getRuntimeContext().getListState(new ListStateDescriptor<>("kept", type));
        }

        @Override
        public void processElement(T value, Context ctx, Collector<T> out) throws Exception {
            kept.add(value);
            kept.get().forEach(out::collect);
        }
    }

    static <T> T roundTrip(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    static TypeSerializer<?> serializer(TypeInformation<?> type) {
        return type.createSerializer(new SerializerConfigImpl());
    }
}
