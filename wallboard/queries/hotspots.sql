-- Today's hotspots: the categories and topics with the most new tickets, and the rise over the
-- same part of yesterday. Six of each.
SELECT dimension, value, current, previous, toInt64(current) - toInt64(previous) AS rise
FROM ${db}.hotspots
WHERE period = 'today' AND current > 0
ORDER BY dimension, current DESC, value
LIMIT 6 BY dimension
