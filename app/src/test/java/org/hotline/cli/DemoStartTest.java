package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.junit.jupiter.api.Test;

/** The demo's live play starts in office hours on the month's first working day, so its board is busy at once. */
class DemoStartTest {

    static MonthSimulator.Month month(YearMonth m) {
        return new MonthSimulator.Month(Profile.load("xiangtan-2023-09").withMonth(m), List.of(), List.of());
    }

    @Test
    void nineOnTheFirstWorkingDayUnlessToldOtherwise() {
        DemoCommand demo = new DemoCommand();
        demo.startHour = 9;
        assertThat(demo.startOf(month(YearMonth.of(2023, 9))).toString())
                .startsWith("2023-09-01T09:00+08:00"); // a Friday
        assertThat(demo.startOf(month(YearMonth.of(2024, 6))).toString())
                .startsWith("2024-06-03T09:00+08:00"); // Sat 1st
        demo.startDay = 15;
        demo.startHour = 20;
        assertThat(demo.startOf(month(YearMonth.of(2024, 6))).toString()).startsWith("2024-06-15T20:00+08:00");
    }
}
