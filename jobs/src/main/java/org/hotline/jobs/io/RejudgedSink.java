package org.hotline.jobs.io;

import static org.hotline.sql.ClickHouseSql.literal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.hotline.events.EventParser;
import org.hotline.events.ParseResult;
import org.hotline.events.Reason;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.DeadLetter;
import org.hotline.jobs.Rejudged;
import org.hotline.jobs.Sourced;
import org.hotline.sql.ClickHouseSql;
import org.hotline.sql.ClusterLayout;

/**
 * Moves each ticket step judged again to the table its judgement now says: out of {@code ticket_events} into {@code
 * dead_letters} when it is refused now, back when it is counted now. A move is a delete (a mutation, {@code ALTER TABLE
 * ... DELETE}) and an insert, made once the checkpoint holding it completes: by then every sink has written the rows
 * sent before it, so the delete finds the row the step's first judgement wrote; what is inserted after a mutation is
 * submitted is never touched by it. A step judged again twice between two checkpoints moves once, to where it ends.
 * A move made twice (a commit repeated after a restart) changes nothing: deleting what is gone, and inserting a row
 * with the same key, which the tables absorb.
 */
public final class RejudgedSink implements Sink<Rejudged>, SupportsCommitter<List<RejudgedSink.Move>> {

    /** One step to move: where it was read from, as the dead letters keep it, and why it is refused now (null: counted). */
    public record Move(String topic, int partition, long offset, String payload, String refusal) {}

    private static final int MAX_RETRIES = 5;
    private static final java.time.Duration MUTATION_WAIT = java.time.Duration.ofMinutes(2);

    private final String url;
    private final String user;
    private final String password;
    private final String db;
    private final ClusterLayout layout;

    public RejudgedSink(String url, String user, String password, String db, ClusterLayout layout) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.db = db;
        this.layout = layout;
    }

    @Override
    public SinkWriter<Rejudged> createWriter(WriterInitContext context) {
        return new Writer();
    }

    @Override
    public Committer<List<Move>> createCommitter(CommitterInitContext context) {
        return new Mover();
    }

    @Override
    public SimpleVersionedSerializer<List<Move>> getCommittableSerializer() {
        return new MovesSerializer();
    }

    /** Gathers the moves until the next checkpoint. */
    private static final class Writer implements CommittingSinkWriter<Rejudged, List<Move>> {
        private final List<Move> moves = new ArrayList<>();

        @Override
        public void write(Rejudged r, Context context) {
            Sourced<TicketEvent> s = r.step();
            moves.add(new Move(s.topic(), s.partition(), s.offset(), r.payload(), r.refusal()));
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<List<Move>> prepareCommit() {
            if (moves.isEmpty()) {
                return List.of();
            }
            List<Move> batch = List.copyOf(moves);
            moves.clear();
            return List.of(batch);
        }

        @Override
        public void close() {}
    }

    /** Makes the moves of a completed checkpoint. */
    private final class Mover implements Committer<List<Move>> {
        private final ClickHouseSql ch = new ClickHouseSql(url, user, password);

        @Override
        public void commit(Collection<CommitRequest<List<Move>>> requests) {
            for (CommitRequest<List<Move>> request : requests) {
                try {
                    move(request.getCommittable());
                } catch (ClickHouseSql.ClickHouseException | IllegalStateException e) {
                    if (request.getNumberOfRetries() < MAX_RETRIES) {
                        request.retryLater();
                    } else {
                        request.signalFailedWithUnknownReason(e);
                    }
                }
            }
        }

        private void move(List<Move> moves) {
            // each step once, where its last judgement puts it
            Map<String, Move> last = new LinkedHashMap<>();
            Map<String, TicketEvent> events = new LinkedHashMap<>();
            for (Move m : moves) { // the step itself, for its row and its key
                ParseResult<TicketEvent> parsed =
                        EventParser.parseTicket(m.payload().getBytes(StandardCharsets.UTF_8));
                if (parsed.event() == null) {
                    throw new IllegalStateException("a step judged again no longer parses: " + parsed.error());
                }
                String key =
                        parsed.event().ticketId() + "\u0000" + parsed.event().eventId();
                last.remove(key);
                last.put(key, m);
                events.put(key, parsed.event());
            }
            List<String> outOfEvents = new ArrayList<>();
            List<String> outOfDeadLetters = new ArrayList<>();
            TsvRow deadLetters = new TsvRow();
            TsvRow counted = new TsvRow();
            last.forEach((key, m) -> {
                TicketEvent e = events.get(key);
                Sourced<TicketEvent> step = new Sourced<>(m.topic(), m.partition(), m.offset(), e, null, null);
                if (m.refusal() != null) {
                    outOfEvents.add("(" + literal(e.ticketId()) + ", " + literal(e.eventId()) + ")");
                    DeadLetter d =
                            DeadLetter.rejected(step, m.payload(), e.eventTimeMs(), Reason.INVALID_STEP, m.refusal());
                    ClickHouseSinks.DEAD_LETTER_ROW.write(d, deadLetters);
                    deadLetters.end();
                } else {
                    outOfDeadLetters.add("(" + literal(m.topic()) + ", " + m.partition() + ", " + m.offset() + ")");
                    ClickHouseSinks.TICKET_EVENT_ROW.write(step, counted);
                    counted.end();
                }
            });
            delete(ClickHouseSinks.TICKET_EVENTS, "(ticket_id, event_id)", outOfEvents);
            delete(ClickHouseSinks.DEAD_LETTERS, "(topic, kafka_partition, kafka_offset)", outOfDeadLetters);
            if (deadLetters.rows() > 0) {
                ch.insertTabSeparated(
                        db + "." + ClickHouseSinks.DEAD_LETTERS,
                        ClickHouseSinks.DEAD_LETTER_COLUMNS,
                        deadLetters.bytes());
            }
            if (counted.rows() > 0) {
                ch.insertTabSeparated(
                        db + "." + ClickHouseSinks.TICKET_EVENTS,
                        ClickHouseSinks.TICKET_EVENT_COLUMNS,
                        counted.bytes());
            }
        }

        /**
         * Deletes the rows of {@code keys} and waits until ClickHouse has (a mutation runs in the background): when the
         * commit ends, each step moved is in one table, as it will stay.
         */
        private void delete(String table, String key, List<String> keys) {
            if (keys.isEmpty()) {
                return;
            }
            String local = layout.local(table);
            ch.execute("ALTER TABLE " + db + "." + local + layout.onCluster() + " DELETE WHERE " + key + " IN ("
                    + String.join(", ", keys) + ")");
            long deadline = System.nanoTime() + MUTATION_WAIT.toNanos();
            while (ch.count("SELECT count() FROM system.mutations WHERE database = '" + db + "' AND table = '" + local
                            + "' AND is_done = 0")
                    > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the deletion from " + db + "." + local + " has not finished after " + MUTATION_WAIT);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(
                            "interrupted while " + db + "." + local + " deleted moved steps", e);
                }
            }
        }

        @Override
        public void close() {
            ch.close();
        }
    }

    /** The moves of a checkpoint, as it keeps them until they are made. */
    static final class MovesSerializer implements SimpleVersionedSerializer<List<Move>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<Move> moves) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(moves.size());
                for (Move m : moves) {
                    text(out, m.topic());
                    out.writeInt(m.partition());
                    out.writeLong(m.offset());
                    text(out, m.payload());
                    out.writeBoolean(m.refusal() != null);
                    if (m.refusal() != null) {
                        text(out, m.refusal());
                    }
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public List<Move> deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<Move> moves = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String topic = text(in);
                    int partition = in.readInt();
                    long offset = in.readLong();
                    String payload = text(in);
                    String refusal = in.readBoolean() ? text(in) : null;
                    moves.add(new Move(topic, partition, offset, payload, refusal));
                }
                return moves;
            }
        }

        private static void text(DataOutputStream out, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        private static String text(DataInputStream in) throws IOException {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
