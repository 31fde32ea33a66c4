-- measure
-- open tasks whose deadline has passed ÷ open tasks with a deadline (the system should escalate them)
WITH t AS (
    SELECT * FROM stg.tasks
    WHERE closed_at IS NULL AND deadline_at IS NOT NULL
      AND NOT regexp_matches(lower(coalesce(status, '')), 'заверш|выполн|закрыт|done|complete|closed|отмен|cancel')
)
SELECT count(*) FILTER (WHERE deadline_at < $as_of) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE deadline_at < $as_of) / nullif(count(*), 0) AS value
FROM t
-- evidence
SELECT ref FROM stg.tasks
WHERE closed_at IS NULL AND deadline_at < $as_of
  AND NOT regexp_matches(lower(coalesce(status, '')), 'заверш|выполн|закрыт|done|complete|closed|отмен|cancel')
ORDER BY deadline_at, _file, _record
