package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CityCalendarTest {

    /** Every 7 minutes over two years, forwards and then jumping about: the same days and months as java.time says. */
    @Test
    void daysAndMonthsAsJavaTimeHasThem() {
        for (String zone : new String[] {"Asia/Shanghai", "Europe/Berlin"}) { // Berlin: days of 23 and 25 hours
            ZoneId z = ZoneId.of(zone);
            CityCalendar c = CityCalendar.of(z);
            long from = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
            long step = 7 * 60_000L;
            for (long ms = from; ms < from + 2 * 366 * 86_400_000L; ms += step) {
                check(c, z, ms);
                check(c, z, from + (ms * 7919) % (2 * 366 * 86_400_000L)); // out of order
            }
        }
    }

    private static void check(CityCalendar c, ZoneId z, long ms) {
        ZonedDateTime day = Instant.ofEpochMilli(ms).atZone(z).toLocalDate().atStartOfDay(z);
        assertThat(c.dayStart(ms))
                .as("day of %d in %s", ms, z)
                .isEqualTo(day.toInstant().toEpochMilli());
        assertThat(c.dayEnd(ms))
                .isEqualTo(day.plusDays(1)
                        .toLocalDate()
                        .atStartOfDay(z)
                        .toInstant()
                        .toEpochMilli());
        assertThat(c.monthStart(ms))
                .isEqualTo(day.toLocalDate()
                        .withDayOfMonth(1)
                        .atStartOfDay(z)
                        .toInstant()
                        .toEpochMilli());
    }
}
