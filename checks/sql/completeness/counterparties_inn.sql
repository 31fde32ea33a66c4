-- measure
-- share of counterparties with a non-blank inn
SELECT count(*) FILTER (WHERE NOT is_blank(inn_raw)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT is_blank(inn_raw)) / nullif(count(*), 0) AS value
FROM stg.counterparties
-- evidence
-- the records missing it
SELECT ref FROM stg.counterparties WHERE is_blank(inn_raw) ORDER BY _file, _record
