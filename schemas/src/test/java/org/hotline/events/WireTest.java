package org.hotline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WireTest {

    private static final List<Class<? extends Enum<?>>> WIRE_ENUMS = List.of(
            CallEventType.class,
            TicketEventType.class,
            Channel.class,
            RequestType.class,
            Desk.class,
            CallbackSource.class,
            UnitGroup.class);

    @Test
    void everyConstantTravelsAsItsLowerCaseNameAndBack() {
        int seen = 0;
        for (Class<? extends Enum<?>> type : WIRE_ENUMS) {
            for (Enum<?> e : type.getEnumConstants()) {
                String wire = ((Wire) e).wire();
                assertThat(wire).isEqualTo(e.name().toLowerCase(Locale.ROOT));
                assertThat(parse(type, wire)).isSameAs(e);
                seen++;
            }
        }
        assertThat(seen).isGreaterThan(WIRE_ENUMS.size());
    }

    @Test
    void anUnknownNameOrNoneIsNoConstant() {
        assertThat(Wire.parse(Channel.class, "PHONE")).isNull(); // upper case is not the wire form
        assertThat(Wire.parse(Channel.class, "fax")).isNull();
        assertThat(Wire.parse(Channel.class, null)).isNull();
        assertThat(Wire.parse(Desk.class, "")).isNull();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Enum<?> parse(Class<? extends Enum<?>> type, String wire) {
        return Wire.parse((Class) type, wire);
    }
}
