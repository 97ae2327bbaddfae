package org.hotline.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The one parser for call and ticket events, used by every job and tool. It accepts what the JSON
 * Schema files in schemas/ accept and returns a typed {@link ParseError} for anything else; it
 * never throws on input.
 */
public final class EventParser {

    /** Payloads above this size are refused before parsing: no event needs more. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TAG = Pattern.compile("[a-z][a-z0-9_]*");

    private EventParser() {}

    /**
     * Epoch milliseconds of an RFC 3339 date-time with an explicit offset, as the schemas' pattern has it
     * ({@code \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})}), or null for another shape; a value out
     * of range (a 31 April, an hour 24) throws as {@link OffsetDateTime#parse} does. Every event carries one or more, so
     * the usual case is read digit by digit: this is a few times faster than the regular expression and the parse.
     */
    static Long epochMillis(String s) {
        int n = s.length();
        if (n < 20
                || !digits(s, 0, 4)
                || s.charAt(4) != '-'
                || !digits(s, 5, 7)
                || s.charAt(7) != '-'
                || !digits(s, 8, 10)
                || s.charAt(10) != 'T'
                || !digits(s, 11, 13)
                || s.charAt(13) != ':'
                || !digits(s, 14, 16)
                || s.charAt(16) != ':'
                || !digits(s, 17, 19)) {
            return null;
        }
        int i = 19;
        long nanos = 0;
        int fraction = 0;
        if (s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (fraction < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                }
                fraction++;
                i++;
            }
            if (fraction == 0) {
                return null;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6
                && (s.charAt(i) == '+' || s.charAt(i) == '-')
                && digits(s, i + 1, i + 3)
                && s.charAt(i + 3) == ':'
                && digits(s, i + 4, i + 6)) {
            int hours = number(s, i + 1, i + 3);
            int minutes = number(s, i + 4, i + 6);
            if (hours > 18 || minutes > 59 || hours == 18 && minutes > 0) {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli(); // out of range: throws as the parse does
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        int hour = number(s, 11, 13);
        int minute = number(s, 14, 16);
        int second = number(s, 17, 19);
        int month = number(s, 5, 7);
        int day = number(s, 8, 10);
        if (fraction > 9
                || hour > 23
                || minute > 59
                || second > 59
                || month < 1
                || month > 12
                || day < 1
                || day > java.time.YearMonth.of(number(s, 0, 4), month).lengthOfMonth()) {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli(); // out of range: throws as the parse does
        }
        for (int k = fraction; k < 9; k++) {
            nanos *= 10;
        }
        long epochDay = java.time.LocalDate.of(number(s, 0, 4), month, day).toEpochDay();
        long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1000 + nanos / 1_000_000;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    public static ParseResult<CallEvent> parseCall(byte[] payload) {
        try {
            Fields f = open(payload);
            CallEventType type = f.requiredEnum("event_type", CallEventType.class);
            boolean answered = type == CallEventType.ANSWERED;
            boolean waited = answered || type == CallEventType.ABANDONED;
            return ParseResult.ok(new CallEvent(
                    f.string("event_id", true, 128),
                    f.version(),
                    type,
                    f.time("event_time", true),
                    f.string("call_id", true, 128),
                    f.string("line", true, 64),
                    f.string("caller_region", true, 64),
                    f.string("agent_id", answered, 64),
                    f.seconds("wait_seconds", waited),
                    f.seconds("talk_seconds", type == CallEventType.ENDED)));
        } catch (Invalid e) {
            return ParseResult.failed(e.error);
        }
    }

    public static ParseResult<TicketEvent> parseTicket(byte[] payload) {
        try {
            Fields f = open(payload);
            TicketEventType type = f.requiredEnum("event_type", TicketEventType.class);
            boolean created = type == TicketEventType.CREATED;
            boolean unitStep = switch (type) {
                case DISPATCHED, REJECTED, RETURNED, EXTENSION_GRANTED, CONTACTED, COMPLETED -> true;
                default -> false;
            };
            boolean callback = type == TicketEventType.CALLBACK;
            return ParseResult.ok(new TicketEvent(
                    f.string("event_id", true, 128),
                    f.version(),
                    type,
                    f.time("event_time", true),
                    f.string("ticket_id", true, 128),
                    f.string("call_id", false, 128),
                    f.optionalEnum("channel", Channel.class, created),
                    f.optionalEnum("request_type", RequestType.class, created),
                    f.string("category", created, 64),
                    f.string("topic", false, 128),
                    f.string("region", created, 64),
                    f.tags(),
                    f.optionalEnum("desk", Desk.class, false),
                    f.string("unit_id", unitStep, 64),
                    f.time("due_time", type == TicketEventType.DISPATCHED),
                    f.time("new_due_time", type == TicketEventType.EXTENSION_GRANTED),
                    f.text("reason", 512),
                    f.optionalEnum("callback_source", CallbackSource.class, callback),
                    f.bool("satisfied", callback)));
        } catch (Invalid e) {
            return ParseResult.failed(e.error);
        }
    }

    private static Fields open(byte[] payload) {
        if (payload == null) {
            throw new Invalid(Reason.INVALID_JSON, null, "empty record (no value)");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new Invalid(
                    Reason.TOO_LARGE, null, "payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new Invalid(Reason.INVALID_JSON, null, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new Invalid(Reason.INVALID_JSON, null, firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new Invalid(Reason.INVALID_JSON, null, "empty payload");
        }
        if (!root.isObject()) {
            throw new Invalid(Reason.NOT_AN_OBJECT, null, "expected a JSON object, got " + root.getNodeType());
        }
        return new Fields(root);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed access to an object's fields; every accessor throws {@link Invalid} with the field's name. */
    private record Fields(JsonNode root) {

        JsonNode present(String name, boolean required) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                if (required) {
                    throw new Invalid(Reason.MISSING_FIELD, name, name + " is required");
                }
                return null;
            }
            return n;
        }

        String string(String name, boolean required, int maxLength) {
            JsonNode n = present(name, required);
            if (n == null) {
                return null;
            }
            if (!n.isTextual()) {
                throw new Invalid(Reason.WRONG_TYPE, name, name + " must be a string, got " + n.getNodeType());
            }
            String s = n.textValue();
            int characters =
                    s.codePointCount(0, s.length()); // as JSON Schema counts: a character outside the BMP is one
            if (characters == 0 || characters > maxLength) {
                throw new Invalid(
                        Reason.OUT_OF_RANGE,
                        name,
                        name + " must have 1 to " + maxLength + " characters, has " + characters);
            }
            return s;
        }

        /** Free text: may be empty. */
        String text(String name, int maxLength) {
            JsonNode n = present(name, false);
            if (n == null) {
                return null;
            }
            if (!n.isTextual()) {
                throw new Invalid(Reason.WRONG_TYPE, name, name + " must be a string, got " + n.getNodeType());
            }
            if (n.textValue().codePointCount(0, n.textValue().length()) > maxLength) {
                throw new Invalid(Reason.OUT_OF_RANGE, name, name + " is longer than " + maxLength);
            }
            return n.textValue();
        }

        int version() {
            JsonNode n = present("schema_version", true);
            Long v = whole(n);
            if (v == null) {
                throw new Invalid(Reason.WRONG_TYPE, "schema_version", "schema_version must be an integer");
            }
            if (v != SCHEMA_VERSION) {
                throw new Invalid(
                        Reason.UNSUPPORTED_VERSION,
                        "schema_version",
                        "schema_version " + n.asText() + " is not supported (this build reads " + SCHEMA_VERSION + ")");
            }
            return SCHEMA_VERSION;
        }

        Long time(String name, boolean required) {
            String s = string(name, required, 64);
            if (s == null) {
                return null;
            }
            try {
                Long millis = epochMillis(s);
                if (millis == null) {
                    throw new Invalid(
                            Reason.BAD_TIME,
                            name,
                            name + " '" + s + "' is not a date-time like "
                                    + "2023-09-01T08:30:00+08:00 (seconds and a time zone offset included)");
                }
                return millis;
            } catch (DateTimeParseException e) {
                throw new Invalid(Reason.BAD_TIME, name, name + " '" + s + "' is not an ISO-8601 date-time");
            }
        }

        Integer seconds(String name, boolean required) {
            JsonNode n = present(name, required);
            if (n == null) {
                return null;
            }
            Long v = whole(n);
            if (v == null) {
                throw new Invalid(
                        Reason.WRONG_TYPE, name, name + " must be an integer, got " + n.getNodeType() + " " + n);
            }
            if (v < 0 || v > 86_400) {
                throw new Invalid(Reason.OUT_OF_RANGE, name, name + " must be within 0..86400, got " + n.asText());
            }
            return v.intValue();
        }

        /**
         * A whole number as JSON Schema counts one, 5 and 5.0 alike (clamped to the long range), or null for
         * anything else (5.5, "5").
         */
        static Long whole(JsonNode n) {
            if (n.isIntegralNumber()) {
                return n.canConvertToLong()
                        ? n.longValue()
                        : n.bigIntegerValue().signum() * Long.MAX_VALUE;
            }
            if (n.isFloatingPointNumber()) {
                double d = n.doubleValue();
                return d == Math.rint(d) && !Double.isInfinite(d) ? (long) d : null;
            }
            return null;
        }

        Boolean bool(String name, boolean required) {
            JsonNode n = present(name, required);
            if (n == null) {
                return null;
            }
            if (!n.isBoolean()) {
                throw new Invalid(Reason.WRONG_TYPE, name, name + " must be true or false, got " + n.getNodeType());
            }
            return n.booleanValue();
        }

        <E extends Enum<E>> E requiredEnum(String name, Class<E> type) {
            return optionalEnum(name, type, true);
        }

        <E extends Enum<E>> E optionalEnum(String name, Class<E> type, boolean required) {
            JsonNode n = present(name, required);
            if (n == null) {
                return null;
            }
            if (!n.isTextual()) {
                throw new Invalid(Reason.WRONG_TYPE, name, name + " must be a string, got " + n.getNodeType());
            }
            E e = Wire.parse(type, n.textValue());
            if (e == null) {
                throw new Invalid(
                        Reason.UNKNOWN_VALUE, name, name + " '" + n.textValue() + "' is not one of the known values");
            }
            return e;
        }

        String[] tags() {
            JsonNode n = present("tags", false);
            if (n == null) {
                return new String[0];
            }
            if (!n.isArray()) {
                throw new Invalid(Reason.WRONG_TYPE, "tags", "tags must be an array of strings");
            }
            String[] tags = new String[n.size()];
            for (int i = 0; i < tags.length; i++) {
                JsonNode t = n.get(i);
                if (!t.isTextual()) {
                    throw new Invalid(Reason.WRONG_TYPE, "tags", "tags[" + i + "] must be a string");
                }
                if (!TAG.matcher(t.textValue()).matches()) {
                    throw new Invalid(
                            Reason.OUT_OF_RANGE,
                            "tags",
                            "tags[" + i + "] '" + t.textValue()
                                    + "' must be lower-case letters, digits and underscores");
                }
                tags[i] = t.textValue();
            }
            return tags;
        }
    }

    /** Internal control flow for the first problem found; never leaves this class. */
    private static final class Invalid extends RuntimeException {
        final ParseError error;

        Invalid(Reason reason, String field, String message) {
            super(message, null, false, false);
            this.error = new ParseError(reason, field, message);
        }
    }
}
