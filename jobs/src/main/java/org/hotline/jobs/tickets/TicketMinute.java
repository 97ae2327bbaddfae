package org.hotline.jobs.tickets;

/**
 * The ticket counts of one minute in one slice: a unit ({@code dimension = "unit"}) or a city-wide
 * slice ({@code all}, {@code channel}, {@code request_type}, {@code category}, {@code topic},
 * {@code region}, {@code tag}, {@code desk}). {@code counts} is indexed by {@link FactKind#ordinal()}.
 * {@code version} grows each time the minute is re-emitted with late changes.
 */
public record TicketMinute(long minuteStartMs, String dimension, String value, long[] counts, long version) {}
