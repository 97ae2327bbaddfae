package org.hotline.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema files are the published contract; the parser is its implementation. This test
 * runs the same documents through a standard JSON Schema validator and through the parser and
 * checks that both accept and reject the same ones.
 */
class SchemaConformanceTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonSchema schema(String name) throws Exception {
        try (InputStream in = SchemaConformanceTest.class.getResourceAsStream("/schemas/" + name)) {
            assertThat(in).as("schema %s on the classpath", name).isNotNull();
            // formats asserted: the contract's date-time is a date-time, not only a string ending in an offset
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(
                            in,
                            SchemaValidatorsConfig.builder()
                                    .formatAssertionsEnabled(true)
                                    .build());
        }
    }

    static Stream<String> callDocuments() {
        return Stream.concat(Stream.of(EventParserTest.ANSWERED, """
                        {"event_id":"e","schema_version":1,"event_type":"ended","event_time":"2023-09-01T08:00:00Z","call_id":"c","line":"l","caller_region":"r","talk_seconds":95}"""), invalidCallDocuments());
    }

    static Stream<String> invalidCallDocuments() {
        String base =
                "{\"event_id\":\"e\",\"schema_version\":1,\"event_type\":\"%s\",\"event_time\":\"2023-09-01T08:00:00+08:00\",\"call_id\":\"c\",\"line\":\"l\",\"caller_region\":\"r\"%s}";
        return Stream.of(
                String.format(base, "answered", ""),
                String.format(base, "abandoned", ",\"wait_seconds\":-3"),
                String.format(base, "ended", ""),
                String.format(base, "transferred", ""),
                String.format(base, "offered", ",\"agent_id\":\"\""),
                base.replace("\"schema_version\":1", "\"schema_version\":2").formatted("offered", ""));
    }

    static Stream<String> ticketDocuments() {
        String base =
                "{\"event_id\":\"e\",\"schema_version\":1,\"event_type\":\"%s\",\"event_time\":\"2023-09-01T08:00:00+08:00\",\"ticket_id\":\"t\"%s}";
        return Stream.of(
                EventParserTest.DISPATCHED,
                String.format(
                        base,
                        "created",
                        ",\"channel\":\"mayor_mailbox\",\"request_type\":\"complaint\",\"category\":\"路灯\",\"region\":\"雨湖区\",\"tags\":[\"civilised_city\"],\"desk\":\"deputy_desk\""),
                String.format(
                        base,
                        "created",
                        ",\"channel\":\"mayor_mailbox\",\"request_type\":\"complaint\",\"region\":\"雨湖区\""),
                String.format(base, "resolved_online", ""),
                String.format(base, "rejected", ",\"unit_id\":\"u\",\"reason\":\"not ours\""),
                String.format(base, "returned", ""),
                String.format(
                        base, "extension_granted", ",\"unit_id\":\"u\",\"new_due_time\":\"2023-09-09T08:00:00+08:00\""),
                String.format(base, "contacted", ",\"unit_id\":\"u\""),
                String.format(base, "completed", ",\"unit_id\":\"u\""),
                String.format(base, "callback", ",\"callback_source\":\"spot_check\",\"satisfied\":false"),
                String.format(base, "callback", ",\"callback_source\":\"spot_check\""),
                String.format(base, "callback", ",\"callback_source\":\"sms\",\"satisfied\":true"),
                String.format(
                        base,
                        "created",
                        ",\"channel\":\"phone\",\"request_type\":\"help\",\"category\":\"c\",\"region\":\"r\",\"tags\":[\"Bad Tag\"]"));
    }

    @ParameterizedTest
    @MethodSource("callDocuments")
    void parserAndSchemaAgreeOnCallEvents(String json) throws Exception {
        Set<ValidationMessage> problems = schema("call-event.schema.json").validate(MAPPER.readTree(json));
        boolean parsed = EventParser.parseCall(json.getBytes(UTF_8)).isOk();
        assertThat(parsed)
                .as("parser accepts %s; schema says %s", json, problems)
                .isEqualTo(problems.isEmpty());
    }

    @ParameterizedTest
    @MethodSource("ticketDocuments")
    void parserAndSchemaAgreeOnTicketEvents(String json) throws Exception {
        Set<ValidationMessage> problems = schema("ticket-event.schema.json").validate(MAPPER.readTree(json));
        boolean parsed = EventParser.parseTicket(json.getBytes(UTF_8)).isOk();
        assertThat(parsed)
                .as("parser accepts %s; schema says %s", json, problems)
                .isEqualTo(problems.isEmpty());
    }

    @Test
    void bothKindsOfDocumentAppearAboveSoTheAgreementIsNotVacuous() {
        List<String> calls = callDocuments().toList();
        long accepted = calls.stream()
                .filter(j -> EventParser.parseCall(j.getBytes(UTF_8)).isOk())
                .count();
        assertThat(accepted).isBetween(1L, calls.size() - 1L);
    }

    @Test
    void unitSchemaAcceptsTheReferenceFormat() throws Exception {
        JsonSchema unit = schema("unit.schema.json");
        JsonNode ok = MAPPER.readTree("{\"id\":\"u-yuhu\",\"name\":\"雨湖区人民政府\",\"group\":\"district\"}");
        JsonNode bad = MAPPER.readTree("{\"id\":\"u-x\",\"name\":\"X\",\"group\":\"company\"}");
        assertThat(unit.validate(ok)).isEmpty();
        assertThat(unit.validate(bad)).isNotEmpty();
        assertThat(Wire.parse(UnitGroup.class, "enterprise")).isEqualTo(UnitGroup.ENTERPRISE);
    }
}
