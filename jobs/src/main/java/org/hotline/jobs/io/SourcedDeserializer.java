package org.hotline.jobs.io;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hotline.events.CallEvent;
import org.hotline.events.EventParser;
import org.hotline.events.ParseError;
import org.hotline.events.ParseResult;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Sourced;

/**
 * Turns every Kafka record into a {@link Sourced}: parsed with the one parser, or carrying its raw
 * payload and the reason it failed. Never throws and never drops, so bad input cannot stop the job.
 * An event time before 2000 or more than {@code maxAhead} past this machine's clock is refused here,
 * before the watermarks see it: one event stamped 2099 would otherwise make every later event late.
 */
public final class SourcedDeserializer<T> implements KafkaRecordDeserializationSchema<Sourced<T>> {

    /** The earliest event time accepted. */
    static final long EARLIEST_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

    private final SerializableFunction<byte[], ParseResult<T>> parser;
    private final SerializableFunction<T, Long> eventTime;
    private final long maxAheadMs;
    private final TypeInformation<Sourced<T>> type;

    private SourcedDeserializer(
            SerializableFunction<byte[], ParseResult<T>> parser,
            SerializableFunction<T, Long> eventTime,
            Duration maxAhead,
            TypeInformation<Sourced<T>> type) {
        this.parser = parser;
        this.eventTime = eventTime;
        this.maxAheadMs = maxAhead.toMillis();
        this.type = type;
    }

    public static SourcedDeserializer<CallEvent> calls(Duration maxAhead) {
        return new SourcedDeserializer<>(EventParser::parseCall, CallEvent::eventTimeMs, maxAhead, HotlineJob.CALLS);
    }

    public static SourcedDeserializer<TicketEvent> tickets(Duration maxAhead) {
        return new SourcedDeserializer<>(
                EventParser::parseTicket, TicketEvent::eventTimeMs, maxAhead, HotlineJob.TICKETS);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Sourced<T>> out) {
        out.collect(parse(record.topic(), record.partition(), record.offset(), record.value()));
    }

    public Sourced<T> parse(String topic, int partition, long offset, byte[] value) {
        ParseResult<T> r = parser.apply(value);
        ParseError error = r.isOk() ? implausibleTime(eventTime.apply(r.event())) : r.error();
        if (error == null) {
            return new Sourced<>(topic, partition, offset, r.event(), null, null);
        }
        String payload = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        return new Sourced<>(topic, partition, offset, null, payload, error);
    }

    private ParseError implausibleTime(long timeMs) {
        if (timeMs < EARLIEST_MS) {
            return new ParseError(Reason.OUT_OF_RANGE, "event_time", "before 2000-01-01");
        }
        long ahead = timeMs - System.currentTimeMillis();
        if (ahead > maxAheadMs) {
            return new ParseError(
                    Reason.OUT_OF_RANGE,
                    "event_time",
                    Duration.ofMillis(ahead).toMinutes() + " minutes ahead of the clock (more than "
                            + Duration.ofMillis(maxAheadMs) + ")");
        }
        return null;
    }

    @Override
    public TypeInformation<Sourced<T>> getProducedType() {
        return type;
    }
}
