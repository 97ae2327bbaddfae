package org.hotline.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.hotline.jobs.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the alerts in force and posts them to Prometheus Alertmanager, which routes, groups, silences and notifies.
 * <ul>
 *   <li>What is in force is operator state, and it is posted once the checkpoint that holds it has completed: what
 *       Alertmanager was told is always what a restore starts from, so a restart never resolves an alert, nor fires
 *       again one that had ended (at the cost of up to a checkpoint interval's delay).</li>
 *   <li>Every post holds every alert in force (and those resolved in the last {@link #KEEP_RESOLVED}), again every
 *       resend interval: Alertmanager ends an alert not heard of within its resolve_timeout, and one that lost its
 *       memory (a restart) learns everything again. The same labels and start time each time: it deduplicates.</li>
 *   <li>Posting happens on a thread of its own: Alertmanager down or slow never holds the counting back. Failures
 *       are retried with back-off and counted ({@code alertmanagerSendFailures}).</li>
 * </ul>
 * With no address it only keeps what is in force (so delivery turned on later starts from it) and posts nothing: a
 * replay never notifies anyone. Parallelism 1: alerts are few.
 */
public final class AlertmanagerDelivery extends ProcessFunction<Alert, Alert>
        implements CheckpointedFunction, CheckpointListener {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerDelivery.class);
    /** How long a resolved alert is still posted (as resolved), as Prometheus does. */
    static final Duration KEEP_RESOLVED = Duration.ofMinutes(15);

    private final String url;
    private final Duration resend;
    private final AlertmanagerAlert.Directory directory;

    /** rule, key and severity (joined by {@link Keys}) to {labels, annotations, startsAt, endsAt} (epoch ms). */
    private transient TreeMap<String, ObjectNode> inForce;

    private transient ListState<String> stored;
    /** What each checkpoint taken and not yet completed holds, to post once it completes. */
    private transient TreeMap<Long, Payload> taken;

    private transient Sender sender;
    private transient Payload restored;

    /** A post's body (a JSON array), how many alerts it holds and how many of them are firing. */
    record Payload(String json, int alerts, int firing) {}

    /** @param url Alertmanager's address, or null/empty to post nothing */
    public AlertmanagerDelivery(String url, Duration resend, AlertmanagerAlert.Directory directory) {
        this.url = url == null || url.isBlank() ? null : url;
        this.resend = resend;
        this.directory = directory;
    }

    /** Keeps what is in force and posts nothing. */
    public static AlertmanagerDelivery off() {
        return new AlertmanagerDelivery(null, Duration.ofMinutes(1), AlertmanagerAlert.Directory.EMPTY);
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        stored = ctx.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("alertmanager-in-force", Types.STRING));
        inForce = new TreeMap<>();
        taken = new TreeMap<>();
        for (String s : stored.get()) {
            ObjectNode a = (ObjectNode) AlertmanagerAlert.JSON.readTree(s);
            inForce.put(a.path("id").asText(), a);
        }
        if (ctx.isRestored()) {
            restored = payload(); // as of a completed checkpoint: posted at once
        }
    }

    @Override
    public void open(OpenContext ctx) {
        Counter failures =
                getRuntimeContext().getMetricGroup().counter("alertmanagerSendFailures", new ThreadSafeSimpleCounter());
        Counter sent = getRuntimeContext().getMetricGroup().counter("alertmanagerPosts", new ThreadSafeSimpleCounter());
        AtomicInteger firing = new AtomicInteger();
        getRuntimeContext().getMetricGroup().gauge("alertsInForce", firing::get);
        if (url != null) {
            sender = new Sender(new AlertmanagerClient(url), resend, sent, failures, firing);
            sender.start();
            if (restored != null) {
                sender.offer(restored);
            }
        }
    }

    @Override
    public void processElement(Alert a, Context ctx, Collector<Alert> out) {
        long now = System.currentTimeMillis();
        ObjectNode annotations = AlertmanagerAlert.annotations(a, directory);
        boolean resolved = a.state().equals("resolved");
        for (String severity : List.of("warning", "critical")) {
            ObjectNode known = inForce.get(id(a, severity));
            boolean active = known != null && !known.has("endsAt");
            if (!active) {
                continue;
            }
            if (resolved || !severity.equals(a.severity())) {
                known.put("endsAt", now); // resolved, or escalated to the other severity
            }
            known.set("annotations", annotations);
        }
        if (!resolved) {
            String id = id(a, a.severity());
            ObjectNode known = inForce.get(id);
            if (known == null || known.has("endsAt")) {
                ObjectNode n = AlertmanagerAlert.JSON.createObjectNode();
                n.put("id", id);
                n.set("labels", AlertmanagerAlert.labels(a, directory));
                n.set("annotations", annotations);
                n.put("startsAt", now);
                inForce.put(id, n);
            }
        }
    }

    private static String id(Alert a, String severity) {
        return Keys.join(a.rule(), Keys.join(a.key(), severity));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        long forgetBefore = System.currentTimeMillis() - KEEP_RESOLVED.toMillis();
        inForce.values().removeIf(a -> a.has("endsAt") && a.get("endsAt").asLong() < forgetBefore);
        List<String> all = new ArrayList<>(inForce.size());
        for (ObjectNode a : inForce.values()) {
            all.add(a.toString());
        }
        stored.update(all);
        taken.put(ctx.getCheckpointId(), payload());
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map.Entry<Long, Payload> completed = taken.floorEntry(checkpointId);
        if (completed != null && sender != null) {
            sender.offer(completed.getValue());
        }
        taken.headMap(checkpointId, true).clear();
    }

    @Override
    public void close() throws Exception {
        if (sender != null) {
            sender.stop();
        }
    }

    /** What is in force (and recently resolved) as Alertmanager's API takes it. */
    Payload payload() {
        ArrayNode all = AlertmanagerAlert.JSON.createArrayNode();
        int firing = 0;
        for (ObjectNode a : inForce.values()) {
            ObjectNode o = all.addObject();
            o.set("labels", a.get("labels"));
            o.set("annotations", a.get("annotations"));
            o.put("startsAt", Instant.ofEpochMilli(a.get("startsAt").asLong()).toString());
            if (a.has("endsAt")) {
                o.put("endsAt", Instant.ofEpochMilli(a.get("endsAt").asLong()).toString());
            } else {
                firing++;
            }
            JsonNode board = a.path("annotations").path("wallboard");
            if (board.isTextual()) {
                o.put("generatorURL", board.asText());
            }
        }
        return new Payload(all.toString(), all.size(), firing);
    }

    /** Posts the latest payload when it changes and every resend interval; after a failure, again with back-off. */
    static final class Sender implements Runnable {
        private static final long MAX_BACKOFF_MS = 5_000;

        private final AlertmanagerClient client;
        private final long resendMs;
        private final Counter sent;
        private final Counter failures;
        private final AtomicInteger firing;
        private final Thread thread;
        private Payload desired;
        private boolean changed;
        private boolean running = true;

        Sender(AlertmanagerClient client, Duration resend, Counter sent, Counter failures, AtomicInteger firing) {
            this.client = client;
            this.resendMs = resend.toMillis();
            this.sent = sent;
            this.failures = failures;
            this.firing = firing;
            this.thread = new Thread(this, "alertmanager-delivery");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        synchronized void offer(Payload payload) {
            if (!payload.equals(desired)) {
                desired = payload;
                changed = true;
                notifyAll();
            }
        }

        void stop() throws InterruptedException {
            synchronized (this) {
                running = false;
                notifyAll();
            }
            thread.interrupt();
            thread.join(10_000);
        }

        @Override
        public void run() {
            long nextResend = 0;
            long retryAt = 0;
            long backoff = 0;
            while (true) {
                Payload payload;
                synchronized (this) {
                    while (running) {
                        long now = System.currentTimeMillis();
                        long next = desired == null ? Long.MAX_VALUE : Math.max(retryAt, changed ? now : nextResend);
                        if (next <= now) {
                            break;
                        }
                        try {
                            wait(Math.min(next - now, 60_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (!running) {
                        return;
                    }
                    payload = desired;
                    changed = false;
                }
                try {
                    firing.set(payload.firing());
                    if (payload.alerts() > 0) {
                        client.post(payload.json());
                        sent.inc();
                    }
                    if (backoff > 0) {
                        LOG.info("Alertmanager takes the alerts again ({} in force)", payload.firing());
                    }
                    backoff = 0;
                    retryAt = 0;
                    nextResend = System.currentTimeMillis() + resendMs;
                } catch (IOException e) {
                    failures.inc();
                    if (backoff == 0) {
                        LOG.warn(
                                "Alertmanager did not take the alerts ({}); retrying, the counting goes on",
                                e.toString());
                    }
                    backoff = Math.min(Math.max(250, backoff * 2), MAX_BACKOFF_MS);
                    retryAt = System.currentTimeMillis() + backoff;
                    synchronized (this) {
                        changed = true; // everything again once it is back
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
