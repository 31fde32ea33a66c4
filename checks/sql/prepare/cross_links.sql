-- Links from 1C documents and payments to CRM organisations, for the cross-system checks, through
-- the one same-company decision of cross_match.sql. Record keys (_x_key, _c_key = file:record)
-- identify rows; refs are for evidence.

-- dq.onec_party: every 1C document and payment with its counterparty's identity — name and INN
-- as written on it; where it has no valid INN, the valid INN the 1C counterparties list gives
-- that name (when the list gives exactly one), and the list rows it refers to (by id, INN or name:
-- 1C list exports name a document's counterparty by its name, a reference inside 1C).
CREATE OR REPLACE TABLE dq.onec_party AS
WITH x AS (
    SELECT 'documents' AS entity, _file || ':' || _record AS x_key, ref, counterparty_name_norm AS nm,
           nullif(trim(counterparty_id), '') AS cid, CASE WHEN counterparty_inn_valid THEN counterparty_inn END AS own_inn
    FROM stg.documents
    UNION ALL
    SELECT 'payments', _file || ':' || _record, ref, counterparty_name_norm, NULL,
           CASE WHEN counterparty_inn_valid THEN counterparty_inn END
    FROM stg.payments
), p AS (
    SELECT _file || ':' || _record AS p_key, record_id, name_norm, full_name_norm, CASE WHEN inn_valid THEN inn END AS inn
    FROM stg.counterparties
), names AS (   -- a counterparty's short and full name, each a key to its list row
    SELECT p_key, inn, name_norm AS nm FROM p WHERE name_norm IS NOT NULL
    UNION SELECT p_key, inn, full_name_norm FROM p WHERE full_name_norm IS NOT NULL
), name_inn AS (
    SELECT nm, CASE WHEN count(DISTINCT inn) = 1 THEN min(inn) END AS inn FROM names WHERE inn IS NOT NULL GROUP BY nm
), xp AS (      -- the list rows a 1C record refers to
    SELECT x.x_key, p.p_key FROM x JOIN p ON x.cid = p.record_id
    UNION SELECT x.x_key, p.p_key FROM x JOIN p ON x.own_inn = p.inn
    UNION SELECT x.x_key, n.p_key FROM x JOIN names n ON x.nm = n.nm WHERE x.own_inn IS NULL
)
SELECT x.entity, x.x_key AS _x_key, x.ref, x.nm AS name_norm, coalesce(x.own_inn, ni.inn) AS inn,
       coalesce(l.p_keys, []) AS _p_keys
FROM x LEFT JOIN name_inn ni ON x.own_inn IS NULL AND ni.nm = x.nm
LEFT JOIN (SELECT x_key, list(p_key ORDER BY p_key) AS p_keys FROM xp GROUP BY x_key) l ON l.x_key = x.x_key;

-- dq.onec_company: the CRM organisations (dq.crm_orgs: companies, and deals naming an unlinked
-- company) that are the same company as a 1C document's or payment's counterparty:
--   'inn'          its valid INN (own, or the list's for its name) equals the organisation's valid INN,
--   'counterparty' a list row it refers to is the same company as the organisation (dq.same_company:
--                  INN, or name plus a shared phone or e-mail).
-- A name alone links nothing here (see dq.possible_matches).
CREATE OR REPLACE TABLE dq.onec_company AS
SELECT DISTINCT ON (entity, _x_key, _c_key) * FROM (
    SELECT x.entity, x._x_key, c.o_key AS _c_key, c.entity AS crm_entity, c.ref AS company_ref, 'inn' AS rule
    FROM dq.onec_party x JOIN dq.crm_orgs c ON x.inn = c.inn
    UNION ALL
    SELECT x.entity, x._x_key, s.o_key, s.entity, s.crm_ref, 'counterparty'
    FROM (SELECT entity, _x_key, unnest(_p_keys) AS p_key FROM dq.onec_party) x JOIN dq.same_company s ON s.p_key = x.p_key
)
ORDER BY entity, _x_key, _c_key, CASE rule WHEN 'inn' THEN 1 ELSE 2 END
