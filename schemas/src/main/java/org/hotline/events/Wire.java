package org.hotline.events;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Enums travel on the wire as their lower-case names (e.g. {@code resolved_online}). */
public interface Wire {
    String name();

    /** The lower-case name (worked out once per enum: every event written and stored asks for it). */
    default String wire() {
        Enum<?> e = (Enum<?>) this;
        return Names.OF.get(e.getDeclaringClass()).wire[e.ordinal()];
    }

    /** The constant whose {@link #wire} name is {@code value}; null for none. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return type.cast(Names.OF.get(type).byWire.get(value));
    }

    /** An enum's wire names, by ordinal and the other way round. */
    final class Names {
        private static final ClassValue<Names> OF = new ClassValue<>() {
            @Override
            protected Names computeValue(Class<?> type) {
                return new Names(type.getEnumConstants());
            }
        };

        private final String[] wire;
        private final Map<String, Object> byWire = new HashMap<>();

        private Names(Object[] constants) {
            wire = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                wire[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
                byWire.put(wire[i], constants[i]);
            }
        }
    }
}
