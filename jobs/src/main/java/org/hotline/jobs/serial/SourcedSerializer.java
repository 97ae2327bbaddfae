package org.hotline.jobs.serial;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
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
import org.hotline.jobs.Sourced;

/**
 * A record as read from Kafka ({@link Sourced}) with its call or ticket event: where it came from, which kind of event
 * it holds and its fields in their order, and for a record that failed to parse its payload and reason.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class SourcedSerializer extends CompactSerializer<Sourced> {
    private static final int NONE = 0;
    private static final int CALL = 1;
    private static final int TICKET = 2;

    @Override
    protected String format() {
        return "sourced "
                + enumFormat(
                        CallEventType.class,
                        TicketEventType.class,
                        Channel.class,
                        RequestType.class,
                        Desk.class,
                        CallbackSource.class,
                        Reason.class);
    }

    @Override
    public void serialize(Sourced s, DataOutputView out) throws IOException {
        writeString(s.topic(), out);
        out.writeInt(s.partition());
        out.writeLong(s.offset());
        if (s.event() instanceof CallEvent c) {
            out.writeByte(CALL);
            Calls.write(c, out);
        } else if (s.event() instanceof TicketEvent t) {
            out.writeByte(TICKET);
            Tickets.write(t, out);
        } else if (s.event() == null) {
            out.writeByte(NONE);
        } else {
            throw new IllegalArgumentException(
                    "no serializer for events of " + s.event().getClass());
        }
        writeString(s.payload(), out);
        ParseError e = s.error();
        out.writeBoolean(e != null);
        if (e != null) {
            writeEnum(e.reason(), out);
            writeString(e.field(), out);
            writeString(e.message(), out);
        }
    }

    @Override
    public Sourced deserialize(DataInputView in) throws IOException {
        String topic = readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        int kind = in.readByte();
        Object event = kind == CALL ? Calls.read(in) : kind == TICKET ? Tickets.read(in) : null;
        String payload = readString(in);
        ParseError error =
                in.readBoolean() ? new ParseError(readEnum(Reason.values(), in), readString(in), readString(in)) : null;
        return new Sourced(topic, partition, offset, event, payload, error);
    }

    /** A call event's fields. */
    static final class Calls {
        private static final CallEventType[] TYPES = CallEventType.values();

        static void write(CallEvent e, DataOutputView out) throws IOException {
            writeString(e.eventId(), out);
            out.writeInt(e.schemaVersion());
            writeEnum(e.type(), out);
            out.writeLong(e.eventTimeMs());
            writeString(e.callId(), out);
            writeString(e.line(), out);
            writeString(e.callerRegion(), out);
            writeString(e.agentId(), out);
            writeNullableInt(e.waitSeconds(), out);
            writeNullableInt(e.talkSeconds(), out);
        }

        static CallEvent read(DataInputView in) throws IOException {
            return new CallEvent(
                    readString(in),
                    in.readInt(),
                    readEnum(TYPES, in),
                    in.readLong(),
                    readString(in),
                    readString(in),
                    readString(in),
                    readString(in),
                    readNullableInt(in),
                    readNullableInt(in));
        }
    }

    /** A ticket event's fields. */
    static final class Tickets {
        private static final TicketEventType[] TYPES = TicketEventType.values();
        private static final Channel[] CHANNELS = Channel.values();
        private static final RequestType[] REQUEST_TYPES = RequestType.values();
        private static final Desk[] DESKS = Desk.values();
        private static final CallbackSource[] CALLBACK_SOURCES = CallbackSource.values();

        static void write(TicketEvent e, DataOutputView out) throws IOException {
            writeString(e.eventId(), out);
            out.writeInt(e.schemaVersion());
            writeEnum(e.type(), out);
            out.writeLong(e.eventTimeMs());
            writeString(e.ticketId(), out);
            writeString(e.callId(), out);
            writeEnum(e.channel(), out);
            writeEnum(e.requestType(), out);
            writeString(e.category(), out);
            writeString(e.topic(), out);
            writeString(e.region(), out);
            String[] tags = e.tags();
            out.writeInt(tags == null ? -1 : tags.length);
            if (tags != null) {
                for (String t : tags) {
                    writeString(t, out);
                }
            }
            writeEnum(e.desk(), out);
            writeString(e.unitId(), out);
            writeNullableLong(e.dueTimeMs(), out);
            writeNullableLong(e.newDueTimeMs(), out);
            writeString(e.reason(), out);
            writeEnum(e.callbackSource(), out);
            out.writeByte(e.satisfied() == null ? 0 : e.satisfied() ? 2 : 1);
        }

        static TicketEvent read(DataInputView in) throws IOException {
            String eventId = readString(in);
            int schemaVersion = in.readInt();
            TicketEventType type = readEnum(TYPES, in);
            long time = in.readLong();
            String ticketId = readString(in);
            String callId = readString(in);
            Channel channel = readEnum(CHANNELS, in);
            RequestType requestType = readEnum(REQUEST_TYPES, in);
            String category = readString(in);
            String topic = readString(in);
            String region = readString(in);
            int n = in.readInt();
            String[] tags = n < 0 ? null : new String[n];
            for (int i = 0; i < n; i++) {
                tags[i] = readString(in);
            }
            Desk desk = readEnum(DESKS, in);
            String unitId = readString(in);
            Long due = readNullableLong(in);
            Long newDue = readNullableLong(in);
            String reason = readString(in);
            CallbackSource source = readEnum(CALLBACK_SOURCES, in);
            int satisfied = in.readByte();
            return new TicketEvent(
                    eventId,
                    schemaVersion,
                    type,
                    time,
                    ticketId,
                    callId,
                    channel,
                    requestType,
                    category,
                    topic,
                    region,
                    tags,
                    desk,
                    unitId,
                    due,
                    newDue,
                    reason,
                    source,
                    satisfied == 0 ? null : satisfied == 2);
        }
    }

    /** Named on {@link Sourced}: every stream and state of sourced events uses this serializer. */
    public static final class Factory extends TypeInfoFactory<Sourced> {
        @Override
        public TypeInformation<Sourced> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new Info<>(Sourced.class, new SourcedSerializer(), generics);
        }
    }
}
