package org.hotline.events;

import java.util.Locale;

/** Enums travel on the wire as their lower-case names (e.g. {@code resolved_online}). */
public interface Wire {
    String name();

    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
                return e;
            }
        }
        return null;
    }
}
