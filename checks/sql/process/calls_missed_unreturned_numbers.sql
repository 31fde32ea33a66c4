-- measure
-- distinct outside numbers with at least one missed inbound call that got no callback within
-- 24 hours (see calls_missed_without_callback.sql): the people to call back. Numerator = those
-- numbers, denominator = distinct numbers with a missed call.
WITH missed AS (
    SELECT m.call_key, m.number, m.started_at FROM dq.calls m
    WHERE m.direction = 'inbound' AND m.answered = false AND m.number IS NOT NULL
), unreturned AS (
    SELECT m.number FROM missed m
    WHERE NOT EXISTS (SELECT 1 FROM dq.calls c WHERE c.number = m.number
                      AND c.started_at > m.started_at AND c.started_at <= m.started_at + INTERVAL 24 HOUR
                      AND (c.direction = 'outbound' OR (c.direction = 'inbound' AND c.answered)))
)
SELECT (SELECT count(DISTINCT number) FROM unreturned) AS numerator,
       (SELECT count(DISTINCT number) FROM missed) AS denominator,
       (SELECT count(DISTINCT number) FROM unreturned) AS value
-- evidence
-- the latest unreturned missed call of each such number (call ids, not phone numbers: evidence
-- must not carry personal data into shareable outputs)
SELECT arg_max(m.ref, (m.started_at, m.ref)) FROM dq.calls m
WHERE m.direction = 'inbound' AND m.answered = false AND m.number IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dq.calls c WHERE c.number = m.number
                  AND c.started_at > m.started_at AND c.started_at <= m.started_at + INTERVAL 24 HOUR
                  AND (c.direction = 'outbound' OR (c.direction = 'inbound' AND c.answered)))
GROUP BY m.number
ORDER BY max(m.started_at) DESC
