-- Calls per quarter hour today and yesterday (the city's days), all lines and caller regions together,
-- for the chart beside the call figures. The table's key starts with the quarter hour, so this reads
-- two days of rows however long the history: the first condition, on the key column itself (a day and
-- an hour before today), is what ClickHouse's index takes (18.16 does not take toDate of it); the
-- second is the exact one. "Today" is the day of the last minute with calls, as in calls.sql.
WITH (SELECT max(as_of) FROM ${db}.call_rolling FINAL WHERE dimension = 'all') AS now_minute
SELECT
    toString(quarter) AS at,
    toDate(quarter) = toDate(now_minute) AS today,
    sum(offered) AS offered,
    sum(answered) AS answered,
    sum(abandoned) AS abandoned
FROM ${db}.call_quarter_metrics FINAL
WHERE quarter >= toStartOfDay(now_minute) - 90000 AND toDate(quarter) >= toDate(now_minute) - 1 AND quarter <= now_minute
GROUP BY quarter
ORDER BY quarter
