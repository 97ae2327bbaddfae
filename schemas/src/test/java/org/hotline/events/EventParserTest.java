package org.hotline.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

    static final String ANSWERED = """
            {"event_id":"e1","schema_version":1,"event_type":"answered","event_time":"2023-09-01T08:30:05+08:00",
             "call_id":"c1","line":"12345","caller_region":"湘潭县","agent_id":"a7","wait_seconds":12}""";

    static final String DISPATCHED = """
            {"event_id":"t1-2","schema_version":1,"event_type":"dispatched","event_time":"2023-09-01T09:00:00+08:00",
             "ticket_id":"t1","unit_id":"u-yuhu","due_time":"2023-09-06T09:00:00+08:00"}""";

    static ParseResult<CallEvent> call(String json) {
        return EventParser.parseCall(json.getBytes(UTF_8));
    }

    static ParseResult<TicketEvent> ticket(String json) {
        return EventParser.parseTicket(json.getBytes(UTF_8));
    }

    @Test
    void parsesAValidCallEvent() {
        ParseResult<CallEvent> r = call(ANSWERED);
        assertThat(r.error()).isNull();
        CallEvent e = r.event();
        assertThat(e.type()).isEqualTo(CallEventType.ANSWERED);
        assertThat(e.eventTimeMs())
                .isEqualTo(
                        OffsetDateTime.parse("2023-09-01T00:30:05Z").toInstant().toEpochMilli());
        assertThat(e.callerRegion()).isEqualTo("湘潭县");
        assertThat(e.agentId()).isEqualTo("a7");
        assertThat(e.waitSeconds()).isEqualTo(12);
        assertThat(e.talkSeconds()).isNull();
    }

    @Test
    void parsesAValidTicketEvent() {
        TicketEvent e = ticket(DISPATCHED).event();
        assertThat(e.type()).isEqualTo(TicketEventType.DISPATCHED);
        assertThat(e.unitId()).isEqualTo("u-yuhu");
        assertThat(e.dueTimeMs() - e.eventTimeMs()).isEqualTo(5 * 24 * 3600_000L);
        assertThat(e.tags()).isEmpty();
    }

    @Test
    void writerOutputParsesBackToTheSameEvent() {
        EventWriter writer = new EventWriter(ZoneId.of("Asia/Shanghai"));
        TicketEvent created = new TicketEvent(
                "t9-1",
                1,
                TicketEventType.CREATED,
                1_693_526_400_000L,
                "t9",
                "c9",
                Channel.PHONE,
                RequestType.COMPLAINT,
                "生活噪音",
                "广场舞",
                "雨湖区",
                new String[] {"civilised_city"},
                Desk.BUSINESS_DESK,
                null,
                null,
                null,
                null,
                null,
                null);
        TicketEvent back = ticket(writer.write(created)).event();
        assertThat(back).usingRecursiveComparison().isEqualTo(created);

        CallEvent ended = new CallEvent(
                "c9-4", 1, CallEventType.ENDED, 1_693_526_460_000L, "c9", "12345", "岳塘区", "a1", null, 300);
        assertThat(call(writer.write(ended)).event()).isEqualTo(ended);
        assertThat(writer.time(1_693_526_400_000L)).isEqualTo("2023-09-01T08:00:00+08:00");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid_json        |          | {"event_id": "e1",
            invalid_json        |          | ''
            not_an_object       |          | [1, 2, 3]
            missing_field       | event_id | {"schema_version":1,"event_type":"offered","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r"}
            missing_field       | call_id  | {"event_id":"e","schema_version":1,"event_type":"offered","event_time":"2023-09-01T08:00:00+08:00","call_id":null,"line":"l","caller_region":"r"}
            missing_field       | wait_seconds | {"event_id":"e","schema_version":1,"event_type":"abandoned","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r"}
            missing_field       | agent_id | {"event_id":"e","schema_version":1,"event_type":"answered","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r","wait_seconds":3}
            wrong_type          | call_id  | {"event_id":"e","schema_version":1,"event_type":"offered","event_time":"2023-09-01T08:00:00+08:00","call_id":42,"line":"l","caller_region":"r"}
            wrong_type          | wait_seconds | {"event_id":"e","schema_version":1,"event_type":"abandoned","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r","wait_seconds":"12"}
            wrong_type          | schema_version | {"event_id":"e","schema_version":"1","event_type":"offered","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r"}
            unknown_value       | event_type | {"event_id":"e","schema_version":1,"event_type":"transferred","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r"}
            bad_time            | event_time | {"event_id":"e","schema_version":1,"event_type":"offered","event_time":"2023-09-01T08:00:00","call_id":"c","line":"l","caller_region":"r"}
            bad_time            | event_time | {"event_id":"e","schema_version":1,"event_type":"offered","event_time":"yesterday+08:00","call_id":"c","line":"l","caller_region":"r"}
            out_of_range        | wait_seconds | {"event_id":"e","schema_version":1,"event_type":"abandoned","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r","wait_seconds":-1}
            out_of_range        | line     | {"event_id":"e","schema_version":1,"event_type":"offered","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"","caller_region":"r"}
            unsupported_version | schema_version | {"event_id":"e","schema_version":2,"event_type":"offered","event_time":"2023-09-01T08:00:00+08:00","call_id":"c","line":"l","caller_region":"r"}
            """)
    void rejectsBadCallEventsWithTheirReason(String reason, String field, String json) {
        ParseResult<CallEvent> r = call(json);
        assertThat(r.isOk()).isFalse();
        assertThat(r.error().reason().code()).isEqualTo(reason);
        assertThat(r.error().field()).isEqualTo(field);
        assertThat(r.error().message()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            missing_field | due_time        | {"event_id":"e","schema_version":1,"event_type":"dispatched","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","unit_id":"u"}
            missing_field | new_due_time    | {"event_id":"e","schema_version":1,"event_type":"extension_granted","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","unit_id":"u"}
            missing_field | unit_id         | {"event_id":"e","schema_version":1,"event_type":"completed","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t"}
            missing_field | category        | {"event_id":"e","schema_version":1,"event_type":"created","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","channel":"phone","request_type":"help","region":"r"}
            missing_field | satisfied       | {"event_id":"e","schema_version":1,"event_type":"callback","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","callback_source":"system"}
            unknown_value | channel         | {"event_id":"e","schema_version":1,"event_type":"created","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","channel":"fax","request_type":"help","category":"c","region":"r"}
            unknown_value | callback_source | {"event_id":"e","schema_version":1,"event_type":"callback","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","callback_source":"robot","satisfied":true}
            wrong_type    | satisfied       | {"event_id":"e","schema_version":1,"event_type":"callback","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","callback_source":"system","satisfied":"yes"}
            wrong_type    | tags            | {"event_id":"e","schema_version":1,"event_type":"created","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","channel":"phone","request_type":"help","category":"c","region":"r","tags":"civilised_city"}
            out_of_range  | tags            | {"event_id":"e","schema_version":1,"event_type":"created","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","channel":"phone","request_type":"help","category":"c","region":"r","tags":["Civilised City"]}
            bad_time      | due_time        | {"event_id":"e","schema_version":1,"event_type":"dispatched","event_time":"2023-09-01T08:00:00+08:00","ticket_id":"t","unit_id":"u","due_time":"2023-09-06"}
            """)
    void rejectsBadTicketEventsWithTheirReason(String reason, String field, String json) {
        ParseResult<TicketEvent> r = ticket(json);
        assertThat(r.isOk()).isFalse();
        assertThat(r.error().reason().code()).isEqualTo(reason);
        assertThat(r.error().field()).isEqualTo(field);
    }

    @Test
    void refusesOversizedPayloadsBeforeParsing() {
        String padding = "x".repeat(EventParser.MAX_PAYLOAD_BYTES);
        ParseResult<CallEvent> r = call("{\"event_id\":\"" + padding + "\"}");
        assertThat(r.error().reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void refusesARecordWithNoValue() {
        assertThat(EventParser.parseCall(null).error().reason()).isEqualTo(Reason.INVALID_JSON);
    }

    @Test
    void ignoresUnknownExtraFieldsForForwardCompatibility() {
        assertThat(call(ANSWERED.replace("\"line\"", "\"queue_hint\":\"vip\",\"line\""))
                        .isOk())
                .isTrue();
    }
}
