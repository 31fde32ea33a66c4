-- measure
-- share of deals with a non-blank, non-zero amount
SELECT count(*) FILTER (WHERE coalesce(amount, 0) <> 0) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE coalesce(amount, 0) <> 0) / nullif(count(*), 0) AS value
FROM stg.deals
-- evidence
-- the deals without an amount (blank, unparseable or zero)
SELECT ref FROM stg.deals WHERE coalesce(amount, 0) = 0 ORDER BY _file, _record
