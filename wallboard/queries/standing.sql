-- The month's standing so far: every unit with its group, its figures for the month of the last
-- minute with tickets (the job's rolling figures) and the office's inputs for that month where
-- entered (0 where not). The wallboard scores and ranks them by the assessment's rules.
SELECT
    unit_id, name, unit_group, tickets, on_time, extensions, contacted, sys_callbacks, sys_satisfied,
    spot_callbacks, spot_satisfied, rejects, knowledge_base, cooperation, bonus
FROM
(
    SELECT
        unit_id, name, unit_group, tickets, on_time, extensions, contacted, sys_callbacks, sys_satisfied,
        spot_callbacks, spot_satisfied, rejects
    FROM (SELECT unit_id, name, unit_group FROM ${db}.units FINAL)
    ANY LEFT JOIN
    (
        SELECT
            value AS unit_id, completed AS tickets, completed_on_time AS on_time, completed_extended AS extensions,
            completed_contacted AS contacted, sys_callbacks, sys_satisfied, spot_callbacks, spot_satisfied,
            rejected AS rejects
        FROM ${db}.ticket_rolling FINAL
        WHERE dimension = 'unit' AND period = 'month'
            AND toStartOfMonth(as_of) = toStartOfMonth((SELECT max(as_of) FROM ${db}.ticket_rolling WHERE dimension = 'all'))
    ) USING unit_id
)
ANY LEFT JOIN
(
    SELECT unit_id, knowledge_base, cooperation, bonus
    FROM ${db}.office_inputs FINAL
    WHERE month = toStartOfMonth((SELECT max(as_of) FROM ${db}.ticket_rolling WHERE dimension = 'all'))
) USING unit_id
ORDER BY unit_id
