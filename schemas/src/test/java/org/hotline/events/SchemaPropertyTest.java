package org.hotline.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser and the published schema agree on many thousands of documents generated from the schema files
 * themselves: for every property, values derived from what the schema declares (its types, enums, lengths
 * counted in characters, ranges, formats and patterns), on both sides of every limit, and absent; put
 * together at random onto a valid event of every type. A standard JSON Schema validator is the judge.
 */
class SchemaPropertyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int DOCUMENTS = 4_000;

    @ParameterizedTest
    @ValueSource(strings = {"call-event.schema.json", "ticket-event.schema.json"})
    void theParserAcceptsExactlyTheDocumentsTheSchemaAccepts(String file) throws Exception {
        JsonNode schemaDoc;
        try (InputStream in = SchemaPropertyTest.class.getResourceAsStream("/schemas/" + file)) {
            schemaDoc = JSON.readTree(in);
        }
        JsonSchema schema = SchemaConformanceTest.schema(file);
        boolean calls = file.startsWith("call");
        Predicate<String> parser = json -> calls
                ? EventParser.parseCall(json.getBytes(UTF_8)).isOk()
                : EventParser.parseTicket(json.getBytes(UTF_8)).isOk();
        Map<String, List<JsonNode>> candidates = candidates(schemaDoc.get("properties"), new Random(7));
        List<ObjectNode> bases = bases(schemaDoc, candidates, schema);
        assertThat(bases)
                .as("a valid event of every type, built from the schema")
                .hasSize(schemaDoc.at("/properties/event_type/enum").size());

        Random random = new Random(2023);
        List<String> fields = new ArrayList<>(candidates.keySet());
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < DOCUMENTS; i++) {
            ObjectNode doc = bases.get(random.nextInt(bases.size())).deepCopy();
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                String field = fields.get(random.nextInt(fields.size()));
                if (random.nextInt(8) == 0) {
                    doc.remove(field);
                } else {
                    List<JsonNode> values = candidates.get(field);
                    doc.set(field, values.get(random.nextInt(values.size())));
                }
            }
            String json = doc.toString();
            boolean valid = schema.validate(doc).isEmpty();
            accepted += valid ? 1 : 0;
            if (parser.test(json) != valid) {
                disagreements.add(
                        (valid ? "schema accepts, parser refuses: " : "schema refuses, parser accepts: ") + json);
            }
        }
        assertThat(disagreements)
                .as("documents the parser and the schema disagree on")
                .isEmpty();
        assertThat(accepted)
                .as("valid and invalid documents both generated")
                .isBetween(DOCUMENTS / 20, DOCUMENTS - DOCUMENTS / 20);
    }

    /** For each property, values on both sides of what the schema declares for it. */
    static Map<String, List<JsonNode>> candidates(JsonNode properties, Random random) {
        Map<String, List<JsonNode>> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode spec = p.getValue();
            List<JsonNode> values = new ArrayList<>();
            List<String> types = new ArrayList<>();
            spec.path("type").forEach(t -> types.add(t.asText()));
            if (spec.path("type").isTextual()) {
                types.add(spec.get("type").asText());
            }
            if (spec.has("const")) {
                JsonNode c = spec.get("const");
                values.add(c);
                values.add(NODES.numberNode(c.asDouble())); // 1.0: the same number
                values.add(NODES.numberNode(c.asInt() + 1));
                values.add(NODES.textNode(c.asText()));
            }
            if (spec.has("enum")) {
                spec.get("enum").forEach(values::add);
                String first = spec.get("enum").get(0).asText();
                values.add(NODES.textNode(first.toUpperCase()));
                values.add(NODES.textNode(first + "_x"));
                values.add(NODES.textNode(""));
                values.add(NODES.numberNode(1));
            }
            if (types.contains("string")) {
                values.addAll(strings(spec, random));
            }
            if (types.contains("integer")) {
                long min = spec.path("minimum").asLong(0);
                long max = spec.path("maximum").asLong(1_000);
                for (long v : new long[] {min, min - 1, max, max + 1, (min + max) / 2}) {
                    values.add(NODES.numberNode(v));
                }
                values.add(NODES.numberNode((double) max)); // 86400.0: an integer to JSON Schema
                values.add(NODES.numberNode(min + 0.5));
                values.add(NODES.numberNode(1e20));
                values.add(NODES.textNode(Long.toString(max)));
            }
            if (types.contains("boolean")) {
                values.add(NODES.booleanNode(true));
                values.add(NODES.booleanNode(false));
                values.add(NODES.textNode("true"));
                values.add(NODES.numberNode(0));
            }
            if (types.contains("array")) {
                values.add(NODES.arrayNode());
                values.add(NODES.arrayNode().add("civilised_city").add("deputy_2"));
                values.add(NODES.arrayNode().add("Civilised City"));
                values.add(NODES.arrayNode().add(""));
                values.add(NODES.arrayNode().add(5));
                values.add(NODES.textNode("civilised_city"));
            }
            if (types.contains("null") || spec.path("enum").toString().contains("null")) {
                values.add(NODES.nullNode());
            } else {
                values.add(NODES.nullNode()); // refused: not nullable
            }
            values.add(NODES.objectNode().put("x", 1));
            out.put(p.getKey(), values);
        }
        return out;
    }

    /** Strings at and past the declared lengths, counted in characters (some outside the BMP), and formats. */
    static List<JsonNode> strings(JsonNode spec, Random random) {
        List<JsonNode> values = new ArrayList<>();
        int min = spec.path("minLength").asInt(0);
        int max = spec.path("maxLength").asInt(200);
        if ("date-time".equals(spec.path("format").asText())) {
            for (String t : List.of(
                    "2023-09-01T08:30:00+08:00",
                    "2023-09-01T08:30:00Z",
                    "2023-09-01T08:30:00.250+08:00",
                    "2023-09-30T23:59:59-05:00",
                    "2023-09-01T08:30:00",
                    "2023-09-01",
                    "2023-13-01T08:00:00+08:00",
                    "2023-09-01 08:30:00+08:00",
                    "yesterday+08:00",
                    "")) {
                values.add(NODES.textNode(t));
            }
            return values;
        }
        if (spec.has("pattern")) {
            values.add(NODES.textNode("civilised_city"));
            values.add(NODES.textNode("Civilised"));
        }
        for (int length : new int[] {min, Math.max(min, 1), max, max + 1, Math.max(0, min - 1)}) {
            values.add(NODES.textNode(text(length, random, false)));
            values.add(NODES.textNode(text(length, random, true)));
        }
        values.add(NODES.textNode(" "));
        return values;
    }

    /** {@code length} characters: CJK, or (wide) outside the Basic Multilingual Plane, two UTF-16 units each. */
    static String text(int length, Random random, boolean wide) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.appendCodePoint(wide ? 0x20000 + random.nextInt(1000) : 0x4E00 + random.nextInt(2000));
        }
        return b.toString();
    }

    /** A valid document of each event type: every required field, and those its type requires, filled in. */
    static List<ObjectNode> bases(JsonNode schemaDoc, Map<String, List<JsonNode>> candidates, JsonSchema schema) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode type : schemaDoc.at("/properties/event_type/enum")) {
            ObjectNode doc = NODES.objectNode();
            doc.put("event_type", type.asText());
            for (String field : candidates.keySet()) {
                if (field.equals("event_type")) {
                    continue;
                }
                for (JsonNode v : candidates.get(field)) {
                    ObjectNode attempt = doc.deepCopy();
                    attempt.set(field, v);
                    if (!v.isNull()
                            && schema.validate(attempt).stream()
                                    .noneMatch(m ->
                                            m.getInstanceLocation().toString().contains(field))) {
                        doc.set(field, v);
                        break;
                    }
                }
            }
            if (schema.validate(doc).isEmpty()) {
                out.add(doc);
            }
        }
        return out;
    }
}
