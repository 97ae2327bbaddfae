package org.hotline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalKafka;
import org.hotline.simulator.JsonLines;
import org.hotline.simulator.KafkaPlayback;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Generate a month of call and ticket events from a profile: to JSON-lines files (--out), or to "
                + "Kafka as fast as possible, or live (--speed).")
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ProfileOptions month;

    @Option(
            names = "--out",
            description = "Write calls.jsonl and tickets.jsonl into this folder instead of sending to Kafka.")
    Path out;

    @Option(
            names = "--speed",
            defaultValue = "0",
            description =
                    "Play event time at this many times real time (1 = real time, 60 = an hour a minute); 0 = as fast as possible.")
    double speed;

    @Option(names = "--bootstrap-servers", description = "Kafka to send to (default: the configuration's).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        List<Profile> months = month.load();
        Profile p = months.get(0);
        System.err.printf(
                "Simulating %s (%s, seed %d)...%n",
                months.stream().map(Profile::name).toList(), Hotline.ProfileOptions.span(months), month.seed);
        MonthSimulator.Month events = Hotline.ProfileOptions.generate(months, month.seed);
        if (out != null) {
            JsonLines.write(events, out, p.zone());
            System.out.printf(
                    "Wrote %,d call events and %,d ticket events to %s%n",
                    events.calls().size(), events.tickets().size(), out);
            return 0;
        }
        HotlineConfig c = config.load();
        String servers = bootstrap != null ? bootstrap : c.kafka.bootstrapServers;
        LocalKafka.createTopics(servers, Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2));
        CheckedProducer.Delivery sent = new KafkaPlayback(
                        c.kafka.clientProperties(), servers, c.kafka.callsTopic, c.kafka.ticketsTopic, p.zone())
                .play(events, speed, System.err::println);
        System.out.printf("Sent %,d events, every one stored (%s).%n", sent.total(), sent);
        return 0;
    }
}
