package org.hotline.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hotline.events.CallEvent;
import org.hotline.events.CallEventType;
import org.hotline.events.EventParser;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.events.TicketEventType;
import org.hotline.figures.Rates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped profile's month, counted straight from the generated events. */
class MonthSimulatorTest {

    static Profile profile;
    static MonthSimulator.Month month;

    @BeforeAll
    static void generate() {
        profile = Profile.load("xiangtan-2023-09");
        month = new MonthSimulator(profile, 42).generate();
    }

    static Map<String, Long> count(List<TicketEvent> events, java.util.function.Function<TicketEvent, String> key) {
        Map<String, Long> out = new TreeMap<>();
        events.forEach(e -> {
            String k = key.apply(e);
            if (k != null) {
                out.merge(k, 1L, Long::sum);
            }
        });
        return out;
    }

    List<TicketEvent> created() {
        return month.tickets().stream()
                .filter(e -> e.type() == TicketEventType.CREATED)
                .toList();
    }

    @Test
    void theCallsAreThePublishedOnes() {
        long answered = month.calls().stream()
                .filter(c -> c.type() == CallEventType.ANSWERED)
                .count();
        long offered = month.calls().stream()
                .filter(c -> c.type() == CallEventType.OFFERED)
                .count();
        assertThat(answered).isEqualTo(35_272);
        assertThat(Rates.pct(answered, offered)).isEqualByComparingTo("94.13");
        Map<String, Long> byRegion = new HashMap<>();
        month.calls().stream()
                .filter(c -> c.type() == CallEventType.ANSWERED)
                .forEach(c -> byRegion.merge(c.callerRegion(), 1L, Long::sum));
        assertThat(byRegion).containsAllEntriesOf(profile.callsByRegion());
    }

    @Test
    void theTicketsAreThePublishedOnes() {
        List<TicketEvent> created = created();
        assertThat(created).hasSize(32_857);
        assertThat(count(created, e -> e.channel().wire())).isEqualTo(new TreeMap<>(profile.byChannel()));
        assertThat(count(created, e -> e.requestType().wire())).isEqualTo(new TreeMap<>(profile.byRequestType()));
        Map<String, Long> categories = count(created, TicketEvent::category);
        assertThat(categories).containsAllEntriesOf(profile.hotspotCategories());
        long lastTop = profile.hotspotCategories().values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElseThrow();
        assertThat(categories.entrySet())
                .filteredOn(e -> !profile.hotspotCategories().containsKey(e.getKey()))
                .allSatisfy(e -> assertThat(e.getValue()).isLessThan(lastTop));
        assertThat(count(created, e -> e.tags().length > 0 ? e.tags()[0] : null))
                .isEqualTo(profile.tags());
        assertThat(count(created, e -> e.desk() == null ? null : e.desk().wire()))
                .isEqualTo(new TreeMap<>(profile.desks()));
        assertThat(count(created, TicketEvent::topic)).containsEntry("认房不认贷", 70L);

        assertThat(count(month.tickets(), e -> e.type().wire())).containsEntry("resolved_online", 22_767L);
        Set<String> dispatched = new HashSet<>();
        month.tickets().stream()
                .filter(e -> e.type() == TicketEventType.DISPATCHED)
                .forEach(e -> dispatched.add(e.ticketId()));
        assertThat(dispatched).hasSize(10_090);
        assertThat(count(month.tickets(), e -> e.type() == TicketEventType.COMPLETED ? "completed" : null))
                .containsEntry("completed", 10_090L);

        List<TicketEvent> callbacks = month.tickets().stream()
                .filter(e -> e.type() == TicketEventType.CALLBACK)
                .toList();
        long satisfied = callbacks.stream().filter(TicketEvent::satisfied).count();
        assertThat(Rates.pct(satisfied, callbacks.size())).isEqualByComparingTo("67.45");
    }

    @Test
    void theIncidentsAreInTheMonth() {
        Map<String, Long> dispatches =
                count(month.tickets(), e -> e.type() == TicketEventType.DISPATCHED ? e.ticketId() : null);
        assertThat(dispatches.values()).contains(8L);
        assertThat(month.tickets())
                .filteredOn(e -> e.type() == TicketEventType.RETURNED)
                .hasSize(65)
                .allSatisfy(e -> assertThat(e.unitId()).isEqualTo("湘潭经开区管委会"));
        assertThat(month.tickets())
                .filteredOn(e -> e.type() == TicketEventType.REJECTED)
                .hasSize(75);
    }

    @Test
    void everyEventIsValidOnTheWireInTheMonthAndInOrder() {
        EventWriter writer = new EventWriter(ZoneId.of("Asia/Shanghai"));
        long start = profile.month()
                .atDay(1)
                .atStartOfDay(profile.zone())
                .toInstant()
                .toEpochMilli();
        long end = profile.month()
                .plusMonths(1)
                .atDay(1)
                .atStartOfDay(profile.zone())
                .toInstant()
                .toEpochMilli();
        for (CallEvent c : month.calls()) {
            assertThat(EventParser.parseCall(writer.write(c).getBytes(UTF_8)).event())
                    .isEqualTo(c);
            assertThat(c.eventTimeMs()).isBetween(start, end - 1);
        }
        for (TicketEvent t : month.tickets()) {
            assertThat(EventParser.parseTicket(writer.write(t).getBytes(UTF_8)).isOk())
                    .isTrue();
            assertThat(t.eventTimeMs()).isBetween(start, end - 1);
        }
        assertThat(month.tickets()).extracting(TicketEvent::eventTimeMs).isSorted();
        assertThat(month.calls()).extracting(CallEvent::eventTimeMs).isSorted();
    }

    @Test
    void theSameSeedGivesTheSameMonthAndAnotherSeedAnotherOne() {
        MonthSimulator.Month again = new MonthSimulator(profile, 42).generate();
        assertThat(again.calls()).isEqualTo(month.calls());
        assertThat(again.tickets())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(month.tickets());
        MonthSimulator.Month other = new MonthSimulator(profile, 43).generate();
        assertThat(other.calls()).isNotEqualTo(month.calls());
    }

    @Test
    void theUnitsAreThePublishedOnes() {
        Map<String, long[]> counted = unitFigures(month.tickets());
        for (Profile.UnitFigures u : profile.units()) {
            assertThat(counted.get(u.unit()))
                    .as(u.unit() + ": tickets, on time, extended, contacted")
                    .containsExactly(u.tickets(), u.onTime(), u.extensions(), u.contacted());
        }
    }

    /**
     * Units that receive returned tickets with fewer extensions than the tickets they receive: a redispatch sets a
     * new due time, so a returned ticket needs no extension. The month calibrates, counted from its events.
     */
    @Test
    void unitsReceivingMoreReturnedTicketsThanTheyHaveExtensionsCalibrate(@TempDir Path dir) throws Exception {
        for (String file : List.of("month.json", "units.csv")) {
            try (InputStream in = Profile.class.getResourceAsStream("/profiles/xiangtan-2023-09/" + file)) {
                String text = new String(in.readAllBytes(), UTF_8);
                if (file.equals("units.csv")) { // 65 tickets returned to these two; 13 extensions between them
                    text = text.replace("雨湖区人民政府,district,1613,1613,254,", "雨湖区人民政府,district,1613,1613,10,")
                            .replace("市城管局,department,72,72,7,", "市城管局,department,72,72,3,");
                }
                Files.writeString(dir.resolve(file), text, UTF_8);
            }
        }
        Profile tight = Profile.load(dir.toString());

        Map<String, long[]> counted =
                unitFigures(new MonthSimulator(tight, 7).generate().tickets());

        for (Profile.UnitFigures u : tight.units()) {
            assertThat(counted.getOrDefault(u.unit(), new long[4]))
                    .as(u.unit() + ": tickets, on time, extended, contacted")
                    .containsExactly(u.tickets(), u.onTime(), u.extensions(), u.contacted());
        }
    }

    /**
     * Per unit, counted from the events alone: tickets it completed, on time (completed by the due time in force:
     * the last dispatch's, or a later extension's), extended at any point, and contacted.
     */
    static Map<String, long[]> unitFigures(List<TicketEvent> events) {
        Map<String, List<TicketEvent>> byTicket = new TreeMap<>();
        events.forEach(e -> byTicket.computeIfAbsent(e.ticketId(), k -> new java.util.ArrayList<>())
                .add(e));
        Map<String, long[]> out = new HashMap<>();
        for (List<TicketEvent> life : byTicket.values()) {
            Long due = null;
            boolean extended = false;
            boolean contacted = false;
            for (TicketEvent e : life) {
                switch (e.type()) {
                    case DISPATCHED -> due = e.dueTimeMs();
                    case EXTENSION_GRANTED -> {
                        due = e.newDueTimeMs();
                        extended = true;
                    }
                    case CONTACTED -> contacted = true;
                    case COMPLETED -> {
                        long[] f = out.computeIfAbsent(e.unitId(), k -> new long[4]);
                        f[0]++;
                        f[1] += e.eventTimeMs() <= due ? 1 : 0;
                        f[2] += extended ? 1 : 0;
                        f[3] += contacted ? 1 : 0;
                    }
                    default -> {}
                }
            }
        }
        return out;
    }

    @Test
    void ratesAreRoundedHalfUpAndFoundFromThePublishedPercentages() {
        assertThat(Rates.pct(1, 8)).isEqualByComparingTo("12.50");
        assertThat(Rates.pct(2, 3)).isEqualByComparingTo("66.67");
        assertThat(Rates.pct(1, 0)).isEqualByComparingTo("0");
        assertThat(Rates.fraction(new java.math.BigDecimal("90.91"), 100)).containsExactly(10, 11);
        assertThat(Rates.fraction(new java.math.BigDecimal("0"), 100)).containsExactly(0, 0);
        long offered = Rates.denominator(35_272, new java.math.BigDecimal("94.13"));
        assertThat(Rates.pct(35_272, offered)).isEqualByComparingTo("94.13");
        assertThat(Rates.pct(35_272, offered - 1)).isNotEqualByComparingTo("94.13");
    }
}
