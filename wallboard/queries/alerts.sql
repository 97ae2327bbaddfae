-- Alerts in force: each alert's latest change (the job keeps a row per alert), unless it resolved;
-- newest first.
SELECT rule, alert_key, unit, topic, category, ticket_id, severity, value, threshold, toString(event_time) AS since
FROM ${db}.alerts_latest FINAL
WHERE state != 'resolved'
ORDER BY event_time DESC, rule, alert_key
LIMIT 20
