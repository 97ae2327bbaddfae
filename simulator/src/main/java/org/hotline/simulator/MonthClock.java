package org.hotline.simulator;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * The month being generated: its bounds, its one seeded source of randomness (every step draws from it in
 * turn, so the same seed gives the same month) and the hotline's rhythm over the day and the week.
 */
final class MonthClock {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    final Random random;
    /** The month's first and first-after instants, epoch milliseconds. */
    final long start;

    final long end;
    private final double[] hourWeights;
    private final double totalWeight;

    MonthClock(Profile profile, long seed) {
        this.random = new Random(seed);
        ZonedDateTime first = profile.month().atDay(1).atStartOfDay(profile.zone());
        this.start = first.toInstant().toEpochMilli();
        this.end = first.plusMonths(1).toInstant().toEpochMilli();
        int hours = (int) ((end - start) / HOUR);
        this.hourWeights = new double[hours];
        double total = 0;
        for (int h = 0; h < hours; h++) {
            ZonedDateTime at = first.plusHours(h);
            hourWeights[h] = hourOfDayWeight(at.getHour()) * (isWeekend(at.getDayOfWeek()) ? 0.6 : 1.0);
            total += hourWeights[h];
        }
        this.totalWeight = total;
    }

    private static boolean isWeekend(DayOfWeek d) {
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    /** The hotline's day: quiet at night, busy in office hours, a dip at lunch. */
    private static double hourOfDayWeight(int hour) {
        if (hour < 7) {
            return 0.15;
        }
        if (hour < 8) {
            return 0.8;
        }
        if (hour < 12) {
            return 3.0;
        }
        if (hour < 14) {
            return 1.6;
        }
        if (hour < 18) {
            return 2.8;
        }
        if (hour < 22) {
            return 1.2;
        }
        return 0.4;
    }

    /** A moment of the month following the hotline's rhythm. */
    long moment() {
        double x = random.nextDouble() * totalWeight;
        int h = 0;
        while (h < hourWeights.length - 1 && x >= hourWeights[h]) {
            x -= hourWeights[h];
            h++;
        }
        return start + h * HOUR + (long) (random.nextDouble() * HOUR);
    }

    /** A moment from {@code from} to {@code to}, uniformly ({@code from} when the span is empty). */
    long between(long from, long to) {
        if (to <= from) {
            return from;
        }
        return from + (long) (random.nextDouble() * (to - from));
    }

    /** When a ticket created at {@code created} is dispatched: within the hour, sooner near the month's end. */
    long dispatchAfter(long created) {
        long room = end - created;
        return created + between(Math.min(5 * MINUTE, room / 16), Math.min(HOUR, room / 8));
    }
}
