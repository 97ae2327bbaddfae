package org.hotline.jobs.tickets;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.hotline.jobs.serial.FactSerializer;

/**
 * One contribution of a ticket to the counts: a kind, the slice it counts in ({@code unit} and the
 * unit's id, or a city-wide dimension and its value) and the event time it counts at. {@code sign}
 * is +1, or -1 when a late event changed the ticket's history and a fact no longer holds.
 */
@TypeInfo(FactSerializer.Factory.class)
public record Fact(FactKind kind, String dimension, String value, long timeMs, int sign) {

    public Fact negate() {
        return new Fact(kind, dimension, value, timeMs, -sign);
    }

    /** The fact without its sign: what is compared when a ticket's facts are recomputed. */
    Fact positive() {
        return sign == 1 ? this : negate();
    }
}
