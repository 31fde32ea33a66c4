-- CRM companies as the duplicate engine sees them (checks/dedup/spec.py).
-- Strong id: the INN where it is valid (an invalid INN is treated as missing). Names: the
-- normalised name (legal form, quotes, case, ё, look-alike letters removed). Keys: phones, e-mails,
-- numbers no region validates (local numbers without an area code) within their own export (`local_phone`). For the linkage:
-- address tokens, postcode, city, web domains (the website's, and e-mail domains that are not
-- public mail services).
SELECT ref, _file, _record, name AS display, name_norm AS name_key,
       list_filter([name_norm], lambda x: x IS NOT NULL) AS names,
       CAST(NULL AS VARCHAR) AS s, CAST(NULL AS VARCHAR) AS g, CAST(NULL AS VARCHAR) AS p,
       CAST(NULL AS VARCHAR) AS grp,
       list_concat(list_transform(coalesce(phones, []), lambda x: {'k': 'phone', 'v': x}),
                   list_transform(list_filter(coalesce(emails, []), lambda e: email_valid(e)), lambda x: {'k': 'email', 'v': x}),
                   list_transform(list_filter(coalesce(phones_invalid, []), lambda x: length(regexp_replace(x, '[^0-9]', '', 'g')) BETWEEN 5 AND 15),
                                  lambda x: {'k': 'local_phone', 'v': regexp_replace(x, '[^0-9]', '', 'g') || ' in ' || _file})) AS keys,
       CASE WHEN inn_valid THEN inn END AS strong_id,
       {fill} AS fill, modified_at,
       nullif(lower(replace(trim(city), 'ё', 'е')), '') AS city_n, address_norm AS addr, postcode_norm AS pcode,
       list_distinct(list_filter(list_concat([website_domain],
           list_transform(list_filter(coalesce(emails, []), lambda e: email_valid(e)), lambda e: email_domain(e))),
           lambda d: d IS NOT NULL AND d NOT IN ('gmail.com', 'mail.ru', 'yandex.ru', 'ya.ru', 'bk.ru', 'inbox.ru', 'list.ru',
                                                 'rambler.ru', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'yandex.kz'))) AS domains
FROM stg.companies
