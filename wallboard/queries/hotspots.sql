-- Today's hotspots: the categories and topics with the most new tickets, and the rise over the
-- same part of yesterday, as the job ranks them (a few rows however much history is kept). Six of each.
SELECT dimension, value, current, previous, toInt64(current) - toInt64(previous) AS rise
FROM ${db}.hotspot_ranks FINAL
WHERE period = 'today' AND current > 0
ORDER BY dimension, rank
LIMIT 6 BY dimension
