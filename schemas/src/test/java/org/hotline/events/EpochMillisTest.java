package org.hotline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The date-time reader digit by digit against the reference it replaces (the schemas' regular expression, then
 * {@link OffsetDateTime#parse}): the same shape accepted, the same instant, the same refusals, on hand-picked edges and
 * on a hundred thousand random strings near the shape.
 */
class EpochMillisTest {

    static final Pattern SHAPE =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    /** What the reference says: the instant, "shape" for another shape, or "invalid" when the parse refuses it. */
    static String reference(String s) {
        if (!SHAPE.matcher(s).matches()) {
            return "shape";
        }
        try {
            return Long.toString(OffsetDateTime.parse(s).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            return "invalid";
        }
    }

    static String fast(String s) {
        try {
            Long millis = EventParser.epochMillis(s);
            return millis == null ? "shape" : Long.toString(millis);
        } catch (DateTimeParseException e) {
            return "invalid";
        }
    }

    @Test
    void edgesReadAsTheParseReadsThem() {
        for (String s : new String[] {
            "2023-09-01T08:30:00+08:00",
            "2023-09-01T08:30:00.284+08:00",
            "2023-09-01T08:30:00Z",
            "2023-09-01T08:30:00.1Z",
            "2023-09-01T08:30:00.123456789-05:30",
            "2023-09-01T08:30:00.1234567891Z",
            "1969-12-31T23:59:59.999Z",
            "2024-02-29T00:00:00+00:00",
            "2023-02-29T00:00:00+00:00",
            "2023-04-31T00:00:00Z",
            "2023-09-01T24:00:00Z",
            "2023-09-01T23:59:60Z",
            "2023-09-01T08:30:00+18:00",
            "2023-09-01T08:30:00+18:01",
            "2023-09-01T08:30:00+05:60",
            "2023-09-01T08:30:00-00:00",
            "2023-13-01T08:30:00Z",
            "2023-00-10T08:30:00Z",
            "2023-09-00T08:30:00Z",
            "0000-01-01T00:00:00Z",
            "2023-09-01T08:30:00.Z",
            "2023-09-01t08:30:00Z",
            "2023-09-01T08:30:00z",
            "2023-09-01T08:30Z",
            "2023-09-01 08:30:00Z",
            "2023-09-01T08:30:00+0800",
            "２023-09-01T08:30:00Z",
            "2023-09-01T08:30:00.٣Z",
            ""
        }) {
            assertThat(fast(s)).as(s).isEqualTo(reference(s));
        }
        assertThat(EventParser.epochMillis("2023-09-01T08:30:00.284+08:00")).isEqualTo(1_693_528_200_284L);
        assertThatThrownBy(() -> EventParser.epochMillis("2023-04-31T00:00:00Z"))
                .isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void randomStringsNearTheShapeReadAsTheParseReadsThem() {
        Random random = new Random(42);
        String alphabet = "0123456789-:T.Z+ tz";
        int valid = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder(String.format(
                    "%04d-%02d-%02dT%02d:%02d:%02d",
                    random.nextInt(3000),
                    random.nextInt(14),
                    random.nextInt(33),
                    random.nextInt(26),
                    random.nextInt(62),
                    random.nextInt(62)));
            if (random.nextBoolean()) {
                s.append('.').append(Long.toString(Math.abs(random.nextLong())).substring(0, random.nextInt(12)));
            }
            s.append(
                    switch (random.nextInt(3)) {
                        case 0 -> "Z";
                        case 1 ->
                            String.format(
                                    "%s%02d:%02d",
                                    random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(62));
                        default -> "";
                    });
            for (int m = random.nextInt(3); m > 0 && s.length() > 0; m--) { // a few changed characters
                s.setCharAt(random.nextInt(s.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            String expected = reference(text);
            assertThat(fast(text)).as(text).isEqualTo(expected);
            valid += expected.matches("-?\\d+") ? 1 : 0;
        }
        assertThat(valid).as("many of them valid").isGreaterThan(10_000);
    }
}
