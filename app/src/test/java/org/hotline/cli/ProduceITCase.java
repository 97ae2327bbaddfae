package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalKafka;
import org.hotline.deploy.Ports;
import org.hotline.jobs.SharedServices;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every command that writes to Kafka says what was stored, and fails loudly, with how many records were
 * not stored, when a send fails: to a topic that does not exist, or to a broker that stops mid-play.
 */
@ExtendWith(SharedServices.class)
class ProduceITCase {

    static final Path WORK = Path.of("target", "produce-it");

    @Test
    void everyRecordSentIsCountedOnTheTopic() throws Exception {
        HotlineConfig c = SharedServices.config("produce");
        Path file = Files.createDirectories(WORK).resolve("calls.jsonl");
        Files.writeString(file, "{\"call_id\":\"a\"}\n\nnot json\n{\"call_id\":\"b\"}\n", StandardCharsets.UTF_8);

        String out = Cli.stdout(
                "produce",
                "--bootstrap-servers",
                c.kafka.bootstrapServers,
                "--topic",
                c.kafka.callsTopic,
                file.toString());

        assertThat(out)
                .contains("Sent 3 record(s), every one stored (" + c.kafka.callsTopic + ": 3 sent, 3 on the topic)");
        assertThat(CheckedProducer.endOffsets(c.kafka.bootstrapServers, Set.of(c.kafka.callsTopic)))
                .containsEntry(c.kafka.callsTopic, 3L);
    }

    @Test
    void aTopicThatDoesNotExistIsNamedAtOnce() throws Exception {
        Path file = Files.createDirectories(WORK).resolve("one.jsonl");
        Files.writeString(file, "{\"call_id\":\"a\"}\n", StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Cli.run(
                err,
                "produce",
                "--bootstrap-servers",
                SharedServices.kafka().bootstrapServers(),
                "--topic",
                "no-such-topic",
                file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no such topic on Kafka at " + SharedServices.kafka().bootstrapServers() + ": no-such-topic");
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNamed() throws Exception {
        Path file = Files.createDirectories(WORK).resolve("one.jsonl");
        Files.writeString(file, "{\"call_id\":\"a\"}\n", StandardCharsets.UTF_8);
        String nobody = "127.0.0.1:" + Ports.free();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(Cli.run(err, "produce", "--bootstrap-servers", nobody, "--topic", "calls", file.toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("hotline: Kafka at " + nobody + " did not answer");
    }

    /** The broker goes away while a month is played live: the command fails, saying how many events were not stored. */
    @Test
    void aBrokerStoppedMidPlayFailsTheCommandWithTheCountNotStored() throws Exception {
        Path dir = WORK.resolve("stopped-broker");
        LocalRuntime.deleteRecursively(dir);
        Profile profile = Profile.load(ReplayITCase.profileArgument(BadInputITCase.PROFILE));
        int total = new MonthSimulator(profile, 2023).generate().size();
        Path config = Files.createDirectories(dir).resolve("hotline.yaml");
        // Fail within seconds rather than the producer's default two minutes.
        Files.writeString(config, """
                kafka:
                  calls_topic: stopped-calls
                  tickets_topic: stopped-tickets
                  properties:
                    request.timeout.ms: 1000
                    delivery.timeout.ms: 3000
                    max.block.ms: 3000
                """, StandardCharsets.UTF_8);
        LocalKafka broker = LocalKafka.start(dir.resolve("kafka"));
        boolean stopped = false;
        try {
            String bootstrap = broker.bootstrapServers();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] args = {
                "simulate",
                "--config",
                config.toString(),
                "--profile",
                ReplayITCase.profileArgument(BadInputITCase.PROFILE),
                "--bootstrap-servers",
                bootstrap,
                "--speed",
                "20000"
            };
            CompletableFuture<Integer> simulate = CompletableFuture.supplyAsync(() -> Cli.run(err, args));
            await().atMost(Duration.ofMinutes(2))
                    .ignoreExceptions()
                    .until(() -> stored(bootstrap) > 0); // topics made by simulate
            long storedBeforeTheStop = stored(bootstrap);
            stopped = true;
            broker.close();

            int exit = simulate.get(2, TimeUnit.MINUTES);

            String message = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(message).isEqualTo(1);
            assertThat(message)
                    .containsPattern("hotline: [\\d,]+ of " + String.format("%,d", total)
                            + " events not stored on Kafka: [\\d,]+ record\\(s\\) handed to Kafka at " + bootstrap
                            + " were not stored");
            long notStored = Long.parseLong(
                    message.replaceAll("(?s).*hotline: ([\\d,]+) of.*", "$1").replace(",", ""));
            assertThat(notStored).isBetween(1L, total - storedBeforeTheStop);
        } finally {
            if (!stopped) {
                broker.close();
            }
        }
    }

    private static long stored(String bootstrap) {
        return CheckedProducer.endOffsets(bootstrap, Set.of("stopped-calls", "stopped-tickets")).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
