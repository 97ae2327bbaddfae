-- Rolling figures kept by the job (jobs/.../Rolling.java) for the wallboard: per scope one row per
-- period, rewritten at most once per flush with a higher version, so a read touches a handful of rows
-- however much history is kept. Periods: '15m' and '1h' (the minutes up to as_of), 'today' and
-- 'month' (so far), 'total' (all time: a unit's open backlog is opened - closed). as_of is the
-- latest minute with data, so a replayed month reads as it did live. Read with FINAL.

-- Calls: dimension 'all' (value '') city-wide, 'line' per line. The waits' maxima are over the period.
CREATE TABLE IF NOT EXISTS ${db}.call_rolling
(
    dimension          String,
    value              String,
    period             String,
    as_of              DateTime('Asia/Shanghai'),
    offered            Int64,
    answered           Int64,
    abandoned          Int64,
    answered_wait_sum  Int64,
    answered_wait_max  Int64,
    abandoned_wait_sum Int64,
    abandoned_wait_max Int64,
    talk_seconds_sum   Int64,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (dimension, value, period);

-- Tickets: dimension 'all' (value '') city-wide, 'unit' per unit; the columns of ticket_minute_metrics.
CREATE TABLE IF NOT EXISTS ${db}.ticket_rolling
(
    dimension          String,
    value              String,
    period             String,
    as_of              DateTime('Asia/Shanghai'),
    created             Int64,
    resolved_online     Int64,
    dispatched_tickets  Int64,
    dispatches          Int64,
    rejected            Int64,
    returned            Int64,
    extensions          Int64,
    extensions_refused  Int64,
    contacts            Int64,
    completed           Int64,
    completed_on_time   Int64,
    completed_extended  Int64,
    completed_contacted Int64,
    sys_callbacks       Int64,
    sys_satisfied       Int64,
    spot_callbacks      Int64,
    spot_satisfied      Int64,
    opened              Int64,
    closed              Int64,
    overdue_opened      Int64,
    overdue_closed      Int64,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (dimension, value, period);

-- Hotspots ranked by the job: per dimension ('category', 'topic') and period ('hour', 'today',
-- 'month') ten rank slots, each rewritten at every flush (value '' when fewer count); current is the
-- new tickets in the period, previous in the window before (the hour before; yesterday up to the
-- same time; the month before, its days before today's date).
CREATE TABLE IF NOT EXISTS ${db}.hotspot_ranks
(
    dimension String,
    period    String,
    rank      UInt16,
    value     String,
    current   Int64,
    previous  Int64,
    as_of     DateTime('Asia/Shanghai'),
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (dimension, period, rank);

-- Since when each unit's oldest open ticket has waited (NULL: none open), kept by the job from
-- where each ticket stands; rewritten when it changes.
CREATE TABLE IF NOT EXISTS ${db}.unit_open_since
(
    unit_id           String,
    oldest_open_since Nullable(DateTime('Asia/Shanghai')),
    version           UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY unit_id;

-- The latest change of each alert (the row with the latest event_time per rule and alert_key, read
-- FINAL): the alerts in force are those not resolved. A row per alert, not per change.
CREATE TABLE IF NOT EXISTS ${db}.alerts_latest
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
ENGINE = ReplacingMergeTree(event_time)
ORDER BY (rule, alert_key);
