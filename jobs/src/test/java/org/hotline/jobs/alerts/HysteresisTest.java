package org.hotline.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alerts fire once, escalate, and resolve only past the clear level: no flapping at a threshold. */
class HysteresisTest {

    /** The states reported for a run of values. */
    static List<String> states(Hysteresis h, double... values) {
        List<String> out = new ArrayList<>();
        Hysteresis.Level level = Hysteresis.Level.NONE;
        for (double v : values) {
            Hysteresis.Step step = h.next(level, v);
            if (step.state() != null) {
                out.add(step.state() + "@" + v);
            }
            level = step.level();
        }
        return out;
    }

    @Test
    void firesOnceEscalatesAndResolvesBelowTheClearLevel() {
        Hysteresis backlog = new Hysteresis(5, 20, 2.5, true);
        assertThat(states(backlog, 3, 5, 6, 5, 4, 3, 21, 30, 19, 5, 2))
                .containsExactly("firing@5.0", "escalated@21.0", "resolved@2.0");
    }

    @Test
    void aValueHoveringAtTheThresholdDoesNotFlap() {
        Hysteresis h = new Hysteresis(10, 30, 5, true);
        assertThat(states(h, 9, 10, 9, 10, 9, 10, 6, 10)).containsExactly("firing@10.0");
    }

    @Test
    void aCriticalValueFiresAsCriticalAndDoesNotStepDown() {
        Hysteresis h = new Hysteresis(10, 30, 5, true);
        List<String> s = states(h, 40, 15, 12, 4);
        assertThat(s).containsExactly("firing@40.0", "resolved@4.0");
        assertThat(Hysteresis.severity(h.next(Hysteresis.Level.NONE, 40).level()))
                .isEqualTo("critical");
    }

    @Test
    void lowerIsWorseForRates() {
        Hysteresis rate = new Hysteresis(80, 70, 82, false);
        assertThat(states(rate, 90, 80, 81, 79, 69, 81, 83))
                .containsExactly("firing@80.0", "escalated@69.0", "resolved@83.0");
    }

    @Test
    void rulesAreOverriddenByGroupThenUnit() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "rules", ".yaml");
        java.nio.file.Files.writeString(file, """
                defaults:
                  backlog: {warning: 5, critical: 20}
                groups:
                  district: {backlog: {warning: 50}}
                units:
                  市医保局: {backlog: {warning: 1, critical: 3}}
                """);
        AlertRules rules = AlertRules.load(file, Map.of("雨湖区人民政府", "district", "市医保局", "department"));
        assertThat(AlertRules.higher(rules.settings("backlog", "雨湖区人民政府"))).isEqualTo(new Hysteresis(50, 20, 40, true));
        assertThat(AlertRules.higher(rules.settings("backlog", "市医保局")).warning())
                .isEqualTo(1);
        assertThat(AlertRules.higher(rules.settings("backlog", "市城管局")).warning())
                .isEqualTo(5);
        java.nio.file.Files.delete(file);
    }
}
