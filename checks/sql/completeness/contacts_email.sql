-- measure
-- share of contacts with a non-blank email
SELECT count(*) FILTER (WHERE NOT is_blank(email)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT is_blank(email)) / nullif(count(*), 0) AS value
FROM stg.contacts
-- evidence
-- the records missing it
SELECT ref FROM stg.contacts WHERE is_blank(email) ORDER BY _file, _record
