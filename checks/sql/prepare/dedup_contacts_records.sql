-- CRM contacts as the duplicate engine sees them (checks/dedup/spec.py).
-- Full name: from last / first / middle name where the export has them, else the full-name cell,
-- name_key is the contract's "normalised full name" (case, ё, punctuation folded, words sorted).
-- Keys: every normalised phone (E.164) and every valid normalised e-mail (a broken address such as
-- `x@gmail` or `x @mail.ru` is typed garbage, not an identity); a local number no region validates
-- (5-15 digits: a local number without its area code, a foreign number read as Russian) is a key within its own export (`local_phone`). Group: the company name.
-- For the linkage: birth date, city, address tokens, postcode, the company as written.
-- Staged: per-row work in one projection over the table, then each distinct name part is
-- transliterated once and joined back.
WITH tokens AS (
    SELECT ref, _file, _record, modified_at, company_name_norm AS grp,
           coalesce(nullif(concat_ws(' ', last_name, first_name, middle_name), ''), full_name) AS display,
           coalesce(person_norm(concat_ws(' ', last_name, first_name, middle_name)), full_name_norm) AS name_key,
           list_concat(list_transform(coalesce(phones, []), lambda x: {'k': 'phone', 'v': x}),
                       list_transform(list_filter(coalesce(emails, []), lambda e: email_valid(e)), lambda x: {'k': 'email', 'v': x}),
                       list_transform(list_filter(coalesce(phones_invalid, []), lambda x: length(regexp_replace(x, '[^0-9]', '', 'g')) BETWEEN 5 AND 15),
                                      lambda x: {'k': 'local_phone', 'v': regexp_replace(x, '[^0-9]', '', 'g') || ' in ' || _file})) AS keys,
           birth_date AS dob, nullif(lower(replace(trim(city), 'ё', 'е')), '') AS city_n, address_norm AS addr,
           postcode_norm AS pcode, company_name AS company,
           {fill} AS fill,
           dd_tokens(last_name) AS t_last, dd_tokens(first_name) AS t_first,
           dd_tokens(middle_name) AS t_middle, dd_tokens(full_name) AS t_full
    FROM stg.contacts
), parts AS (
    SELECT * EXCLUDE (t_last, t_first, t_middle, t_full),
           CASE WHEN len(t_last) + len(t_first) > 0 THEN {
                    's': nullif(array_to_string(t_last, ' '), ''),
                    'g': t_first[1],
                    'p': nullif(array_to_string(list_concat(t_first[2:], t_middle), ' '), '')}
                ELSE dd_parts(t_full) END AS parts
    FROM tokens
), named AS MATERIALIZED (
    SELECT * EXCLUDE (parts), parts.s AS s_raw, parts.g AS g_raw, parts.p AS p_raw FROM parts
), skeleton AS (
    SELECT t, dd_part_skeleton(t) AS sk
    FROM (SELECT s_raw AS t FROM named UNION SELECT g_raw FROM named UNION SELECT p_raw FROM named)
    WHERE t IS NOT NULL
)
SELECT ref, _file, _record, display, name_key, CAST([] AS VARCHAR[]) AS names,
       ks.sk AS s, kg.sk AS g, kp.sk AS p, grp, keys, CAST(NULL AS VARCHAR) AS strong_id, fill, modified_at,
       dob, city_n, addr, pcode, company, s_raw AS s_text, g_raw AS g_text, p_raw AS p_text
FROM named
LEFT JOIN skeleton ks ON ks.t = s_raw LEFT JOIN skeleton kg ON kg.t = g_raw LEFT JOIN skeleton kp ON kp.t = p_raw
