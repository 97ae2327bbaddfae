package org.hotline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Send events, one JSON object per line, to a Kafka topic, keyed by call_id or ticket_id. "
                + "Lines are sent as they are: bad ones end in the dead-letter table, as they would in production.")
final class ProduceCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--topic", required = true, description = "calls, tickets, or any topic name.")
    String topic;

    @Option(names = "--bootstrap-servers", description = "Kafka to send to (default: the configuration's).")
    String bootstrap;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSON-lines files; - reads standard input.")
    List<String> files;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        String servers = bootstrap != null ? bootstrap : c.kafka.bootstrapServers;
        long read = 0;
        try (CheckedProducer producer = new CheckedProducer(c.kafka.clientProperties(), servers, List.of(topic))) {
            for (String file : files) {
                try (BufferedReader in = "-".equals(file)
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (!line.isBlank()) {
                            producer.send(topic, keyOf(line), line);
                            read++;
                        }
                    }
                }
            }
            CheckedProducer.Delivery d = producer.finish();
            System.out.printf("Sent %,d record(s), every one stored (%s).%n", read, d);
        } catch (CheckedProducer.NotStoredException e) {
            throw new IllegalStateException(
                    String.format(
                            "%,d of the %,d record(s) read were not stored on %s: %s",
                            read - e.stored(), read, topic, e.getMessage()),
                    e);
        }
        return 0;
    }

    /** The entity id, so that all steps of one call or ticket stay in order on one partition. */
    static String keyOf(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            for (String field : List.of("call_id", "ticket_id")) {
                if (n != null && n.hasNonNull(field)) {
                    return n.get(field).asText();
                }
            }
        } catch (Exception e) {
            // not JSON: sent without a key, and the job keeps it aside with its reason
        }
        return null;
    }
}
