-- Calls per day and per month, per line and caller region, with the connection rate of each row.
-- For a whole day or month take sum(answered) / sum(offered) over its rows.
CREATE VIEW IF NOT EXISTS ${db}.call_daily AS
SELECT
    toDate(minute) AS day,
    line,
    caller_region,
    sum(offered) AS offered,
    sum(answered) AS answered,
    sum(abandoned) AS abandoned,
    sum(answered_wait_sum) AS answered_wait_sum,
    max(answered_wait_max) AS answered_wait_max,
    sum(talk_seconds_sum) AS talk_seconds_sum,
    if(offered = 0, 0, round(100 * answered / offered, 2)) AS connection_rate_pct
FROM ${db}.call_minute_metrics FINAL
GROUP BY day, line, caller_region;

CREATE VIEW IF NOT EXISTS ${db}.call_monthly AS
SELECT
    toStartOfMonth(minute) AS month,
    line,
    caller_region,
    sum(offered) AS offered,
    sum(answered) AS answered,
    sum(abandoned) AS abandoned,
    if(offered = 0, 0, round(100 * answered / offered, 2)) AS connection_rate_pct
FROM ${db}.call_minute_metrics FINAL
GROUP BY month, line, caller_region;
