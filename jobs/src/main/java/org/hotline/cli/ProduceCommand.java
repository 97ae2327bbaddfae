package org.hotline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.config.HotlineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send events, one JSON object per line, to a Kafka topic, keyed by call_id or ticket_id. "
                + "Lines are sent as they are: bad ones end in the dead-letter table, as they would in production.")
final class ProduceCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    Hotline.ConfigOption config;

    @Option(names = "--topic", required = true, description = "calls, tickets, or any topic name.")
    String topic;

    @Option(names = "--bootstrap-servers", description = "Kafka to send to (default: the configuration's).")
    String bootstrap;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSON-lines files; - reads standard input.")
    List<String> files;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        Properties p = c.kafka.clientProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap != null ? bootstrap : c.kafka.bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        long sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String file : files) {
                try (BufferedReader in = "-".equals(file)
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (!line.isBlank()) {
                            producer.send(new ProducerRecord<>(topic, keyOf(line), line));
                            sent++;
                        }
                    }
                }
            }
            producer.flush();
        }
        System.out.println("Sent " + sent + " record(s) to " + topic + ".");
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
