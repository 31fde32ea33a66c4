-- measure
-- missed inbound calls with no callback ÷ missed inbound calls.
-- missed: an inbound call with no answered leg (calls whose legs say nothing about answering
-- are unknown and left out). callback: an outbound call to that number (answered or not), or
-- an answered inbound call from it, starting after the missed call started and within 24 hours
-- of it. A missed call from a hidden number cannot be called back and counts as not returned.
WITH missed AS (
    SELECT m.call_key, m.number, m.started_at FROM dq.calls m
    WHERE m.direction = 'inbound' AND m.answered = false
), returned AS (
    SELECT DISTINCT m.call_key FROM missed m JOIN dq.calls c ON c.number = m.number
    WHERE c.started_at > m.started_at AND c.started_at <= m.started_at + INTERVAL 24 HOUR
      AND (c.direction = 'outbound' OR (c.direction = 'inbound' AND c.answered))
)
SELECT count(*) FILTER (WHERE r.call_key IS NULL) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE r.call_key IS NULL) / nullif(count(*), 0) AS value,
       CASE WHEN count(*) = 0 THEN 'no missed inbound calls' END AS reason
FROM missed m LEFT JOIN returned r USING (call_key)
-- evidence
SELECT m.ref FROM dq.calls m
WHERE m.direction = 'inbound' AND m.answered = false
  AND NOT EXISTS (SELECT 1 FROM dq.calls c WHERE c.number = m.number
                  AND c.started_at > m.started_at AND c.started_at <= m.started_at + INTERVAL 24 HOUR
                  AND (c.direction = 'outbound' OR (c.direction = 'inbound' AND c.answered)))
ORDER BY m.started_at, m.ref
