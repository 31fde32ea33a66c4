-- measure
-- the stuck-deal rule (no change for 14 days) per stage: which stage deals die in
WITH o AS (
    SELECT coalesce(stage, '∅') AS stage, coalesce(modified_at, created_at) < $as_of - INTERVAL 14 DAY AS stuck
    FROM stg.deals WHERE state = 'open' AND coalesce(modified_at, created_at) IS NOT NULL
), s AS (
    SELECT stage, count(*) FILTER (WHERE stuck) AS stuck, count(*) AS open FROM o GROUP BY stage
)
SELECT (SELECT count(*) FROM s WHERE stuck > 0) AS numerator, (SELECT count(*) FROM s) AS denominator,
       (SELECT max(stuck / open) FROM s) AS value,
       CASE WHEN (SELECT count(*) FROM s) = 0 THEN 'no open deals with dates' END AS reason,
       (SELECT to_json(list({'stage': stage, 'stuck': stuck, 'open': open, 'share': round(stuck / open, 4)} ORDER BY stuck DESC, stage)) FROM s) AS details
-- evidence
SELECT ref FROM stg.deals
WHERE state = 'open' AND coalesce(modified_at, created_at) < $as_of - INTERVAL 14 DAY
ORDER BY stage, coalesce(modified_at, created_at)
