package org.hotline.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Writes events in their wire form, the exact inverse of {@link EventParser}; times in the city's zone. */
public final class EventWriter implements java.io.Serializable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ZoneId zone;

    public EventWriter(ZoneId zone) {
        this.zone = zone;
    }

    public String time(long epochMs) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), zone)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    public String write(CallEvent e) {
        ObjectNode o = header(e.eventId(), e.type(), e.eventTimeMs());
        o.put("call_id", e.callId());
        o.put("line", e.line());
        o.put("caller_region", e.callerRegion());
        putIfSet(o, "agent_id", e.agentId());
        if (e.waitSeconds() != null) {
            o.put("wait_seconds", e.waitSeconds());
        }
        if (e.talkSeconds() != null) {
            o.put("talk_seconds", e.talkSeconds());
        }
        return o.toString();
    }

    public String write(TicketEvent e) {
        ObjectNode o = header(e.eventId(), e.type(), e.eventTimeMs());
        o.put("ticket_id", e.ticketId());
        putIfSet(o, "call_id", e.callId());
        putIfSet(o, "channel", e.channel());
        putIfSet(o, "request_type", e.requestType());
        putIfSet(o, "category", e.category());
        putIfSet(o, "topic", e.topic());
        putIfSet(o, "region", e.region());
        if (e.tags() != null && e.tags().length > 0) {
            ArrayNode tags = o.putArray("tags");
            for (String t : e.tags()) {
                tags.add(t);
            }
        }
        putIfSet(o, "desk", e.desk());
        putIfSet(o, "unit_id", e.unitId());
        if (e.dueTimeMs() != null) {
            o.put("due_time", time(e.dueTimeMs()));
        }
        if (e.newDueTimeMs() != null) {
            o.put("new_due_time", time(e.newDueTimeMs()));
        }
        putIfSet(o, "reason", e.reason());
        putIfSet(o, "callback_source", e.callbackSource());
        if (e.satisfied() != null) {
            o.put("satisfied", e.satisfied());
        }
        return o.toString();
    }

    private ObjectNode header(String eventId, Wire type, long eventTimeMs) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event_id", eventId);
        o.put("schema_version", EventParser.SCHEMA_VERSION);
        o.put("event_type", type.wire());
        o.put("event_time", time(eventTimeMs));
        return o;
    }

    private static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static void putIfSet(ObjectNode o, String name, Wire value) {
        if (value != null) {
            o.put(name, value.wire());
        }
    }
}
