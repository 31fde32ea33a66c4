-- measure
-- won deals with no amount or a zero amount ÷ won deals (revenue the CRM cannot show)
SELECT count(*) FILTER (WHERE coalesce(amount, 0) = 0) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE coalesce(amount, 0) = 0) / nullif(count(*), 0) AS value
FROM stg.deals WHERE state = 'won'
-- evidence
SELECT ref FROM stg.deals WHERE state = 'won' AND coalesce(amount, 0) = 0 ORDER BY _file, _record
