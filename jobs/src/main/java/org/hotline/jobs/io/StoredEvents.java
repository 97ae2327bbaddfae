package org.hotline.jobs.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.CallbackSource;
import org.hotline.events.Channel;
import org.hotline.events.Desk;
import org.hotline.events.EventParser;
import org.hotline.events.ParseResult;
import org.hotline.events.RequestType;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.events.Wire;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.Sourced;
import org.hotline.sql.ClickHouseSql;

/**
 * The raw events a database holds, read back as the job's two bounded sources, day by day in event-time order: what
 * {@code ./hotline rebuild} runs the job over when Kafka no longer holds them. The calls are {@code call_events}; the
 * tickets are {@code ticket_events} and the steps the job refused for the ticket's life ({@code dead_letters} with
 * {@code invalid_step} or {@code unknown_unit}, their canonical payload parsed again), so that every step is judged
 * again. Each source is Flink's number-sequence generator over a {@link Plan}: the n-th event of the plan is a pure
 * function of n, so a checkpoint holds just how far it has read, and a rebuild killed half way resumes there.
 */
public final class StoredEvents {
    private StoredEvents() {}

    /** The reasons a ticket step is refused by the job itself (the others are copied, not judged again). */
    public static final List<String> JUDGED_REFUSALS = List.of("invalid_step", "unknown_unit");

    /** One city day's events of a source: its first instant, the next day's, and how many. */
    public record Day(long startMs, long endMs, long count) implements Serializable {}

    /** A source's days, in order, with the events of each: the n-th event is found by counting through them. */
    public record Plan(List<Day> days) implements Serializable {
        public long total() {
            return days.stream().mapToLong(Day::count).sum();
        }
    }

    /** The calls of the months {@code from} to {@code to} (inclusive) in {@code db}, per day. */
    public static Plan callPlan(ClickHouseSql ch, String db, YearMonth from, YearMonth to) {
        return plan(
                ch,
                "SELECT toString(toDate(event_time)) AS day, count() AS n FROM " + db + ".call_events FINAL WHERE "
                        + inMonths(from, to) + " GROUP BY day ORDER BY day");
    }

    /** The ticket steps to judge again of those months, per day: each step once, wherever the job put it. */
    public static Plan ticketPlan(ClickHouseSql ch, String db, YearMonth from, YearMonth to) {
        return plan(
                ch,
                "SELECT toString(toDate(event_time)) AS day, uniqExact(ticket_id, event_id) AS n FROM ("
                        + "SELECT event_time, ticket_id, event_id FROM " + db + ".ticket_events FINAL WHERE "
                        + inMonths(from, to) + " UNION ALL SELECT assumeNotNull(event_time) AS event_time, "
                        + "visitParamExtractString(payload, 'ticket_id') AS ticket_id, "
                        + "visitParamExtractString(payload, 'event_id') AS event_id FROM " + db + ".dead_letters FINAL "
                        + "WHERE " + refusedSteps() + " AND " + inMonths(from, to)
                        + ") GROUP BY day ORDER BY day");
    }

    /**
     * The calls of a plan, as the job's calls source; {@code topic} names where they came from in dead letters, {@code
     * perSecond} paces it (0: as fast as it goes).
     */
    public static Source<Sourced<CallEvent>, ?, ?> calls(
            Connection c, Plan plan, String topic, double perSecond, TypeInformation<Sourced<CallEvent>> type) {
        return new DataGeneratorSource<>(
                new DayByDay<>(c, plan, topic, StoredEvents::callsOfDay), plan.total(), pace(perSecond), type);
    }

    /** The ticket steps of a plan, as the job's tickets source. */
    public static Source<Sourced<TicketEvent>, ?, ?> tickets(
            Connection c, Plan plan, String topic, double perSecond, TypeInformation<Sourced<TicketEvent>> type) {
        return new DataGeneratorSource<>(
                new DayByDay<>(c, plan, topic, StoredEvents::ticketsOfDay), plan.total(), pace(perSecond), type);
    }

    private static RateLimiterStrategy<NumberSequenceSource.NumberSequenceSplit> pace(double perSecond) {
        return perSecond > 0 ? RateLimiterStrategy.perSecond(perSecond) : RateLimiterStrategy.noOp();
    }

    /** Where the events are read from. */
    public record Connection(String url, String user, String password, String database) implements Serializable {}

    /** The condition on {@code event_time} that holds in the months {@code from} to {@code to}, inclusive. */
    public static String inMonths(YearMonth from, YearMonth to) {
        return "toYYYYMM(event_time) BETWEEN " + (from.getYear() * 100 + from.getMonthValue()) + " AND "
                + (to.getYear() * 100 + to.getMonthValue());
    }

    private static String refusedSteps() {
        return "reason IN ('" + String.join("', '", JUDGED_REFUSALS) + "') AND event_time IS NOT NULL";
    }

    private static Plan plan(ClickHouseSql ch, String sql) {
        List<Day> days = new ArrayList<>();
        for (JsonNode r : ch.rows(sql)) {
            LocalDate d = LocalDate.parse(r.get("day").asText());
            days.add(new Day(
                    d.atStartOfDay(HotlineJob.CITY_ZONE).toInstant().toEpochMilli(),
                    d.plusDays(1).atStartOfDay(HotlineJob.CITY_ZONE).toInstant().toEpochMilli(),
                    r.get("n").asLong()));
        }
        return new Plan(List.copyOf(days));
    }

    /** One day's events, in the order the source emits them. */
    interface DayReader<T> extends Serializable {
        List<Sourced<T>> read(ClickHouseSql ch, String db, Day day, String topic);
    }

    /** The n-th event of the plan: the day holding it is read whole (and kept) when first needed. */
    static final class DayByDay<T> implements GeneratorFunction<Long, Sourced<T>> {
        private final Connection connection;
        private final Plan plan;
        private final String topic;
        private final DayReader<T> reader;
        private transient ClickHouseSql ch;
        private transient int loadedDay;
        private transient long loadedFrom;
        private transient List<Sourced<T>> loaded;

        DayByDay(Connection connection, Plan plan, String topic, DayReader<T> reader) {
            this.connection = connection;
            this.plan = plan;
            this.topic = topic;
            this.reader = reader;
        }

        @Override
        public void open(SourceReaderContext context) {
            ch = new ClickHouseSql(connection.url(), connection.user(), connection.password());
            loadedDay = -1;
        }

        @Override
        public Sourced<T> map(Long n) {
            if (loaded != null && n >= loadedFrom && n - loadedFrom < loaded.size()) {
                return loaded.get((int) (n - loadedFrom)); // most often: the day read for the event before
            }
            long first = 0;
            for (int d = 0; d < plan.days().size(); d++) {
                Day day = plan.days().get(d);
                if (n < first + day.count()) {
                    if (d != loadedDay) {
                        loaded = reader.read(ch, connection.database(), day, topic);
                        if (loaded.size() != day.count()) {
                            throw new IllegalStateException(String.format(
                                    "%s holds %,d events of %s now, %,d when the rebuild was planned: it changed "
                                            + "under the rebuild",
                                    connection.database(),
                                    loaded.size(),
                                    java.time.Instant.ofEpochMilli(day.startMs()),
                                    day.count()));
                        }
                        loadedDay = d;
                        loadedFrom = first;
                    }
                    return loaded.get((int) (n - loadedFrom));
                }
                first += day.count();
            }
            throw new IllegalArgumentException("event " + n + " is beyond the plan's " + first);
        }

        @Override
        public void close() {
            if (ch != null) {
                ch.close();
            }
        }
    }

    private static String during(Day day) {
        return "event_time >= toDateTime(" + day.startMs() / 1000 + ") AND event_time < toDateTime("
                + day.endMs() / 1000 + ")";
    }

    static List<Sourced<CallEvent>> callsOfDay(ClickHouseSql ch, String db, Day day, String topic) {
        List<Sourced<CallEvent>> out = new ArrayList<>();
        long n = 0;
        for (JsonNode r : ch.rows("SELECT event_id, event_type, event_time_ms, call_id, line, caller_region, agent_id, "
                + "wait_seconds, talk_seconds, schema_version FROM " + db + ".call_events FINAL WHERE " + during(day)
                + " ORDER BY event_time_ms, event_id")) {
            CallEvent e = new CallEvent(
                    r.get("event_id").asText(),
                    r.get("schema_version").asInt(),
                    Wire.parse(CallEventType.class, r.get("event_type").asText()),
                    r.get("event_time_ms").asLong(),
                    r.get("call_id").asText(),
                    r.get("line").asText(),
                    r.get("caller_region").asText(),
                    text(r, "agent_id"),
                    integer(r, "wait_seconds"),
                    integer(r, "talk_seconds"));
            out.add(new Sourced<>(topic, 0, day.startMs() + n++, e, null, null));
        }
        return out;
    }

    static List<Sourced<TicketEvent>> ticketsOfDay(ClickHouseSql ch, String db, Day day, String topic) {
        List<Sourced<TicketEvent>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode r :
                ch.rows("SELECT event_id, event_type, event_time_ms, ticket_id, call_id, channel, request_type, "
                        + "category, topic, region, tags, desk, unit_id, due_time_ms, new_due_time_ms, reason, "
                        + "callback_source, satisfied, schema_version FROM " + db + ".ticket_events FINAL WHERE "
                        + during(day))) {
            JsonNode tags = r.get("tags");
            String[] tagList = new String[tags.size()];
            for (int i = 0; i < tagList.length; i++) {
                tagList[i] = tags.get(i).asText();
            }
            TicketEvent e = new TicketEvent(
                    r.get("event_id").asText(),
                    r.get("schema_version").asInt(),
                    Wire.parse(TicketEventType.class, r.get("event_type").asText()),
                    r.get("event_time_ms").asLong(),
                    r.get("ticket_id").asText(),
                    text(r, "call_id"),
                    Wire.parse(Channel.class, text(r, "channel")),
                    Wire.parse(RequestType.class, text(r, "request_type")),
                    text(r, "category"),
                    text(r, "topic"),
                    text(r, "region"),
                    tagList,
                    Wire.parse(Desk.class, text(r, "desk")),
                    text(r, "unit_id"),
                    number(r, "due_time_ms"),
                    number(r, "new_due_time_ms"),
                    text(r, "reason"),
                    Wire.parse(CallbackSource.class, text(r, "callback_source")),
                    r.get("satisfied").isNull() ? null : r.get("satisfied").asInt() == 1);
            seen.add(e.ticketId() + "\u0000" + e.eventId());
            out.add(new Sourced<>(topic, 0, -1, e, null, null)); // its place in the day: below, once sorted
        }
        for (JsonNode r : ch.rows("SELECT topic, kafka_partition, kafka_offset, payload FROM " + db
                + ".dead_letters FINAL WHERE " + refusedSteps() + " AND " + during(day))) {
            ParseResult<TicketEvent> parsed =
                    EventParser.parseTicket(r.get("payload").asText().getBytes(StandardCharsets.UTF_8));
            if (parsed.event() == null) {
                throw new IllegalStateException("a refused step in " + db + ".dead_letters no longer parses: "
                        + parsed.error() + ": " + r.get("payload").asText());
            }
            TicketEvent e = parsed.event();
            if (seen.add(e.ticketId() + "\u0000" + e.eventId())) { // counted since: it is in ticket_events too
                out.add(new Sourced<>(
                        r.get("topic").asText(),
                        r.get("kafka_partition").asInt(),
                        r.get("kafka_offset").asLong(),
                        e,
                        null,
                        null));
            }
        }
        out.sort(Comparator.comparingLong((Sourced<TicketEvent> s) -> s.event().eventTimeMs())
                .thenComparing(s -> s.event().ticketId())
                .thenComparing(s -> s.event().eventId()));
        // a step read from ticket_events has no Kafka offset: its place in the plan names it, should it be refused now
        for (int i = 0; i < out.size(); i++) {
            Sourced<TicketEvent> s = out.get(i);
            if (s.offset() < 0) {
                out.set(i, new Sourced<>(s.topic(), 0, day.startMs() + i, s.event(), null, null));
            }
        }
        return out;
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static Long number(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static Integer integer(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }
}
