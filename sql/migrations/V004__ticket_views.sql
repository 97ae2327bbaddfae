-- The analysts' views over ticket_minute_metrics. Any period's rate is sum(numerator) /
-- sum(denominator) over its rows, never an average of rates. Days and months are the city's
-- (Asia/Shanghai), because the minute column carries that time zone.

-- Per unit and day: the assessed figures and the unit's activity.
CREATE VIEW IF NOT EXISTS ${db}.unit_daily AS
SELECT
    toDate(minute) AS day,
    value AS unit_id,
    sum(dispatches) AS dispatches,
    sum(rejected) AS rejected,
    sum(returned) AS returned,
    sum(extensions) AS extensions,
    sum(extensions_refused) AS extensions_refused,
    sum(contacts) AS contacts,
    sum(completed) AS completed,
    sum(completed_on_time) AS completed_on_time,
    sum(completed_extended) AS completed_extended,
    sum(completed_contacted) AS completed_contacted,
    sum(sys_callbacks) AS sys_callbacks,
    sum(sys_satisfied) AS sys_satisfied,
    sum(spot_callbacks) AS spot_callbacks,
    sum(spot_satisfied) AS spot_satisfied,
    sum(opened) AS opened,
    sum(closed) AS closed,
    sum(overdue_opened) AS overdue_opened,
    sum(overdue_closed) AS overdue_closed
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension = 'unit'
GROUP BY day, unit_id;

-- Per unit and month, with the assessment's rates in percent (two decimals).
CREATE VIEW IF NOT EXISTS ${db}.unit_monthly AS
SELECT
    toStartOfMonth(minute) AS month,
    value AS unit_id,
    sum(completed) AS tickets,
    sum(completed_on_time) AS on_time,
    sum(completed_extended) AS extended,
    sum(completed_contacted) AS contacted,
    sum(rejected) AS rejects,
    sum(returned) AS returns,
    sum(sys_callbacks) AS sys_callbacks,
    sum(sys_satisfied) AS sys_satisfied,
    sum(spot_callbacks) AS spot_callbacks,
    sum(spot_satisfied) AS spot_satisfied,
    if(tickets = 0, 0, round(100 * on_time / tickets, 2)) AS on_time_pct,
    if(tickets = 0, 0, round(100 * extended / tickets, 2)) AS extension_pct,
    if(tickets = 0, 0, round(100 * contacted / tickets, 2)) AS contact_pct,
    if(sys_callbacks = 0, 0, round(100 * sys_satisfied / sys_callbacks, 2)) AS sys_satisfaction_pct,
    if(spot_callbacks = 0, 0, round(100 * spot_satisfied / spot_callbacks, 2)) AS spot_satisfaction_pct
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension = 'unit'
GROUP BY month, unit_id;

-- City-wide per day, for every slice (dimension 'all' is the whole city).
CREATE VIEW IF NOT EXISTS ${db}.city_daily AS
SELECT
    toDate(minute) AS day,
    dimension,
    value,
    sum(created) AS created,
    sum(resolved_online) AS resolved_online,
    sum(dispatched_tickets) AS dispatched,
    sum(completed) AS completed,
    sum(completed_on_time) AS completed_on_time,
    sum(rejected) AS rejected,
    sum(returned) AS returned,
    sum(sys_callbacks) + sum(spot_callbacks) AS callbacks,
    sum(sys_satisfied) + sum(spot_satisfied) AS satisfied
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension NOT IN ('unit', 'unit_category')
GROUP BY day, dimension, value;

-- City-wide per month, with its rates in percent.
CREATE VIEW IF NOT EXISTS ${db}.city_monthly AS
SELECT
    toStartOfMonth(minute) AS month,
    dimension,
    value,
    sum(created) AS created,
    sum(resolved_online) AS resolved_online,
    sum(dispatched_tickets) AS dispatched,
    sum(completed) AS completed,
    sum(completed_on_time) AS completed_on_time,
    sum(sys_callbacks) + sum(spot_callbacks) AS callbacks,
    sum(sys_satisfied) + sum(spot_satisfied) AS satisfied,
    if(created = 0, 0, round(100 * resolved_online / created, 2)) AS resolved_online_pct,
    if(completed = 0, 0, round(100 * completed_on_time / completed, 2)) AS on_time_pct,
    if(callbacks = 0, 0, round(100 * satisfied / callbacks, 2)) AS satisfaction_pct
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension NOT IN ('unit', 'unit_category')
GROUP BY month, dimension, value;

-- Each unit's backlog now: open tickets and open tickets past their due time (from the counts),
-- and since when its oldest open ticket has been waiting (from ticket_state).
CREATE VIEW IF NOT EXISTS ${db}.unit_backlog AS
SELECT
    unit_id,
    open_backlog,
    overdue,
    oldest_open_since
FROM
(
    SELECT value AS unit_id, sum(opened) - sum(closed) AS open_backlog, sum(overdue_opened) - sum(overdue_closed) AS overdue
    FROM ${db}.ticket_minute_metrics FINAL
    WHERE dimension = 'unit'
    GROUP BY unit_id
)
ANY LEFT JOIN
(
    SELECT unit_id, min(assigned_at) AS oldest_open_since
    FROM ${db}.ticket_state FINAL
    WHERE status = 'assigned'
    GROUP BY unit_id
) USING unit_id;

-- Hotspots: ticket counts per category and topic in the last hour, today and this month, with the
-- count of the window of the same length just before, so a rise shows. "Now" is the last minute
-- with data, so a replayed month reads as it did live. Top ten of each:
--   SELECT * FROM hotline.hotspots ORDER BY period, dimension, current DESC LIMIT 10 BY period, dimension
CREATE VIEW IF NOT EXISTS ${db}.hotspots AS
WITH (SELECT max(minute) FROM ${db}.ticket_minute_metrics WHERE dimension = 'all') AS now_minute
SELECT
    'hour' AS period,
    dimension,
    value,
    sumIf(created, minute > now_minute - 3600) AS current,
    sumIf(created, minute <= now_minute - 3600) AS previous
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension IN ('category', 'topic') AND minute > now_minute - 7200 AND minute <= now_minute
GROUP BY dimension, value
UNION ALL
WITH (SELECT max(minute) FROM ${db}.ticket_minute_metrics WHERE dimension = 'all') AS now_minute
SELECT
    'today' AS period,
    dimension,
    value,
    sumIf(created, toDate(minute) = toDate(now_minute)) AS current,
    sumIf(created, toDate(minute) = toDate(now_minute) - 1 AND minute <= now_minute - 86400) AS previous
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension IN ('category', 'topic') AND toDate(minute) >= toDate(now_minute) - 1 AND minute <= now_minute
GROUP BY dimension, value
UNION ALL
WITH (SELECT max(minute) FROM ${db}.ticket_minute_metrics WHERE dimension = 'all') AS now_minute
SELECT
    'month' AS period,
    dimension,
    value,
    sumIf(created, toStartOfMonth(minute) = toStartOfMonth(now_minute)) AS current,
    sumIf(created, toStartOfMonth(minute) = toStartOfMonth(addMonths(now_minute, -1))
        AND minute <= addMonths(now_minute, -1)) AS previous
FROM ${db}.ticket_minute_metrics FINAL
WHERE dimension IN ('category', 'topic') AND toStartOfMonth(minute) >= toStartOfMonth(addMonths(now_minute, -1))
    AND minute <= now_minute
GROUP BY dimension, value;

-- Each unit's backlog as a time series: after every minute in which it changed, the open tickets
-- and the overdue ones. (Arrays, not window functions, so that it runs on 18.16 as well.)
CREATE VIEW IF NOT EXISTS ${db}.unit_backlog_series AS
SELECT unit_id, minute, open_backlog, overdue
FROM
(
    SELECT
        value AS unit_id,
        arraySort(x -> x.1, groupArray((minute, opened - closed, overdue_opened - overdue_closed))) AS changes,
        arrayMap(x -> x.1, changes) AS minutes,
        arrayCumSum(arrayMap(x -> x.2, changes)) AS backlogs,
        arrayCumSum(arrayMap(x -> x.3, changes)) AS overdues
    FROM ${db}.ticket_minute_metrics FINAL
    WHERE dimension = 'unit' AND (opened != 0 OR closed != 0 OR overdue_opened != 0 OR overdue_closed != 0)
    GROUP BY unit_id
)
ARRAY JOIN minutes AS minute, backlogs AS open_backlog, overdues AS overdue;
