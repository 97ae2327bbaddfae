package org.hotline.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hotline.events.UnitGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The assessment rules of docs/domain.md, from its worked rows and at every edge. */
class AssessmentTest {

    static Assessment.UnitMonth unit(
            String name,
            UnitGroup group,
            long tickets,
            long onTime,
            long extensions,
            long contacted,
            String sys,
            String spot,
            long rejects,
            String kb,
            String coop,
            String bonus) {
        return new Assessment.UnitMonth(
                name,
                group,
                tickets,
                onTime,
                extensions,
                contacted,
                new BigDecimal(sys),
                new BigDecimal(spot),
                rejects,
                new BigDecimal(kb),
                new BigDecimal(coop),
                new BigDecimal(bonus));
    }

    static List<String> scores(Assessment.Score s) {
        return List.of(s.onTime(), s.delay(), s.contact(), s.satisfaction(), s.reject(), s.total()).stream()
                .map(BigDecimal::toPlainString)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // the worked rows of the published bulletin: inputs -> on-time, delay, contact, satisfaction, reject, total
        "a district,   DISTRICT,   382, 382, 75, 382, 67.14, 85, 1,  19,   4, 0, 10.00, 7.69, 20.00, 23.04, 9.80, 93.53",
        "a park,       PARK,        48,  48,  9,  48, 40,    75, 3,  18.5, 5, 0, 10.00, 8.13, 20.00, 13.75, 9.40, 84.78",
        "a department, DEPARTMENT, 159, 155, 34, 159, 37.93, 85, 11, 18,   5, 0, 9.75,  6.81, 20.00, 13.23, 4.50, 77.29",
        "a company,    ENTERPRISE, 225, 224, 46, 225, 44.44, 75, 2,  18.5, 5, 0, 9.96,  7.28, 20.00, 12.36, 9.00, 82.10"
    })
    void theWorkedRowsOfTheBulletin(
            String name,
            UnitGroup group,
            long tickets,
            long onTime,
            long ext,
            long contacted,
            String sys,
            String spot,
            long rejects,
            String kb,
            String coop,
            String bonus,
            String s1,
            String s2,
            String s3,
            String s4,
            String s5,
            String total) {
        Assessment.Score s = Assessment.score(
                unit(name, group, tickets, onTime, ext, contacted, sys, spot, rejects, kb, coop, bonus));
        assertThat(scores(s)).containsExactly(s1, s2, s3, s4, s5, total);
    }

    @Test
    void theDelayScoreIsKeptWithinZeroAndTen() {
        assertThat(Assessment.score(unit("few", UnitGroup.DISTRICT, 100, 100, 5, 100, "50", "60", 0, "0", "0", "0"))
                        .delay())
                .isEqualByComparingTo("10");
        assertThat(Assessment.score(unit("edge", UnitGroup.DISTRICT, 100, 100, 35, 100, "50", "60", 0, "0", "0", "0"))
                        .delay())
                .isEqualByComparingTo("0");
        assertThat(Assessment.score(unit("many", UnitGroup.DISTRICT, 100, 100, 80, 100, "50", "60", 0, "0", "0", "0"))
                        .delay())
                .isEqualByComparingTo("0");
    }

    @Test
    void theSatisfactionScoreIsKeptWithinZeroAndTwentyFiveWithItsGroupsBaseline() {
        assertThat(Assessment.score(unit("low", UnitGroup.DEPARTMENT, 10, 10, 0, 10, "0", "20", 0, "0", "0", "0"))
                        .satisfaction())
                .isEqualByComparingTo("0");
        assertThat(Assessment.score(unit("high", UnitGroup.PARK, 10, 10, 0, 10, "100", "100", 0, "0", "0", "0"))
                        .satisfaction())
                .isEqualByComparingTo("25");
        // the same rates score 2.5 more for a district (baseline 60) than for a department (baseline 70)
        assertThat(Assessment.score(unit("d", UnitGroup.DISTRICT, 10, 10, 0, 10, "50", "80", 0, "0", "0", "0"))
                        .satisfaction())
                .isEqualByComparingTo("17.50");
        assertThat(Assessment.score(unit("e", UnitGroup.ENTERPRISE, 10, 10, 0, 10, "50", "80", 0, "0", "0", "0"))
                        .satisfaction())
                .isEqualByComparingTo("15.00");
    }

    @Test
    void aRateWithNoCallbacksCountsAsZero() {
        Assessment.Score s =
                Assessment.score(unit("quiet", UnitGroup.DEPARTMENT, 1, 1, 0, 1, "0", "100", 0, "18.5", "5", "0"));
        assertThat(s.satisfaction()).isEqualByComparingTo("7.50");
    }

    @Test
    void rejectionsCostByGroupAndNeverBelowZero() {
        assertThat(Assessment.score(unit("p", UnitGroup.PARK, 10, 10, 0, 10, "0", "60", 3, "0", "0", "0"))
                        .reject())
                .isEqualByComparingTo("9.40");
        assertThat(Assessment.score(unit("c", UnitGroup.ENTERPRISE, 10, 10, 0, 10, "0", "70", 3, "0", "0", "0"))
                        .reject())
                .isEqualByComparingTo("8.50");
        assertThat(Assessment.score(unit("x", UnitGroup.ENTERPRISE, 10, 10, 0, 10, "0", "70", 60, "0", "0", "0"))
                        .reject())
                .isEqualByComparingTo("0");
    }

    @Test
    void tiersSplitDepartmentsAndCompaniesAtTwentyAndAHundredTickets() {
        assertThat(List.of(19L, 20L, 99L, 100L))
                .extracting(n -> Assessment.tier(UnitGroup.DEPARTMENT, n))
                .containsExactly("C", "B", "B", "A");
        assertThat(Assessment.tier(UnitGroup.ENTERPRISE, 100)).isEqualTo("A");
        assertThat(Assessment.tier(UnitGroup.DISTRICT, 5)).isEmpty();
    }

    @Test
    void unitsAreRankedWithinGroupAndTierByTotalThenTickets() {
        List<Assessment.Score> ranked = Assessment.rank(List.of(
                unit("d2", UnitGroup.DEPARTMENT, 30, 30, 0, 30, "50", "70", 0, "18", "5", "0"),
                unit(
                        "d1",
                        UnitGroup.DEPARTMENT,
                        40,
                        40,
                        0,
                        40,
                        "50",
                        "70",
                        0,
                        "18",
                        "5",
                        "0"), // same total, more tickets
                unit("d3", UnitGroup.DEPARTMENT, 40, 40, 0, 40, "50", "70", 0, "18", "5", "0"), // a full tie with d1
                unit("big", UnitGroup.DEPARTMENT, 150, 140, 0, 150, "50", "70", 0, "18", "5", "0"),
                unit("zone", UnitGroup.PARK, 10, 10, 0, 10, "50", "70", 0, "18", "5", "0"),
                unit("county", UnitGroup.DISTRICT, 10, 9, 0, 10, "50", "70", 0, "18", "5", "0")));
        assertThat(ranked)
                .extracting(s -> s.unit().unit(), Assessment.Score::tier, Assessment.Score::rank)
                .containsExactly(
                        tuple("county", "", 1),
                        tuple("zone", "", 1),
                        tuple("big", "A", 1),
                        tuple("d1", "B", 1),
                        tuple("d3", "B", 1),
                        tuple("d2", "B", 3));
    }

    @Test
    void thePublishedMonthIsAssessedAsCsv() throws Exception {
        Path units = Path.of("../simulator/profiles/xiangtan-2023-09/units.csv");
        List<Assessment.UnitMonth> read = AssessmentCsv.read(Files.newBufferedReader(units));
        assertThat(read).hasSize(57);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AssessmentCsv.write(Assessment.rank(read), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo(AssessmentCsv.HEADER);
        assertThat(lines)
                .hasSize(58)
                .contains("district,,2,韶山市人民政府,382,10.00,7.69,20.00,23.04,9.80,19.00,4.00,0.00,93.53")
                .contains("department,A,7,市住建局,159,9.75,6.81,20.00,13.23,4.50,18.00,5.00,0.00,77.29")
                .contains("enterprise,A,4,移动湘潭分公司,225,9.96,7.28,20.00,12.36,9.00,18.50,5.00,0.00,82.10")
                // a full tie (total and tickets) shares its rank
                .contains(
                        "enterprise,C,1,国安网络公司,10,10.00,10.00,20.00,25.00,9.50,19.00,5.00,0.00,98.50",
                        "enterprise,C,1,湘潭市医卫职院,10,10.00,10.00,20.00,25.00,10.00,18.50,5.00,0.00,98.50");
        assertThat(lines.get(1)).startsWith("district,,1,");
        assertThat(lines.get(57)).startsWith("enterprise,C,");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,rejects,knowledge_base,cooperation | line 1, column bonus: missing column
            unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,rejects,knowledge_base,cooperation,bonus\\nA,district,ten,1,0,1,50,50,0,18,5,0 | line 2, column tickets: 'ten' is not a number
            unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,rejects,knowledge_base,cooperation,bonus\\nA,district,1,1,0,1,50,50,0,18,5,0\\nB,company,1,1,0,1,50,50,0,18,5,0 | line 3, column group: unknown group 'company'
            unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,rejects,knowledge_base,cooperation,bonus\\nA,district,10,11,0,1,50,50,0,18,5,0 | line 2, column on_time: 11 is more than the unit's 10 tickets
            unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,rejects,knowledge_base,cooperation,bonus\\nA,district,10,10,0,1,150,50,0,18,5,0 | line 2, column sys_satisfaction_pct: 150 is not a percentage from 0 to 100
            """)
    void badInputIsRefusedNamingTheLineAndColumn(String csv, String message) {
        assertThatThrownBy(() -> AssessmentCsv.read(new StringReader(csv.replace("\\n", "\n"))))
                .isInstanceOf(AssessmentCsv.BadInput.class)
                .hasMessageStartingWith(message);
    }
}
