package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class SliceFactsTest {

    static Fact f(FactKind kind, String dimension, String value, long time, int sign) {
        return new Fact(kind, dimension, value, time, sign);
    }

    static List<Fact> expanded(List<SliceFacts> groups) {
        List<Fact> facts = new ArrayList<>();
        groups.forEach(g -> g.expand(new ListCollector<>(facts)));
        return facts;
    }

    @Test
    void aCompletionsFactsInOneSliceAreOneRecord() {
        List<Fact> facts = List.of(
                f(FactKind.COMPLETED, "unit", "U1", 60_000, 1),
                f(FactKind.COMPLETED, "all", "", 60_000, 1),
                f(FactKind.COMPLETED_ON_TIME, "unit", "U1", 60_000, 1),
                f(FactKind.COMPLETED_ON_TIME, "all", "", 60_000, 1),
                f(FactKind.CLOSED, "unit", "U1", 60_000, 1),
                f(FactKind.CLOSED, "unit", "U1", 120_000, 1));
        List<SliceFacts> groups = SliceFacts.group(facts);
        assertThat(groups)
                .extracting(g -> g.dimension() + " " + g.value() + " " + g.timeMs())
                .containsExactly("unit U1 60000", "all  60000", "unit U1 120000");
        assertThat(groups.get(0).count(FactKind.COMPLETED)).isEqualTo(1);
        assertThat(groups.get(0).count(FactKind.COMPLETED_ON_TIME)).isEqualTo(1);
        assertThat(groups.get(0).count(FactKind.CLOSED)).isEqualTo(1);
        assertThat(groups.get(1).count(FactKind.CLOSED)).isZero();
        assertThat(expanded(groups)).containsExactlyInAnyOrderElementsOf(facts);
    }

    /** Grouped and expanded again, random facts (retractions among them) are the same facts. */
    @Test
    void expandedGroupsAreTheFactsGrouped() {
        Random random = new Random(20261204);
        FactKind[] kinds = FactKind.values();
        String[] dimensions = {"all", "unit", "category", "tag"};
        for (int round = 0; round < 200; round++) {
            List<Fact> facts = new ArrayList<>();
            int sign = random.nextBoolean() ? 1 : -1; // one emission's facts all hold, or are all retracted
            for (int i = random.nextInt(40); i > 0; i--) {
                facts.add(f(
                        kinds[random.nextInt(kinds.length)],
                        dimensions[random.nextInt(dimensions.length)],
                        "v" + random.nextInt(3),
                        60_000L * random.nextInt(3),
                        sign));
            }
            List<SliceFacts> groups = SliceFacts.group(facts);
            assertThat(expanded(groups)).as("round %d", round).containsExactlyInAnyOrderElementsOf(facts);
            assertThat(groups)
                    .as("one group per slice and time")
                    .extracting(g -> g.dimension() + " " + g.value() + " " + g.timeMs())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void theAlertsReadTheKindsTheyAskForOfTheirDimensionsOnly() {
        List<Fact> facts = List.of(
                f(FactKind.COMPLETED, "unit", "U1", 60_000, 1),
                f(FactKind.CLOSED, "unit", "U1", 60_000, 1),
                f(FactKind.CLOSED, "unit", "U1", 60_000, 1),
                f(FactKind.CREATED, "category", "路灯", 60_000, 1),
                f(FactKind.CREATED, "all", "", 60_000, 1));
        List<Fact> out = new ArrayList<>();
        SliceFacts.Expand expand = new SliceFacts.Expand(java.util.Map.of(
                "unit", java.util.Set.of(FactKind.CLOSED), "category", java.util.Set.of(FactKind.CREATED)));
        for (SliceFacts g : SliceFacts.group(facts)) {
            expand.flatMap(g, new ListCollector<>(out));
        }
        assertThat(out).containsExactlyInAnyOrder(facts.get(1), facts.get(2), facts.get(3));
    }

    /** A late step's correction: what held before retracted beside what holds now, netted by the grouping. */
    @Test
    void factsAndTheirRetractionsNetOutAndASliceLeftWithNothingIsNoRecord() {
        Fact onTime = f(FactKind.COMPLETED_ON_TIME, "unit", "U1", 60_000, 1);
        Fact completed = f(FactKind.COMPLETED, "unit", "U1", 60_000, 1);
        Fact city = f(FactKind.COMPLETED, "all", "", 60_000, 1);
        List<SliceFacts> groups = SliceFacts.group(
                List.of(completed, city, completed.negate(), onTime.negate(), city.negate(), city.negate(), city));
        assertThat(expanded(groups)).containsExactly(onTime.negate());
        assertThat(SliceFacts.group(List.of(city, city.negate()))).isEmpty();
    }
}
