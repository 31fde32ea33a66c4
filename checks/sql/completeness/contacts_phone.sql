-- measure
-- share of contacts with a non-blank phone
SELECT count(*) FILTER (WHERE NOT is_blank(phone)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT is_blank(phone)) / nullif(count(*), 0) AS value
FROM stg.contacts
-- evidence
-- the records missing it
SELECT ref FROM stg.contacts WHERE is_blank(phone) ORDER BY _file, _record
