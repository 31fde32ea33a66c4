-- measure
-- deals with a negative amount ÷ deals with an amount
SELECT count(*) FILTER (WHERE amount < 0) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE amount < 0) / nullif(count(*), 0) AS value
FROM stg.deals WHERE amount IS NOT NULL
-- evidence
SELECT ref FROM stg.deals WHERE amount < 0 ORDER BY _file, _record
