-- Units with open tickets, worst first: most overdue, then largest backlog, then oldest waiting.
-- Open and overdue (all time), how many fall due within 24 hours (not yet overdue) and since when the
-- oldest open ticket has waited come from what the job keeps per unit: a few rows however much history
-- is kept. Due times and the age are counted from the last minute with tickets.
WITH (SELECT max(as_of) FROM ${db}.ticket_rolling WHERE dimension = 'all') AS now_minute
SELECT
    unit_id,
    if(name = '', unit_id, name) AS unit_name,
    open_backlog,
    overdue,
    arrayCount(d -> d >= now_minute AND d <= now_minute + 86400, open_due) AS due_within_24h,
    if(isNull(oldest_open_since), 0, toUInt32(now_minute) - toUInt32(assumeNotNull(oldest_open_since))) AS oldest_open_age_s
FROM
(
    SELECT unit_id, open_backlog, overdue, oldest_open_since, open_due
    FROM
    (
        SELECT value AS unit_id, opened - closed AS open_backlog, overdue_opened - overdue_closed AS overdue
        FROM ${db}.ticket_rolling FINAL
        WHERE dimension = 'unit' AND period = 'total' AND opened - closed > 0
    )
    ANY LEFT JOIN (SELECT unit_id, oldest_open_since, open_due FROM ${db}.unit_open_since FINAL) USING unit_id
)
ANY LEFT JOIN (SELECT unit_id, name FROM ${db}.units FINAL) USING unit_id
ORDER BY overdue DESC, open_backlog DESC, oldest_open_age_s DESC, unit_id
