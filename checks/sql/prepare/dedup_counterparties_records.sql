-- 1C counterparties as the duplicate engine sees them (checks/dedup/spec.py): as companies, and
-- a counterparty is known by both its short name and its full (official) name.
SELECT ref, _file, _record, coalesce(name, full_name) AS display, coalesce(name_norm, full_name_norm) AS name_key,
       list_distinct(list_filter([name_norm, full_name_norm], lambda x: x IS NOT NULL)) AS names,
       CAST(NULL AS VARCHAR) AS s, CAST(NULL AS VARCHAR) AS g, CAST(NULL AS VARCHAR) AS p,
       CAST(NULL AS VARCHAR) AS grp,
       list_concat(list_transform(coalesce(phones, []), lambda x: {'k': 'phone', 'v': x}),
                   list_transform(list_filter(coalesce(emails, []), lambda e: email_valid(e)), lambda x: {'k': 'email', 'v': x})) AS keys,
       CASE WHEN inn_valid THEN inn END AS strong_id,
       {fill} AS fill, modified_at
FROM stg.counterparties
