-- measure
-- leads and deals created by a chat bot ÷ leads and deals with a known creator (Q5: bots handle requests)
WITH r AS (SELECT ref, _file, _record, created_by FROM stg.leads UNION ALL SELECT ref, _file, _record, created_by FROM stg.deals)
SELECT count(*) FILTER (WHERE is_bot_account(created_by)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE is_bot_account(created_by)) / nullif(count(*), 0) AS value
FROM r WHERE NOT is_blank(created_by)
-- evidence
SELECT ref FROM (SELECT ref, _file, _record, created_by FROM stg.leads UNION ALL SELECT ref, _file, _record, created_by FROM stg.deals)
WHERE NOT is_blank(created_by) AND is_bot_account(created_by) ORDER BY _file, _record
