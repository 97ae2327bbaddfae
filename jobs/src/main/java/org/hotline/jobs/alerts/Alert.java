package org.hotline.jobs.alerts;

/**
 * An alert's change of state: {@code firing} when its condition starts, {@code escalated} when it
 * gets worse (warning to critical), {@code resolved} when it ends. Fields that do not apply to the
 * rule are null. {@code key} identifies what the alert is about (a unit, a ticket, a topic, a line).
 * {@code detail} lists what the value counts where the rule names them (due_soon: the first tickets and their due
 * times), for the people notified; null otherwise.
 */
public record Alert(
        String rule,
        String key,
        String unit,
        String topic,
        String category,
        String ticketId,
        String severity,
        String state,
        double value,
        double threshold,
        Long windowStartMs,
        Long windowEndMs,
        long eventTimeMs,
        String detail) {

    /**
     * What an alert is about: its key, the unit, topic, category or ticket that apply (null where not) and the window its
     * value was measured over (null for a state, such as a backlog, rather than a window).
     */
    public record Subject(
            String key,
            String unit,
            String topic,
            String category,
            String ticketId,
            Long windowStartMs,
            Long windowEndMs) {

        /** A unit's own state (its backlog). */
        public static Subject unit(String unit) {
            return new Subject(unit, unit, null, null, null, null, null);
        }

        /** A unit's returns in one category over a window; {@code key} names both. */
        public static Subject returns(String key, String unit, String category, long fromMs, long toMs) {
            return new Subject(key, unit, null, category, null, fromMs, toMs);
        }

        /** A ticket, held by {@code unit}, in {@code category}. */
        public static Subject ticket(String ticketId, String unit, String category) {
            return new Subject(ticketId, unit, null, category, ticketId, null, null);
        }

        /** A topic or a category (whichever is not null) over a window. */
        public static Subject hotspot(String key, String topic, String category, long fromMs, long toMs) {
            return new Subject(key, null, topic, category, null, fromMs, toMs);
        }

        /** A unit's open tickets falling due within a window. */
        public static Subject dueSoon(String unit, long fromMs, long toMs) {
            return new Subject(unit, unit, null, null, null, fromMs, toMs);
        }

        /** A phone line over a window. */
        public static Subject line(String line, long fromMs, long toMs) {
            return new Subject(line, null, null, null, null, fromMs, toMs);
        }
    }

    /**
     * An alert about {@code subject}: {@code rule} changed to {@code state} at {@code eventTimeMs}; {@code detail} as
     * the rule gives it, or null.
     */
    public static Alert of(
            String rule,
            Subject subject,
            String severity,
            String state,
            double value,
            double threshold,
            long eventTimeMs,
            String detail) {
        return new Alert(
                rule,
                subject.key(),
                subject.unit(),
                subject.topic(),
                subject.category(),
                subject.ticketId(),
                severity,
                state,
                value,
                threshold,
                subject.windowStartMs(),
                subject.windowEndMs(),
                eventTimeMs,
                detail);
    }
}
