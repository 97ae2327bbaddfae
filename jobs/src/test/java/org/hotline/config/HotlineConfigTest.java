package org.hotline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hotline.jobs.io.ClickHouseSinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings come in three layers: built-in defaults, a YAML file, the environment. */
class HotlineConfigTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsRunEverythingLocally() {
        HotlineConfig c = HotlineConfig.load(null, Map.of());
        assertThat(c.kafka.bootstrapServers).isEqualTo("127.0.0.1:9092");
        assertThat(c.kafka.callsTopic).isEqualTo("calls");
        assertThat(c.clickhouse.url).isEqualTo("http://127.0.0.1:8123");
        assertThat(c.clickhouse.database).isEqualTo("hotline");
        assertThat(c.job.parallelism).isEqualTo(1);
        assertThat(c.job.settings().allowedLateness()).isEqualTo(Duration.ofHours(1));
        assertThat(c.clickhouse.writer()).isEqualTo(ClickHouseSinks.Writer.NATIVE);
    }

    @Test
    void theWriterIsNativeOrJdbcAndAnythingElseIsNamedAtOnce() {
        assertThat(HotlineConfig.load(null, Map.of("HOTLINE_CLICKHOUSE_WRITER", "jdbc"))
                        .clickhouse
                        .writer())
                .isEqualTo(ClickHouseSinks.Writer.JDBC);
        assertThatThrownBy(() -> HotlineConfig.load(null, Map.of("HOTLINE_CLICKHOUSE_WRITER", "odbc")))
                .hasMessageContaining("clickhouse.writer must be native or jdbc, not 'odbc'");
    }

    @Test
    void aFileOverridesTheDefaultsAndTheEnvironmentOverridesBoth() throws Exception {
        Path file = dir.resolve("hotline.yaml");
        Files.writeString(file, """
                kafka:
                  bootstrap_servers: broker1:9092,broker2:9092
                  properties:
                    security.protocol: SASL_SSL
                clickhouse:
                  user: hotline_writer
                  password: from-file
                job:
                  parallelism: 4
                """);
        HotlineConfig c = HotlineConfig.load(
                file, Map.of("HOTLINE_CLICKHOUSE_PASSWORD", "from-env", "HOTLINE_JOB_PARALLELISM", "8"));
        assertThat(c.kafka.bootstrapServers).isEqualTo("broker1:9092,broker2:9092");
        assertThat(c.kafka.clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.clickhouse.user).isEqualTo("hotline_writer");
        assertThat(c.clickhouse.password).isEqualTo("from-env");
        assertThat(c.job.parallelism).isEqualTo(8);
        assertThat(c.kafka.callsTopic).as("untouched defaults stay").isEqualTo("calls");
    }

    @Test
    void anUnknownSettingIsAnErrorNotASilentDefault() throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "clickhouse:\n  pasword: secret\n");
        assertThatThrownBy(() -> HotlineConfig.load(file, Map.of())).hasMessageContaining("pasword");
        assertThatThrownBy(() -> HotlineConfig.load(dir.resolve("missing.yaml"), Map.of()))
                .hasMessageContaining("does not exist");
    }
}
