-- Alerts in force: each alert's latest change, unless it resolved; newest first.
SELECT rule, alert_key, unit, topic, category, ticket_id, severity, value, threshold, toString(changed_at) AS since
FROM
(
    SELECT
        rule,
        alert_key,
        argMax(state, event_time) AS last_state,
        argMax(severity, event_time) AS severity,
        argMax(unit, event_time) AS unit,
        argMax(topic, event_time) AS topic,
        argMax(category, event_time) AS category,
        argMax(ticket_id, event_time) AS ticket_id,
        argMax(value, event_time) AS value,
        argMax(threshold, event_time) AS threshold,
        max(event_time) AS changed_at
    FROM ${db}.alerts FINAL
    GROUP BY rule, alert_key
)
WHERE last_state != 'resolved'
ORDER BY changed_at DESC, rule, alert_key
LIMIT 20
