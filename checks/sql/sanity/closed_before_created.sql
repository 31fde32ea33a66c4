-- measure
-- deals whose close date is before their creation date ÷ deals with both dates
-- (a close date without a time is a day: compared with the creation by day, see closed_before)
SELECT count(*) FILTER (WHERE closed_before(closed_at, created_at)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE closed_before(closed_at, created_at)) / nullif(count(*), 0) AS value
FROM stg.deals WHERE closed_at IS NOT NULL AND created_at IS NOT NULL
-- evidence
SELECT ref FROM stg.deals WHERE closed_before(closed_at, created_at) ORDER BY _file, _record
