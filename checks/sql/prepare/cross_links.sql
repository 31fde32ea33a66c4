-- Links from CRM deals and 1C documents / payments to CRM companies, for the cross-system
-- checks. Record keys (_d_key, _x_key, _c_key = file:record) identify rows; refs are for evidence.

-- dq.deal_company: the CRM company a deal links to — by company id; else by its exact title
-- (exports write the linked company's title, as Bitrix24 does); else by normalised name (which
-- may give several records: duplicates of one company, or namesakes such as the two «Вектор»).
CREATE OR REPLACE TABLE dq.deal_company AS
WITH d AS (
    SELECT _file || ':' || _record AS d_key, ref, trim(company_id) AS company_id, trim(company_name) AS company_name, company_name_norm
    FROM stg.deals
), c AS (
    SELECT _file || ':' || _record AS c_key, ref, record_id, trim(name) AS name, name_norm FROM stg.companies
), by_id AS (
    SELECT d.d_key, d.ref AS deal_ref, c.c_key, c.ref AS company_ref, 'id' AS rule
    FROM d JOIN c ON d.company_id = c.record_id
), by_title AS (
    SELECT d.d_key, d.ref, c.c_key, c.ref, 'title' FROM d JOIN c ON d.company_name = c.name
    WHERE d.d_key NOT IN (SELECT d_key FROM by_id)
), by_norm AS (
    SELECT d.d_key, d.ref, c.c_key, c.ref, 'name' FROM d JOIN c ON d.company_name_norm = c.name_norm
    WHERE d.d_key NOT IN (SELECT d_key FROM by_id UNION ALL SELECT d_key FROM by_title)
)
SELECT d_key AS _d_key, deal_ref, c_key AS _c_key, company_ref, rule FROM by_id
UNION ALL SELECT * FROM by_title
UNION ALL SELECT * FROM by_norm;

-- dq.onec_party: every 1C document and payment with its counterparty's identity — name and INN
-- as written on it; where it has no valid INN, the valid INN the 1C counterparties list gives
-- that name (when the list gives exactly one), and the list rows it refers to (by id, INN or name).
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

-- dq.onec_company: the CRM companies that are the same company as a 1C document's or payment's
-- counterparty. A 1C record carries only a name and (maybe) an INN, so at this level:
--   'inn'          its valid INN (own, or the list's for its name) equals the company's valid INN,
--   'name'         the INN is missing on either side and the normalised names are equal,
--   'counterparty' the list row it refers to is matched to the company (dq.company_match).
CREATE OR REPLACE TABLE dq.onec_company AS
WITH c AS (
    SELECT _file || ':' || _record AS c_key, ref, name_norm, CASE WHEN inn_valid THEN inn END AS inn FROM stg.companies
)
SELECT DISTINCT ON (entity, _x_key, _c_key) * FROM (
    SELECT x.entity, x._x_key, c.c_key AS _c_key, c.ref AS company_ref, 'inn' AS rule
    FROM dq.onec_party x JOIN c ON x.inn = c.inn
    UNION ALL
    SELECT x.entity, x._x_key, c.c_key, c.ref, 'name'
    FROM dq.onec_party x JOIN c ON x.name_norm = c.name_norm WHERE x.inn IS NULL OR c.inn IS NULL
    UNION ALL
    SELECT x.entity, x._x_key, m._c_key, m.company_ref, 'counterparty'
    FROM (SELECT entity, _x_key, unnest(_p_keys) AS p_key FROM dq.onec_party) x JOIN dq.company_match m ON m._p_key = x.p_key
)
ORDER BY entity, _x_key, _c_key, CASE rule WHEN 'inn' THEN 1 WHEN 'counterparty' THEN 2 ELSE 3 END
