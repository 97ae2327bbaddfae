package org.hotline.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.hotline.jobs.JobSettings;

/**
 * All settings, in three layers: the bundled defaults (hotline-defaults.yaml), an optional YAML
 * file, then the environment ({@code HOTLINE_<SECTION>_<KEY>}). An unknown key is an error, so a
 * typo never silently falls back to a default.
 */
public final class HotlineConfig {

    public Kafka kafka;
    public ClickHouse clickhouse;
    public Job job;
    public Wallboard wallboard;
    public Alerts alerts;

    public static final class Kafka {
        public String bootstrapServers;
        public String callsTopic;
        public String ticketsTopic;
        public String alertsTopic;
        public String groupId;
        public Map<String, String> properties = new HashMap<>();

        public Properties clientProperties() {
            Properties p = new Properties();
            p.putAll(properties);
            return p;
        }
    }

    public static final class ClickHouse {
        public String url;
        public String database;
        /** A cluster name from the servers' remote_servers, or empty for one server. */
        public String cluster;

        public String user;
        public String password;
        /** native or jdbc: {@link org.hotline.jobs.io.ClickHouseSinks.Writer}. */
        public String writer;

        public org.hotline.jobs.io.ClickHouseSinks.Writer writer() {
            return org.hotline.jobs.io.ClickHouseSinks.Writer.of(writer);
        }

        public org.hotline.sql.ClusterLayout layout() {
            return org.hotline.sql.ClusterLayout.of(cluster);
        }
    }

    public static final class Job {
        public int parallelism;
        public int checkpointIntervalSeconds;
        public String checkpointDir;
        public String alertRules;
        public int maxAheadSeconds;
        public int outOfOrdernessSeconds;
        public int idlenessSeconds;
        public int allowedLatenessSeconds;
        public int dedupRetentionHours;
        public int ticketRetentionDays;
        public int earlyUpdateSeconds;
        public int sinkBatchSize;
        public long sinkFlushIntervalMs;
        public int unitsRefreshSeconds;

        public JobSettings settings() {
            return new JobSettings(
                    Duration.ofSeconds(outOfOrdernessSeconds),
                    Duration.ofSeconds(idlenessSeconds),
                    Duration.ofSeconds(allowedLatenessSeconds),
                    Duration.ofHours(dedupRetentionHours),
                    Duration.ofDays(ticketRetentionDays),
                    Duration.ofSeconds(earlyUpdateSeconds),
                    Duration.ofSeconds(unitsRefreshSeconds));
        }
    }

    /** The live page: where it listens and the read-only ClickHouse user it reads with. */
    public static final class Wallboard {
        public String host;
        public int port;
        public String user;
        public String password;
        public int refreshMs;
        public int staleAfterSeconds;
    }

    /** Where alerts reach people: Prometheus Alertmanager (empty URL: nowhere but ClickHouse, Kafka and the wallboard). */
    public static final class Alerts {
        public String alertmanagerUrl;
        public int resendSeconds;
        public String wallboardUrl;

        /** The wallboard's address as the notifications link to it: the configured one, or the wallboard's own. */
        public String wallboardLink(Wallboard w) {
            if (wallboardUrl != null && !wallboardUrl.isBlank()) {
                return wallboardUrl;
            }
            return "http://" + w.host + ":" + w.port + "/";
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Defaults, then {@code file} when not null, then the environment. */
    public static HotlineConfig load(Path file, Map<String, String> env) {
        try {
            ObjectNode tree;
            try (InputStream in = HotlineConfig.class.getResourceAsStream("/hotline-defaults.yaml")) {
                tree = (ObjectNode) YAML.readTree(in);
            }
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("config file " + file + " does not exist");
                }
                JsonNode overrides = YAML.readTree(file.toFile());
                if (overrides != null && !overrides.isMissingNode() && !overrides.isNull()) {
                    if (!overrides.isObject()) {
                        throw new IllegalArgumentException("config file " + file + " must hold a YAML mapping");
                    }
                    merge(tree, (ObjectNode) overrides, file.toString());
                }
            }
            applyEnvironment(tree, env);
            HotlineConfig config = YAML.treeToValue(tree, HotlineConfig.class);
            config.clickhouse.writer(); // a wrong writer is named at once, not when the job starts
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the configuration: " + e.getMessage(), e);
        }
    }

    /** A copy to change without touching this one (a second job beside the first, say). */
    public HotlineConfig copy() {
        return YAML.convertValue(this, HotlineConfig.class);
    }

    public static HotlineConfig load(Path file) {
        String fromEnv = System.getenv("HOTLINE_CONFIG");
        Path chosen = file != null ? file : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : null;
        return load(chosen, System.getenv());
    }

    private static void merge(ObjectNode base, ObjectNode overrides, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = base.get(e.getKey());
            if (current == null) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "' in " + source);
            }
            if (current.isObject() && e.getValue().isObject() && !"properties".equals(e.getKey())) {
                merge((ObjectNode) current, (ObjectNode) e.getValue(), source);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
        for (Iterator<Map.Entry<String, JsonNode>> sections = tree.fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            ObjectNode values = (ObjectNode) section.getValue();
            for (Iterator<String> keys = values.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                String var = ("HOTLINE_" + section.getKey() + "_" + key).toUpperCase(Locale.ROOT);
                String value = env.get(var);
                if (value != null && values.get(key).isValueNode()) {
                    values.put(key, value);
                }
            }
        }
    }
}
