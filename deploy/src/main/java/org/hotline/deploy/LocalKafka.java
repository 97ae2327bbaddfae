package org.hotline.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one), on free loopback ports. It runs
 * in-process for tests ({@link #start(Path)}) and as a child JVM for the demo ({@link #spawn}, which
 * runs this class's {@link #main}).
 */
public final class LocalKafka implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Process process;
    private final String bootstrap;

    /** The broker's process when it runs in one of its own, else this one's. */
    public ProcessHandle process() {
        return process != null ? process.toHandle() : ProcessHandle.current();
    }

    private LocalKafka(KafkaRaftServer server, Process process, String bootstrap) {
        this.server = server;
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts an in-process broker keeping its log under {@code dir}. */
    public static LocalKafka start(Path dir) {
        return start(dir, Ports.free(), Ports.free());
    }

    public static LocalKafka start(Path dir, int brokerPort, int controllerPort) {
        KafkaConfig config = format(dir.toAbsolutePath(), brokerPort, controllerPort);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LocalKafka kafka = new LocalKafka(server, null, "127.0.0.1:" + brokerPort);
        try {
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** Starts the broker as a child JVM (same classpath), writing its output to {@code logFile}. */
    public static LocalKafka spawn(Path dir, Path logFile) {
        return spawn(dir, logFile, Ports.free(), Ports.free());
    }

    /** The same on given ports: a broker started again on its folder and ports is the same broker to its clients. */
    public static LocalKafka spawn(Path dir, Path logFile, int brokerPort, int controllerPort) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.io.tmpdir=" + dir.toAbsolutePath().resolve("tmp"),
                "-cp",
                System.getProperty("java.class.path"),
                LocalKafka.class.getName(),
                dir.toAbsolutePath().toString(),
                Integer.toString(brokerPort),
                Integer.toString(controllerPort)));
        try {
            Files.createDirectories(dir.resolve("tmp"));
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            LocalKafka kafka = new LocalKafka(null, p, "127.0.0.1:" + brokerPort);
            try {
                kafka.awaitReady();
            } catch (RuntimeException e) {
                kafka.close();
                throw new IllegalStateException(e.getMessage() + "; see " + logFile, e);
            }
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker process", e);
        }
    }

    /** Child-JVM entry point: {@code LocalKafka DIR BROKER_PORT CONTROLLER_PORT}; runs until SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: LocalKafka DIR BROKER_PORT CONTROLLER_PORT");
            System.exit(2);
        }
        KafkaConfig config = format(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.shutdown();
                            server.awaitShutdown();
                            stopped.countDown();
                        },
                        "kafka-shutdown"));
        server.startup();
        System.out.println("Kafka broker listening on 127.0.0.1:" + args[1]);
        stopped.await();
    }

    /** Writes the broker config and formats the log folder once (a formatted folder is reused). */
    private static KafkaConfig format(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("num.partitions", "2");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // One broker: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        try {
            Files.createDirectories(dir.resolve("log"));
            Path cfg = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
                p.store(w, "written by LocalKafka");
            }
            if (!Files.exists(dir.resolve("log/meta.properties"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int rc = StorageTool.execute(
                        new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8));
                if (rc != 0) {
                    throw new IllegalStateException(
                            "formatting the Kafka log dir failed: " + out.toString(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KafkaConfig.fromProps(p, false);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (process != null && !process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker process exited with code " + process.exitValue());
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not up yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not answer within " + READY_TIMEOUT);
                }
                Processes.sleep(200);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Admin admin() {
        return admin(bootstrap);
    }

    public static Admin admin(String bootstrap) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                20_000));
    }

    /**
     * Creates the topics that do not exist yet, each with the given number of partitions, and returns when
     * every partition has a leader.
     */
    public static void createTopics(String bootstrap, Map<String, Integer> partitions) {
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = partitions.entrySet().stream()
                    .filter(e -> !existing.contains(e.getKey()))
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topics " + partitions.keySet(), e.getCause());
                    }
                }
            }
            // a topic that was there keeps the partitions it has
            Map<String, Integer> expected = new java.util.HashMap<>(partitions);
            existing.forEach(t -> expected.computeIfPresent(t, (k, n) -> 1));
            awaitLeaders(admin, expected);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics " + partitions.keySet(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every topic has its partitions, each with a leader: the controller answers a creation before
     * the broker serves the new partitions, and a record sent in between waits for metadata.
     */
    private static void awaitLeaders(Admin admin, Map<String, Integer> partitions)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Map<String, TopicDescription> d;
            try {
                d = admin.describeTopics(partitions.keySet()).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                d = Map.of();
            }
            Map<String, TopicDescription> described = d;
            List<String> notReady = partitions.keySet().stream()
                    .filter(t -> !described.containsKey(t)
                            || described.get(t).partitions().size() < partitions.get(t)
                            || described.get(t).partitions().stream()
                                    .anyMatch(p ->
                                            p.leader() == null || p.leader().isEmpty()))
                    .sorted()
                    .toList();
            if (notReady.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topics without their partitions or leaders after " + READY_TIMEOUT + ": " + notReady);
            }
            Processes.sleep(100);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
        Processes.stop(process);
    }
}
