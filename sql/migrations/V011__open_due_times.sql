-- When each unit's open tickets fall due, kept by the job beside its oldest open ticket (in order, one
-- per open ticket; overdue ones too): the wallboard and unit_backlog count those due within 24 hours of
-- "now" (the last minute with tickets), which warns before a ticket is late. Rows written before this
-- migration read an empty list until the unit's open tickets change.
ALTER TABLE ${db}.unit_open_since ADD COLUMN open_due Array(DateTime('Asia/Shanghai'));

-- Each unit's backlog now: open, overdue, due within 24 hours (not yet overdue), its oldest open ticket.
DROP TABLE IF EXISTS ${db}.unit_backlog;
CREATE VIEW IF NOT EXISTS ${db}.unit_backlog AS
WITH (SELECT max(as_of) FROM ${db}.ticket_rolling WHERE dimension = 'all') AS now_minute
SELECT
    unit_id,
    open_backlog,
    overdue,
    arrayCount(d -> d >= now_minute AND d <= now_minute + 86400, open_due) AS due_within_24h,
    oldest_open_since
FROM
(
    SELECT value AS unit_id, opened - closed AS open_backlog, overdue_opened - overdue_closed AS overdue
    FROM ${db}.ticket_rolling FINAL
    WHERE dimension = 'unit' AND period = 'total'
)
ANY LEFT JOIN
(
    SELECT unit_id, oldest_open_since, open_due
    FROM ${db}.unit_open_since FINAL
) USING unit_id;
