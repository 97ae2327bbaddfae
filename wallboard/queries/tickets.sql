-- Tickets city-wide: created, resolved online and dispatched today; completed, on time, callbacks and
-- satisfied for the month so far, from the rolling figures the job keeps. "Now" is the last minute
-- with tickets.
SELECT
    toString(max(as_of)) AS as_of,
    sumIf(created, period = 'today') AS created_today,
    sumIf(resolved_online, period = 'today') AS resolved_online_today,
    sumIf(dispatched_tickets, period = 'today') AS dispatched_today,
    sumIf(completed, period = 'month') AS completed_month,
    sumIf(completed_on_time, period = 'month') AS on_time_month,
    sumIf(sys_callbacks + spot_callbacks, period = 'month') AS callbacks_month,
    sumIf(sys_satisfied + spot_satisfied, period = 'month') AS satisfied_month
FROM ${db}.ticket_rolling FINAL
WHERE dimension = 'all'
