package org.hotline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped operations files work with the tools that read them, from Debian's prometheus and
 * prometheus-alertmanager packages: the example Alertmanager configuration, and the job's health rules with
 * their unit tests (promtool test rules).
 */
class OperationsConfigTest {

    static final Path ALERTMANAGER = Path.of("alertmanager", "alertmanager.yml");
    static final Path PROMETHEUS = Path.of("prometheus");

    @Test
    void theExampleAlertmanagerConfigurationIsValid() throws Exception {
        assertThat(run(List.of("amtool", "check-config", ALERTMANAGER.toString()), Path.of(".")))
                .contains("SUCCESS")
                .contains("5 receivers");
    }

    @Test
    void theJobsHealthRulesAreValidAndPassTheirTests() throws Exception {
        assertThat(run(List.of("promtool", "check", "rules", "hotline-rules.yml"), PROMETHEUS))
                .contains("SUCCESS: 7 rules found");
        assertThat(run(List.of("promtool", "test", "rules", "hotline-rules.test.yml"), PROMETHEUS))
                .contains("SUCCESS");
    }

    /** Runs a command in {@code dir}; its output, or a failure with the output when it exits with an error. */
    static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", command, out).isZero();
        assertThat(Files.isDirectory(dir)).isTrue();
        return out;
    }
}
