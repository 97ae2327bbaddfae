package org.hotline.assessment;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.hotline.events.UnitGroup;
import org.hotline.events.Wire;
import org.hotline.figures.Rates;

/**
 * The monthly assessment (考核) of docs/domain.md: out of 100 plus up to 5 bonus. Percentages are taken
 * to two decimals first, each score is rounded half-up to two decimals, and units are ranked within
 * their group (departments and companies also within their tier) by total, then valid tickets.
 */
public final class Assessment {
    private Assessment() {}

    /** A unit's month: the stream's figures and the office's inputs. */
    public record UnitMonth(
            String unit,
            UnitGroup group,
            long tickets,
            long onTime,
            long extensions,
            long contacted,
            BigDecimal sysSatisfactionPct,
            BigDecimal spotSatisfactionPct,
            long rejects,
            BigDecimal knowledgeBase,
            BigDecimal cooperation,
            BigDecimal bonus) {}

    /** A unit's scores, its tier (empty for districts and parks) and its rank within group and tier. */
    public record Score(
            UnitMonth unit,
            String tier,
            int rank,
            BigDecimal onTime,
            BigDecimal delay,
            BigDecimal contact,
            BigDecimal satisfaction,
            BigDecimal reject,
            BigDecimal total) {

        /**
         * The figures a ranking table shows after the tickets, in the bulletin's order: the five scores, the office's
         * three inputs, the total.
         */
        public List<BigDecimal> figures() {
            return List.of(
                    onTime,
                    delay,
                    contact,
                    satisfaction,
                    reject,
                    unit.knowledgeBase(),
                    unit.cooperation(),
                    unit.bonus(),
                    total);
        }
    }

    static final BigDecimal TEN = BigDecimal.TEN;
    static final BigDecimal ZERO = BigDecimal.ZERO;

    /** Scores and ranks every unit; the result is ordered by group, tier and rank. */
    public static List<Score> rank(List<UnitMonth> units) {
        Map<String, List<Score>> cohorts = new LinkedHashMap<>();
        for (UnitGroup g : UnitGroup.values()) {
            for (String tier : List.of("", "A", "B", "C")) {
                cohorts.put(g.name() + "|" + tier, new ArrayList<>());
            }
        }
        for (UnitMonth u : units) {
            Score s = score(u);
            cohorts.get(u.group().name() + "|" + s.tier()).add(s);
        }
        List<Score> out = new ArrayList<>();
        Comparator<Score> order = Comparator.comparing(Score::total)
                .reversed()
                .thenComparing(Comparator.comparingLong((Score s) -> s.unit().tickets())
                        .reversed())
                .thenComparing(s -> s.unit().unit());
        for (List<Score> cohort : cohorts.values()) {
            cohort.sort(order);
            for (int i = 0; i < cohort.size(); i++) {
                Score s = cohort.get(i);
                // equal total and equal tickets share a rank (1, 2, 2, 4)
                int rank = i > 0
                                && s.total().compareTo(cohort.get(i - 1).total()) == 0
                                && s.unit().tickets()
                                        == cohort.get(i - 1).unit().tickets()
                        ? out.get(out.size() - 1).rank()
                        : i + 1;
                out.add(new Score(
                        s.unit(),
                        s.tier(),
                        rank,
                        s.onTime(),
                        s.delay(),
                        s.contact(),
                        s.satisfaction(),
                        s.reject(),
                        s.total()));
            }
        }
        return out;
    }

    /**
     * The units of a month report (the report command's JSON): the stream's figures and the
     * office's inputs. A unit without a known group is left out, and one without office inputs counts 0
     * for them; {@code warnings} hears of both.
     */
    public static List<UnitMonth> fromReport(JsonNode report, Consumer<String> warnings) {
        List<UnitMonth> units = new ArrayList<>();
        for (JsonNode u : report.get("units")) {
            UnitGroup group =
                    Wire.parse(UnitGroup.class, u.path("group").asText().toLowerCase(Locale.ROOT));
            if (group == null) {
                warnings.accept(
                        "unit " + u.get("unit").asText() + " has no known group (load the units): not assessed");
                continue;
            }
            if (u.get("knowledge_base").isNull()) {
                warnings.accept("no office inputs for " + u.get("unit").asText()
                        + ": knowledge base, cooperation and bonus count 0");
            }
            units.add(new UnitMonth(
                    u.get("unit").asText(),
                    group,
                    u.get("tickets").asLong(),
                    u.get("on_time").asLong(),
                    u.get("extensions").asLong(),
                    u.get("contacted").asLong(),
                    u.get("sys_satisfaction_pct").decimalValue(),
                    u.get("spot_satisfaction_pct").decimalValue(),
                    u.get("rejects").asLong(),
                    decimal(u, "knowledge_base"),
                    decimal(u, "cooperation"),
                    decimal(u, "bonus")));
        }
        return units;
    }

    private static BigDecimal decimal(JsonNode u, String field) {
        return u.get(field).isNull() ? BigDecimal.ZERO : u.get(field).decimalValue();
    }

    /** Tier by the month's valid tickets, for departments and companies: A at least 100, B 20 to 99, C below 20. */
    public static String tier(UnitGroup group, long tickets) {
        if (group == UnitGroup.DISTRICT || group == UnitGroup.PARK) {
            return "";
        }
        return tickets >= 100 ? "A" : tickets >= 20 ? "B" : "C";
    }

    public static Score score(UnitMonth u) {
        boolean localGovernment = u.group() == UnitGroup.DISTRICT || u.group() == UnitGroup.PARK;
        BigDecimal r = Rates.pct(u.onTime(), u.tickets());
        BigDecimal d = Rates.pct(u.extensions(), u.tickets());
        BigDecimal c = Rates.pct(u.contacted(), u.tickets());
        BigDecimal onTime = round(r.divide(TEN));
        BigDecimal delay =
                round(clamp(TEN.subtract(new BigDecimal("0.5").multiply(d.subtract(BigDecimal.valueOf(15)))), TEN));
        BigDecimal contact = round(c.divide(BigDecimal.valueOf(5)));
        BigDecimal baseline = BigDecimal.valueOf(localGovernment ? 60 : 70);
        BigDecimal quarter = new BigDecimal("0.25");
        BigDecimal satisfaction = round(clamp(
                quarter.multiply(u.sysSatisfactionPct())
                        .add(quarter.multiply(u.spotSatisfactionPct().subtract(baseline))),
                BigDecimal.valueOf(25)));
        BigDecimal k = new BigDecimal(localGovernment ? "0.2" : "0.5");
        BigDecimal reject =
                round(TEN.subtract(k.multiply(BigDecimal.valueOf(u.rejects()))).max(ZERO));
        BigDecimal total = onTime.add(delay)
                .add(contact)
                .add(satisfaction)
                .add(reject)
                .add(u.knowledgeBase())
                .add(u.cooperation())
                .add(u.bonus())
                .setScale(2, RoundingMode.HALF_UP);
        return new Score(u, tier(u.group(), u.tickets()), 0, onTime, delay, contact, satisfaction, reject, total);
    }

    private static BigDecimal clamp(BigDecimal v, BigDecimal max) {
        return v.max(ZERO).min(max);
    }

    private static BigDecimal round(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }
}
