-- CRM companies as the duplicate engine sees them (checks/dedup/spec.py).
-- Strong id: the INN where it is valid (an invalid INN is treated as missing). Names: the
-- normalised name (legal form, quotes, case, ё, look-alike letters removed). Keys: phones, e-mails.
SELECT ref, _file, _record, name AS display, name_norm AS name_key,
       list_filter([name_norm], lambda x: x IS NOT NULL) AS names,
       CAST(NULL AS VARCHAR) AS s, CAST(NULL AS VARCHAR) AS g, CAST(NULL AS VARCHAR) AS p,
       CAST(NULL AS VARCHAR) AS grp,
       list_concat(list_transform(coalesce(phones, []), lambda x: {'k': 'phone', 'v': x}),
                   list_transform(list_filter(coalesce(emails, []), lambda e: email_valid(e)), lambda x: {'k': 'email', 'v': x})) AS keys,
       CASE WHEN inn_valid THEN inn END AS strong_id,
       {fill} AS fill, modified_at
FROM stg.companies
