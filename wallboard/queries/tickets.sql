-- Tickets city-wide: created, resolved online and dispatched today; completed, on time, callbacks and
-- satisfied for the month so far. "Now" is the last minute with tickets.
WITH (SELECT max(minute) FROM ${db}.ticket_minute_metrics WHERE dimension = 'all') AS now_minute
SELECT
    toString(now_minute) AS as_of,
    sumIf(created, toDate(minute) = toDate(now_minute)) AS created_today,
    sumIf(resolved_online, toDate(minute) = toDate(now_minute)) AS resolved_online_today,
    sumIf(dispatched_tickets, toDate(minute) = toDate(now_minute)) AS dispatched_today,
    sum(completed) AS completed_month,
    sum(completed_on_time) AS on_time_month,
    sum(sys_callbacks) + sum(spot_callbacks) AS callbacks_month,
    sum(sys_satisfied) + sum(spot_satisfied) AS satisfied_month
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension = 'all' AND toStartOfMonth(minute) = toStartOfMonth(now_minute) AND minute <= now_minute
