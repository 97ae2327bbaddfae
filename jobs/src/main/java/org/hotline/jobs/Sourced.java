package org.hotline.jobs;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.hotline.events.ParseError;
import org.hotline.jobs.serial.SourcedSerializer;

/**
 * A record as read from Kafka: where it came from (topic, partition, offset) and either the parsed
 * event or, for a record that failed to parse, its raw payload and the reason.
 */
@TypeInfo(SourcedSerializer.Factory.class)
public record Sourced<T>(String topic, int partition, long offset, T event, String payload, ParseError error) {

    public boolean isValid() {
        return error == null;
    }
}
