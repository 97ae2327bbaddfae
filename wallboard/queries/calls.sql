-- Calls today and in the last 15 minutes: offered, answered, abandoned and the longest wait (seconds,
-- answered or abandoned). "Now" is the last minute with calls, so a replayed day reads as it did live.
WITH (SELECT max(minute) FROM ${db}.call_minute_metrics) AS now_minute
SELECT
    toString(now_minute) AS as_of,
    sumIf(offered, toDate(minute) = toDate(now_minute)) AS offered_today,
    sumIf(answered, toDate(minute) = toDate(now_minute)) AS answered_today,
    sumIf(abandoned, toDate(minute) = toDate(now_minute)) AS abandoned_today,
    maxIf(greatest(answered_wait_max, abandoned_wait_max), toDate(minute) = toDate(now_minute)) AS longest_wait_today,
    sumIf(offered, minute > now_minute - 900) AS offered_15m,
    sumIf(answered, minute > now_minute - 900) AS answered_15m,
    sumIf(abandoned, minute > now_minute - 900) AS abandoned_15m,
    maxIf(greatest(answered_wait_max, abandoned_wait_max), minute > now_minute - 900) AS longest_wait_15m
FROM ${db}.call_minute_metrics FINAL
WHERE minute >= toDateTime(toDate(now_minute) - 1) AND minute <= now_minute
