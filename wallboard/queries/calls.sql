-- Calls today and in the last 15 minutes: offered, answered, abandoned and the longest wait (seconds,
-- answered or abandoned), from the rolling figures the job keeps: a few rows however much history
-- is kept. "Now" is the last minute with calls, so a replayed day reads as it did live.
SELECT
    toString(max(as_of)) AS as_of,
    sumIf(offered, period = 'today') AS offered_today,
    sumIf(answered, period = 'today') AS answered_today,
    sumIf(abandoned, period = 'today') AS abandoned_today,
    maxIf(greatest(answered_wait_max, abandoned_wait_max), period = 'today') AS longest_wait_today,
    sumIf(offered, period = '15m') AS offered_15m,
    sumIf(answered, period = '15m') AS answered_15m,
    sumIf(abandoned, period = '15m') AS abandoned_15m,
    maxIf(greatest(answered_wait_max, abandoned_wait_max), period = '15m') AS longest_wait_15m
FROM ${db}.call_rolling FINAL
WHERE dimension = 'all'
