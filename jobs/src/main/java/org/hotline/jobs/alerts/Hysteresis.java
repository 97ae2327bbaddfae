package org.hotline.jobs.alerts;

import java.io.Serializable;

/**
 * Thresholds with hysteresis: an alert fires at the warning level, escalates at the critical level,
 * and is resolved only once the value is back past the clear level, so a value hovering at a
 * threshold does not flap. It does not step down from critical to warning: it stays until resolved.
 */
public record Hysteresis(double warning, double critical, double clear, boolean higherIsWorse) implements Serializable {

    public enum Level {
        NONE,
        WARNING,
        CRITICAL
    }

    /** What changed, if anything: the new level and the state to report ({@code null} when nothing changed). */
    public record Step(Level level, String state) {}

    public Step next(Level current, double value) {
        boolean critical = worseOrEqual(value, this.critical);
        boolean warning = worseOrEqual(value, this.warning);
        boolean cleared = higherIsWorse ? value < clear : value > clear;
        return switch (current) {
            case NONE ->
                critical
                        ? new Step(Level.CRITICAL, "firing")
                        : warning ? new Step(Level.WARNING, "firing") : new Step(Level.NONE, null);
            case WARNING ->
                critical
                        ? new Step(Level.CRITICAL, "escalated")
                        : cleared ? new Step(Level.NONE, "resolved") : new Step(Level.WARNING, null);
            case CRITICAL -> cleared ? new Step(Level.NONE, "resolved") : new Step(Level.CRITICAL, null);
        };
    }

    private boolean worseOrEqual(double value, double threshold) {
        return higherIsWorse ? value >= threshold : value <= threshold;
    }

    /** The threshold an alert at {@code level} was measured against. */
    public double threshold(Level level) {
        return level == Level.CRITICAL ? critical : warning;
    }

    public static String severity(Level level) {
        return level == Level.CRITICAL ? "critical" : "warning";
    }
}
