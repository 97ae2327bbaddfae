-- Calls per minute, per line and caller region, as counts (rates are derived: never stored alone).
-- A window that receives late events is written again with the same key and a higher version;
-- ReplacingMergeTree keeps the highest version, so read with FINAL (or argMax by version).
CREATE TABLE IF NOT EXISTS ${db}.call_minute_metrics
(
    minute             DateTime('Asia/Shanghai'),
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
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, line, caller_region);

-- The same, final, with the connection rate derived for each row. For any period, take
-- sum(answered) / sum(offered) over its rows, never an average of rates.
CREATE VIEW IF NOT EXISTS ${db}.call_minutes AS
SELECT
    minute,
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
FROM ${db}.call_minute_metrics FINAL;
