-- The analysts' history, compact: the job rolls its per-minute counts up into tickets per day and
-- calls per quarter hour (jobs/.../Rollup.java), a row per day (or quarter hour) and slice, rewritten
-- with a higher version while the span is in progress and when late events correct it; read FINAL.
-- The per-minute tables (call_minute_metrics, ticket_minute_metrics) are no longer written; what
-- they hold is summed into the new tables below (version 0: any row the job writes replaces it).

-- Tickets per day and slice: the columns of ticket_minute_metrics (see FactKind in jobs/), the
-- city's days.
CREATE TABLE IF NOT EXISTS ${db}.ticket_daily_metrics
(
    day                 Date,
    dimension           String,
    value               String,
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
    version             UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (dimension, value, day);

-- Calls per quarter hour, line and caller region; the waits' maxima are over the quarter hour.
CREATE TABLE IF NOT EXISTS ${db}.call_quarter_metrics
(
    quarter            DateTime('Asia/Shanghai'),
    line               String,
    caller_region      String,
    offered            UInt64,
    answered           UInt64,
    abandoned          UInt64,
    answered_wait_sum  UInt64,
    answered_wait_max  UInt32,
    abandoned_wait_sum UInt64,
    abandoned_wait_max UInt32,
    talk_seconds_sum   UInt64,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(quarter)
ORDER BY (quarter, line, caller_region);

-- The history so far, from the per-minute rows (read FINAL: each minute's last version). Safe to run
-- again: a second copy has the same key, version and figures, and FINAL keeps one.
INSERT INTO ${db}.ticket_daily_metrics (day, dimension, value, created, resolved_online, dispatched_tickets,
    dispatches, rejected, returned, extensions, extensions_refused, contacts, completed, completed_on_time,
    completed_extended, completed_contacted, sys_callbacks, sys_satisfied, spot_callbacks, spot_satisfied,
    opened, closed, overdue_opened, overdue_closed, version)
SELECT toDate(minute) AS day, dimension, value, sum(created), sum(resolved_online), sum(dispatched_tickets),
    sum(dispatches), sum(rejected), sum(returned), sum(extensions), sum(extensions_refused), sum(contacts),
    sum(completed), sum(completed_on_time), sum(completed_extended), sum(completed_contacted),
    sum(sys_callbacks), sum(sys_satisfied), sum(spot_callbacks), sum(spot_satisfied), sum(opened),
    sum(closed), sum(overdue_opened), sum(overdue_closed), 0
FROM ${db}.ticket_minute_metrics FINAL
GROUP BY day, dimension, value;

INSERT INTO ${db}.call_quarter_metrics (quarter, line, caller_region, offered, answered, abandoned, answered_wait_sum,
    answered_wait_max, abandoned_wait_sum, abandoned_wait_max, talk_seconds_sum, version)
SELECT toStartOfFifteenMinutes(minute) AS quarter, line, caller_region, sum(offered), sum(answered), sum(abandoned),
    sum(answered_wait_sum), max(answered_wait_max), sum(abandoned_wait_sum), max(abandoned_wait_max), sum(talk_seconds_sum), 0
FROM ${db}.call_minute_metrics FINAL
GROUP BY quarter, line, caller_region;

-- The views keep their names and columns, over the new tables (DROP TABLE removes a view on 18.16 and
-- on current releases alike). unit_backlog_series changes by day; call_minutes becomes call_quarters.
DROP TABLE IF EXISTS ${db}.unit_daily;
DROP TABLE IF EXISTS ${db}.unit_monthly;
DROP TABLE IF EXISTS ${db}.city_daily;
DROP TABLE IF EXISTS ${db}.city_monthly;
DROP TABLE IF EXISTS ${db}.unit_backlog;
DROP TABLE IF EXISTS ${db}.hotspots;
DROP TABLE IF EXISTS ${db}.unit_backlog_series;
DROP TABLE IF EXISTS ${db}.call_daily;
DROP TABLE IF EXISTS ${db}.call_monthly;
DROP TABLE IF EXISTS ${db}.call_minutes;

-- Per unit and day: the assessed figures and the unit's activity.
CREATE VIEW IF NOT EXISTS ${db}.unit_daily AS
SELECT
    day,
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
FROM ${db}.ticket_daily_metrics FINAL
WHERE dimension = 'unit'
GROUP BY day, unit_id;

-- Per unit and month, with the assessment's rates in percent (two decimals).
CREATE VIEW IF NOT EXISTS ${db}.unit_monthly AS
SELECT
    toStartOfMonth(day) AS month,
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
FROM ${db}.ticket_daily_metrics FINAL
WHERE dimension = 'unit'
GROUP BY month, unit_id;

-- City-wide per day, for every slice (dimension 'all' is the whole city).
CREATE VIEW IF NOT EXISTS ${db}.city_daily AS
SELECT
    day,
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
FROM ${db}.ticket_daily_metrics FINAL
WHERE dimension NOT IN ('unit', 'unit_category')
GROUP BY day, dimension, value;

-- City-wide per month, with its rates in percent.
CREATE VIEW IF NOT EXISTS ${db}.city_monthly AS
SELECT
    toStartOfMonth(day) AS month,
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
FROM ${db}.ticket_daily_metrics FINAL
WHERE dimension NOT IN ('unit', 'unit_category')
GROUP BY month, dimension, value;

-- Each unit's backlog now, from the job's rolling figures (all time) and its oldest open ticket.
CREATE VIEW IF NOT EXISTS ${db}.unit_backlog AS
SELECT
    unit_id,
    open_backlog,
    overdue,
    oldest_open_since
FROM
(
    SELECT value AS unit_id, opened - closed AS open_backlog, overdue_opened - overdue_closed AS overdue
    FROM ${db}.ticket_rolling FINAL
    WHERE dimension = 'unit' AND period = 'total'
)
ANY LEFT JOIN
(
    SELECT unit_id, oldest_open_since
    FROM ${db}.unit_open_since FINAL
) USING unit_id;

-- Hotspots as the job ranks them: the ten categories and topics with the most new tickets in the
-- last hour, today and this month, with the window before (see hotspot_ranks).
CREATE VIEW IF NOT EXISTS ${db}.hotspots AS
SELECT period, dimension, value, current, previous, rank, as_of
FROM ${db}.hotspot_ranks FINAL
WHERE value != '';

-- Each unit's backlog as a time series: after every day in which it changed, the open tickets and
-- the overdue ones. (Arrays, not window functions, so that it runs on 18.16 as well.)
CREATE VIEW IF NOT EXISTS ${db}.unit_backlog_series AS
SELECT unit_id, day, open_backlog, overdue
FROM
(
    SELECT
        value AS unit_id,
        arraySort(x -> x.1, groupArray((day, opened - closed, overdue_opened - overdue_closed))) AS changes,
        arrayMap(x -> x.1, changes) AS days,
        arrayCumSum(arrayMap(x -> x.2, changes)) AS backlogs,
        arrayCumSum(arrayMap(x -> x.3, changes)) AS overdues
    FROM ${db}.ticket_daily_metrics FINAL
    WHERE dimension = 'unit' AND (opened != 0 OR closed != 0 OR overdue_opened != 0 OR overdue_closed != 0)
    GROUP BY unit_id
)
ARRAY JOIN days AS day, backlogs AS open_backlog, overdues AS overdue;

-- Calls per quarter hour, final, with the connection rate derived for each row. For any period take
-- sum(answered) / sum(offered) over its rows, never an average of rates.
CREATE VIEW IF NOT EXISTS ${db}.call_quarters AS
SELECT
    quarter,
    line,
    caller_region,
    offered,
    answered,
    abandoned,
    answered_wait_sum,
    answered_wait_max,
    abandoned_wait_sum,
    abandoned_wait_max,
    talk_seconds_sum,
    if(offered = 0, 0, answered / offered) AS connection_rate
FROM ${db}.call_quarter_metrics FINAL;

-- Calls per day and per month, per line and caller region, with the connection rate of each row.
CREATE VIEW IF NOT EXISTS ${db}.call_daily AS
SELECT
    toDate(quarter) AS day,
    line,
    caller_region,
    sum(offered) AS offered,
    sum(answered) AS answered,
    sum(abandoned) AS abandoned,
    sum(answered_wait_sum) AS answered_wait_sum,
    max(answered_wait_max) AS answered_wait_max,
    sum(talk_seconds_sum) AS talk_seconds_sum,
    if(offered = 0, 0, round(100 * answered / offered, 2)) AS connection_rate_pct
FROM ${db}.call_quarter_metrics FINAL
GROUP BY day, line, caller_region;

CREATE VIEW IF NOT EXISTS ${db}.call_monthly AS
SELECT
    toStartOfMonth(quarter) AS month,
    line,
    caller_region,
    sum(offered) AS offered,
    sum(answered) AS answered,
    sum(abandoned) AS abandoned,
    if(offered = 0, 0, round(100 * answered / offered, 2)) AS connection_rate_pct
FROM ${db}.call_quarter_metrics FINAL
GROUP BY month, line, caller_region;
