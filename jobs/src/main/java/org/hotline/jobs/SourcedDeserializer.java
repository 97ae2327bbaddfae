package org.hotline.jobs;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hotline.events.ParseResult;

/**
 * Turns every Kafka record into a {@link Sourced}: parsed with the one parser, or carrying its raw
 * payload and the reason it failed. Never throws and never drops, so bad input cannot stop the job.
 */
public final class SourcedDeserializer<T> implements KafkaRecordDeserializationSchema<Sourced<T>> {

    private final SerializableFunction<byte[], ParseResult<T>> parser;
    private final TypeInformation<Sourced<T>> type;

    public SourcedDeserializer(SerializableFunction<byte[], ParseResult<T>> parser, TypeInformation<Sourced<T>> type) {
        this.parser = parser;
        this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Sourced<T>> out) {
        out.collect(parse(record.topic(), record.partition(), record.offset(), record.value()));
    }

    Sourced<T> parse(String topic, int partition, long offset, byte[] value) {
        ParseResult<T> r = parser.apply(value);
        if (r.isOk()) {
            return new Sourced<>(topic, partition, offset, r.event(), null, null);
        }
        String payload = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        return new Sourced<>(topic, partition, offset, null, payload, r.error());
    }

    @Override
    public TypeInformation<Sourced<T>> getProducedType() {
        return type;
    }
}
