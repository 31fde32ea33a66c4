-- measure
-- open deals whose last change is more than 14 days before the reference date ÷ open deals
-- (last change = modification time, else creation time; a deal with neither cannot be judged)
SELECT count(*) FILTER (WHERE coalesce(modified_at, created_at) < $as_of - INTERVAL 14 DAY) AS numerator,
       count(*) FILTER (WHERE coalesce(modified_at, created_at) IS NOT NULL) AS denominator,
       count(*) FILTER (WHERE coalesce(modified_at, created_at) < $as_of - INTERVAL 14 DAY)
         / nullif(count(*) FILTER (WHERE coalesce(modified_at, created_at) IS NOT NULL), 0) AS value
FROM stg.deals WHERE state = 'open'
-- evidence
SELECT ref FROM stg.deals
WHERE state = 'open' AND coalesce(modified_at, created_at) < $as_of - INTERVAL 14 DAY
ORDER BY coalesce(modified_at, created_at), _file, _record
