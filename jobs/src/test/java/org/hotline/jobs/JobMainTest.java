package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The job jar's entry point, and what names it outside the code (the Kubernetes deployment). */
class JobMainTest {

    @Test
    void theJobJarRunsTheRunCommandWithItsOptions() {
        CommandLine.ParseResult parsed = new CommandLine(new JobMain())
                .parseArgs("run", "--config", "/etc/hotline/hotline.yaml", "--detach", "--from-savepoint", "s3://x/sp");
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        assertThat(parsed.subcommand().matchedOptionValue("--config", (Object) null))
                .hasToString("/etc/hotline/hotline.yaml");
        assertThat(parsed.subcommand().hasMatchedOption("--detach")).isTrue();
    }

    @Test
    void theKubernetesDeploymentStartsThisEntryPointWithArgumentsItTakes() throws Exception {
        Path file = Path.of("..", "deploy", "kubernetes", "flink-deployment.yaml");
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile())) {
            it.forEachRemaining(docs::add);
        }
        JsonNode job = docs.stream()
                .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                .findFirst()
                .orElseThrow()
                .at("/spec/job");
        assertThat(job.path("entryClass").asText()).isEqualTo(JobMain.class.getName());
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        assertThat(new CommandLine(new JobMain())
                        .parseArgs(args.toArray(String[]::new))
                        .subcommand()
                        .commandSpec()
                        .name())
                .isEqualTo("run");
    }
}
