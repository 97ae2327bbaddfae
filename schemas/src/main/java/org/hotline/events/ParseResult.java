package org.hotline.events;

/** Either a parsed event or the reason it could not be parsed. Exactly one side is non-null. */
public record ParseResult<T>(T event, ParseError error) {

    public static <T> ParseResult<T> ok(T event) {
        return new ParseResult<>(event, null);
    }

    public static <T> ParseResult<T> failed(ParseError error) {
        return new ParseResult<>(null, error);
    }

    public boolean isOk() {
        return event != null;
    }
}
