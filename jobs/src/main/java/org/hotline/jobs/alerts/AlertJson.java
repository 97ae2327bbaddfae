package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import org.hotline.events.EventWriter;

/** An alert as JSON, with the keys of `./hotline alerts` and of the Kafka topic: null where a key does not apply. */
public final class AlertJson {
    private AlertJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventWriter TIMES = new EventWriter(ZoneId.of("Asia/Shanghai"));

    public static ObjectNode toJson(Alert a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("rule", a.rule());
        o.put("unit", a.unit());
        o.put("topic", a.topic());
        o.put("category", a.category());
        o.put("ticket_id", a.ticketId());
        o.put("severity", a.severity());
        o.put("state", a.state());
        o.put("value", a.value());
        o.put("threshold", a.threshold());
        o.put("window_start", a.windowStartMs() == null ? null : time(a.windowStartMs()));
        o.put("window_end", a.windowEndMs() == null ? null : time(a.windowEndMs()));
        o.put("event_time", time(a.eventTimeMs()));
        o.put("detail", a.detail());
        return o;
    }

    /** Whole seconds, as ClickHouse keeps them, so the topic and the table read alike. */
    private static String time(long epochMs) {
        return TIMES.time(epochMs - Math.floorMod(epochMs, 1000L));
    }
}
