package org.hotline.bench;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.deploy.LocalKafka;

/** The job beside its Flink SQL peer ({@link SqlPeer}) on the same events, and both on the calls alone. */
final class PeerComparison {

    private final HotlineConfig config;
    private final Consumer<String> out;
    private final Supplier<Map<String, Long>> cpuMillis;
    private final Configuration flink;
    private final PipelineRun pipeline;

    PeerComparison(
            HotlineConfig config,
            Consumer<String> out,
            Supplier<Map<String, Long>> cpuMillis,
            Configuration flink,
            PipelineRun pipeline) {
        this.config = config;
        this.out = out;
        this.cpuMillis = cpuMillis;
        this.flink = flink;
        this.pipeline = pipeline;
    }

    /**
     * After the job on both topics (whose CPU per event is in {@code job}): the job on the calls alone (its own database,
     * a tickets topic left empty), the Flink SQL peer on both topics and on the calls alone, each from its start until
     * its last row is written, in this JVM like the job. The job runs first, so it is the one that pays for warming up
     * the JVM. The peer's totals are compared with the job's, so that both are seen to have done the same work.
     */
    Benchmark.Cost run(Benchmark.Cost job) throws Exception {
        Map<String, Long> ends = CheckedProducer.endOffsets(
                config.kafka.bootstrapServers, Set.of(config.kafka.callsTopic, config.kafka.ticketsTopic));
        long calls = ends.get(config.kafka.callsTopic);
        long events = calls + ends.get(config.kafka.ticketsTopic);

        out.accept("The job on the calls alone (the tickets' topic empty):");
        HotlineConfig callsOnly = config.copy();
        callsOnly.clickhouse.database = config.clickhouse.database + "_calls";
        callsOnly.kafka.ticketsTopic = config.kafka.ticketsTopic + "-none";
        callsOnly.kafka.groupId = config.kafka.groupId + "-calls";
        LocalKafka.createTopics(callsOnly.kafka.bootstrapServers, Map.of(callsOnly.kafka.ticketsTopic, 2));
        double jobCalls = pipeline.run(callsOnly, calls).cpuMicrosPerEvent();

        SqlPeer peer = new SqlPeer(config, config.clickhouse.database + "_peer", flink);
        double peerAll = peerRun(peer, false, events, "calls and tickets");
        long[] theirs = peer.totals();
        long[] ours = peer.jobTotals(config.clickhouse.database);
        StringBuilder compared = new StringBuilder("  the peer's totals against the job's:");
        for (int i = 0; i < SqlPeer.TOTALS.size(); i++) {
            compared.append(String.format(" %s %,d", SqlPeer.TOTALS.get(i), theirs[i]))
                    .append(theirs[i] == ours[i] ? " (same)" : String.format(" (the job: %,d)", ours[i]));
        }
        out.accept(compared.toString());
        double peerCalls = peerRun(
                new SqlPeer(config, config.clickhouse.database + "_peer_calls", flink), true, calls, "calls alone");
        out.accept(String.format(
                "CPU per event, µs (this JVM): the job %.1f, on the calls alone %.1f; the Flink SQL peer %.1f, on the "
                        + "calls alone %.1f",
                job.job(), jobCalls, peerAll, peerCalls));
        return new Benchmark.Cost(job.job(), job.jobSteady(), jobCalls, peerAll, peerCalls);
    }

    /** Runs the peer over {@code events} and says its rate and each process's CPU; returns this JVM's µs per event. */
    private double peerRun(SqlPeer peer, boolean callsOnly, long events, String what) throws Exception {
        Map<String, Long> cpuBefore = cpuMillis.get();
        PipelineRun.JvmWork jvmBefore = PipelineRun.JvmWork.now();
        long start = System.nanoTime();
        peer.run(callsOnly);
        double rate = events / Benchmark.seconds(start);
        Map<String, Long> cpuAfter = cpuMillis.get();
        out.accept(String.format(
                "Flink SQL peer, %s, Kafka -> Flink SQL -> JDBC -> ClickHouse: %,.0f events/s", what, rate));
        out.accept("  CPU seconds per million events:" + Benchmark.cpuPerMillion(cpuBefore, cpuAfter, events));
        PipelineRun.sayJvmWork(out, jvmBefore, events);
        return Benchmark.microsPerEvent(cpuBefore, cpuAfter, events);
    }
}
