-- measure
-- won + lost deals (no share: numerator is the count, denominator all deals)
SELECT count(*) FILTER (WHERE state IN ('won', 'lost')) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE state IN ('won', 'lost')) AS value
FROM stg.deals
