package org.hotline.jobs;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a moment's day and month start in a zone, worked out once per day rather than for every row (rows come in
 * time order, mostly within one day). Shared by the tasks of a JVM: the day last asked for is one immutable value.
 */
public final class CityCalendar {
    private static final Map<ZoneId, CityCalendar> BY_ZONE = new ConcurrentHashMap<>();

    private final ZoneId zone;
    private volatile Day last = new Day(0, 0, 0);

    /** A day: its start, the next day's start and its month's start, epoch ms. */
    record Day(long start, long end, long monthStart) {}

    private CityCalendar(ZoneId zone) {
        this.zone = zone;
    }

    public static CityCalendar of(ZoneId zone) {
        return BY_ZONE.computeIfAbsent(zone, CityCalendar::new);
    }

    /** The start of the day {@code ms} falls in. */
    public long dayStart(long ms) {
        return day(ms).start();
    }

    /** The start of the next day. */
    public long dayEnd(long ms) {
        return day(ms).end();
    }

    /** The start of the month {@code ms} falls in. */
    public long monthStart(long ms) {
        return day(ms).monthStart();
    }

    private Day day(long ms) {
        Day d = last;
        if (ms < d.start() || ms >= d.end()) {
            ZonedDateTime start =
                    Instant.ofEpochMilli(ms).atZone(zone).toLocalDate().atStartOfDay(zone);
            d = new Day(
                    start.toInstant().toEpochMilli(),
                    start.toLocalDate()
                            .plusDays(1)
                            .atStartOfDay(zone)
                            .toInstant()
                            .toEpochMilli(),
                    start.toLocalDate()
                            .withDayOfMonth(1)
                            .atStartOfDay(zone)
                            .toInstant()
                            .toEpochMilli());
            last = d;
        }
        return d;
    }
}
