-- Units with open tickets, worst first: most overdue, then largest backlog, then oldest waiting.
-- The oldest open ticket's age is counted to the last minute with tickets (seconds).
WITH (SELECT max(minute) FROM ${db}.ticket_minute_metrics WHERE dimension = 'all') AS now_minute
SELECT
    unit_id,
    if(name = '', unit_id, name) AS unit_name,
    open_backlog,
    overdue,
    if(isNull(oldest_open_since), 0, toUInt32(now_minute) - toUInt32(assumeNotNull(oldest_open_since))) AS oldest_open_age_s
FROM ${db}.unit_backlog
ANY LEFT JOIN (SELECT unit_id, name FROM ${db}.units FINAL) USING unit_id
WHERE open_backlog > 0
ORDER BY overdue DESC, open_backlog DESC, oldest_open_age_s DESC, unit_id
