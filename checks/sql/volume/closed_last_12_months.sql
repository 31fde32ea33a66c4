-- measure
-- won + lost deals closed in the 12 months before the reference date
SELECT count(*) FILTER (WHERE closed_at > $as_of - INTERVAL 12 MONTH AND closed_at <= $as_of) AS numerator,
       count(*) FILTER (WHERE state IN ('won', 'lost')) AS denominator,
       count(*) FILTER (WHERE closed_at > $as_of - INTERVAL 12 MONTH AND closed_at <= $as_of) AS value
FROM stg.deals WHERE state IN ('won', 'lost')
