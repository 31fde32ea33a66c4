-- measure
-- share of deals with a non-blank source
SELECT count(*) FILTER (WHERE NOT is_blank(source)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT is_blank(source)) / nullif(count(*), 0) AS value
FROM stg.deals
-- evidence
-- the records missing it
SELECT ref FROM stg.deals WHERE is_blank(source) ORDER BY _file, _record
