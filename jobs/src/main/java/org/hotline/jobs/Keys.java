package org.hotline.jobs;

/**
 * The job's composite keys and slices (a line and caller region, a dimension and its value, a span and its slice):
 * their parts joined by the unit separator (U+001F), which no name, id or number contains. The strings are part of
 * the keyed state in checkpoints, so the form never changes.
 */
public final class Keys {
    private Keys() {}

    public static final char SEPARATOR = '\u001f';

    /** {@code a} and {@code b} as one key (a null part reads "null", as string concatenation has it). */
    public static String join(Object a, Object b) {
        return String.valueOf(a) + SEPARATOR + b;
    }

    /** {@code a} (a time, epoch ms) and {@code b} as one key, as {@link #join(Object, Object)} makes it, without boxing. */
    public static String join(long a, Object b) {
        return a + SEPARATOR_STRING + b;
    }

    private static final String SEPARATOR_STRING = String.valueOf(SEPARATOR);

    /** The part before the first separator. */
    public static String first(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    /** What follows the first separator. */
    public static String rest(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }
}
