package org.hotline.events;

import java.util.Locale;

/** Why a record was kept aside in the dead-letter table instead of being counted. */
public enum Reason {
    /** Not parseable as JSON. */
    INVALID_JSON,
    /** JSON, but not an object. */
    NOT_AN_OBJECT,
    /** Larger than the parser accepts. */
    TOO_LARGE,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type. */
    WRONG_TYPE,
    /** An enumerated field has a value the contract does not know. */
    UNKNOWN_VALUE,
    /** A time is not ISO-8601 with an explicit offset. */
    BAD_TIME,
    /** A number or string outside its allowed range or length. */
    OUT_OF_RANGE,
    /** A schema version this build does not read. */
    UNSUPPORTED_VERSION,
    /** The same step was already seen (a redelivery or a resend). */
    DUPLICATE,
    /** Arrived after its window's allowed lateness: its window was already final. */
    LATE,
    /** A ticket step that its ticket's life does not allow (e.g. completed by a unit it is not assigned to). */
    INVALID_STEP,
    /** A ticket step naming a unit that the reference data (the units table) does not know. */
    UNKNOWN_UNIT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
