-- Alerts as the job raises them: one row per change of state (firing, escalated, resolved), in
-- event time. alert_key says what the alert is about (a unit, unit|category, a ticket,
-- dimension|value of a hotspot, a line). A replayed month replaces its alerts.
CREATE TABLE IF NOT EXISTS ${db}.alerts
(
    rule         String,
    alert_key    String,
    unit         String,
    topic        String,
    category     String,
    ticket_id    String,
    severity     String,
    state        String,
    value        Float64,
    threshold    Float64,
    window_start Nullable(DateTime('Asia/Shanghai')),
    window_end   Nullable(DateTime('Asia/Shanghai')),
    event_time   DateTime('Asia/Shanghai')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (rule, alert_key, event_time, state);
