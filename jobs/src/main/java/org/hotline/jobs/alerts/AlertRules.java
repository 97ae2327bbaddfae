package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The alert rules (alert-rules.yaml beside the defaults, or a file of one's own): each rule's
 * settings under {@code defaults}, overridden per assessment group under {@code groups} and per
 * unit under {@code units}. Rules about a unit pass its id; the others read the defaults.
 */
public final class AlertRules implements Serializable {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String yaml;
    private transient JsonNode root;
    private final Map<String, String> unitGroups;

    private AlertRules(String yaml, Map<String, String> unitGroups) {
        this.yaml = yaml;
        this.unitGroups = unitGroups;
    }

    /** The built-in rules, or {@code file} when given; {@code unitGroups} maps unit ids to their group. */
    public static AlertRules load(Path file, Map<String, String> unitGroups) {
        try {
            String text;
            if (file == null) {
                try (InputStream in = AlertRules.class.getResourceAsStream("/alert-rules.yaml")) {
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(file);
            }
            AlertRules rules = new AlertRules(text, new HashMap<>(unitGroups));
            rules.tree().path("defaults").fieldNames().forEachRemaining(rule -> rules.settings(rule, null));
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the alert rules: " + e.getMessage(), e);
        }
    }

    /** The units the reference data knows (empty when none was loaded). */
    public java.util.Set<String> units() {
        return java.util.Set.copyOf(unitGroups.keySet());
    }

    private JsonNode tree() {
        if (root == null) {
            try {
                root = YAML.readTree(yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** A rule's settings: defaults, then the unit's group, then the unit itself. */
    public JsonNode settings(String rule, String unit) {
        JsonNode defaults = tree().path("defaults").path(rule);
        if (!defaults.isObject()) {
            throw new IllegalArgumentException("the alert rules have no defaults for rule '" + rule + "'");
        }
        ObjectNode merged = defaults.deepCopy();
        if (unit != null) {
            String group = unitGroups.get(unit);
            if (group != null) {
                overlay(merged, tree().path("groups").path(group).path(rule));
            }
            overlay(merged, tree().path("units").path(unit).path(rule));
        }
        return merged;
    }

    private static void overlay(ObjectNode base, JsonNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            base.set(e.getKey(), e.getValue());
        }
    }

    /** Thresholds of a rule whose value is worse when higher, resolved below {@code clear_ratio} of the warning level. */
    public static Hysteresis higher(JsonNode settings) {
        double warning = number(settings, "warning");
        return new Hysteresis(
                warning,
                number(settings, "critical"),
                warning * settings.path("clear_ratio").asDouble(0.8),
                true);
    }

    /** Thresholds of a rule whose value is worse when lower, resolved above the warning level plus {@code clear_margin}. */
    public static Hysteresis lower(JsonNode settings) {
        double warning = number(settings, "warning");
        return new Hysteresis(
                warning,
                number(settings, "critical"),
                warning + settings.path("clear_margin").asDouble(1),
                false);
    }

    public static double number(JsonNode settings, String field) {
        JsonNode n = settings.get(field);
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException("alert rule setting '" + field + "' must be a number");
        }
        return n.asDouble();
    }
}
