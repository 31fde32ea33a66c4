-- The one same-company decision (contract, "same company"), used by every cross-system metric.
-- Two records are the same company when
--   'inn'          both carry a valid INN and they are equal, or
--   'name+phone' / 'name+email'  the INN is missing or invalid on either side (an INN failing its
--                  checksum is treated as missing), the normalised names are equal (a 1C
--                  counterparty's short or full name) and they share a normalised phone (else e-mail).
-- The same name with nothing else to compare is only a *possible* match (dq.possible_matches), never
-- the same company: unrelated firms share common names (ООО «Ромашка» in hundreds of cities). Two valid
-- but different INNs are two organisations whatever the names. Pairs are direct, not transitive.
-- Keys (_c_key, _p_key, o_key = file:record) identify rows; refs are for evidence.

-- dq.deal_company: the CRM company a deal links to — by company id; else by its exact title
-- (exports write the linked company's title, as Bitrix24 does); else by normalised name (which
-- may give several records: duplicates of one company, or namesakes). This is a link inside the
-- CRM, as the export writes it, not a cross-system decision.
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

-- dq.crm_orgs: every CRM record that stands for an organisation: the companies, and the deals that
-- name a company no CRM company record is linked to (the deal's own name, phone and e-mail).
CREATE OR REPLACE TABLE dq.crm_orgs AS
SELECT 'companies' AS entity, _file || ':' || _record AS o_key, ref, name_norm,
       CASE WHEN inn_valid THEN inn END AS inn, phones, emails, name, inn_raw, phone, owner, _file AS file, _line AS line
FROM stg.companies
UNION ALL
SELECT 'deals', _file || ':' || _record, ref, company_name_norm, NULL, phones, emails, company_name, NULL, phone, owner,
       _file, _line
FROM stg.deals
WHERE company_name_norm IS NOT NULL AND _file || ':' || _record NOT IN (SELECT _d_key FROM dq.deal_company);

-- dq.onec_orgs: the 1C counterparty list rows (or those derived from CommerceML documents)
CREATE OR REPLACE TABLE dq.onec_orgs AS
SELECT _file || ':' || _record AS p_key, ref, name_norm, full_name_norm, CASE WHEN inn_valid THEN inn END AS inn, phones, emails,
       name, full_name, inn_raw, phone
FROM stg.counterparties;

-- dq.same_company: CRM organisation ↔ 1C counterparty pairs that are the same company
CREATE OR REPLACE TABLE dq.same_company AS
WITH p_names AS (   -- short and full name, each an equi-join key (an OR join would compare every pair)
    SELECT p_key, name_norm AS nm FROM dq.onec_orgs WHERE name_norm IS NOT NULL
    UNION SELECT p_key, full_name_norm FROM dq.onec_orgs WHERE full_name_norm IS NOT NULL
), by_name AS (
    SELECT c.entity, c.o_key, p.p_key, c.ref AS crm_ref, p.ref AS onec_ref,
           len(list_intersect(c.phones, p.phones)) > 0 AS phone, len(list_intersect(c.emails, p.emails)) > 0 AS email
    FROM dq.crm_orgs c JOIN p_names n ON c.name_norm = n.nm JOIN dq.onec_orgs p ON p.p_key = n.p_key
    WHERE c.inn IS NULL OR p.inn IS NULL
)
SELECT c.entity, c.o_key, p.p_key, c.ref AS crm_ref, p.ref AS onec_ref, 'inn' AS rule
FROM dq.crm_orgs c JOIN dq.onec_orgs p ON c.inn = p.inn
UNION ALL
SELECT DISTINCT entity, o_key, p_key, crm_ref, onec_ref, CASE WHEN phone THEN 'name+phone' ELSE 'name+email' END
FROM by_name WHERE phone OR email;

-- dq.company_match(company_ref, counterparty_ref, rule): the CRM company ↔ 1C counterparty pairs
CREATE OR REPLACE TABLE dq.company_match AS
SELECT crm_ref AS company_ref, onec_ref AS counterparty_ref, rule, o_key AS _c_key, p_key AS _p_key
FROM dq.same_company WHERE entity = 'companies';

-- dq.possible_matches: CRM companies and 1C counterparties with the same normalised name, no INN to
-- compare (missing or invalid on either side) and no shared phone or e-mail: to review, not counted as
-- the same company. Also a 1C document's or payment's party that no counterparty list row stands for.
CREATE OR REPLACE TABLE dq.possible_matches AS
WITH p_names AS (
    SELECT p_key, ref, inn, name_norm AS nm, phones, emails, coalesce(name, full_name) AS p_name, inn_raw AS p_inn, phone AS p_phone
    FROM dq.onec_orgs WHERE name_norm IS NOT NULL
    UNION SELECT p_key, ref, inn, full_name_norm, phones, emails, coalesce(name, full_name), inn_raw, phone
    FROM dq.onec_orgs WHERE full_name_norm IS NOT NULL
), loose AS (       -- 1C records whose party name matches no list row: their name is all there is
    SELECT 'name:' || counterparty_name_norm AS p_key, min(ref) AS ref,
           max(CASE WHEN counterparty_inn_valid THEN counterparty_inn END) AS inn, counterparty_name_norm AS nm,
           CAST([] AS VARCHAR[]) AS phones, CAST([] AS VARCHAR[]) AS emails, min(counterparty_name) AS p_name,
           max(counterparty_inn_raw) AS p_inn, NULL AS p_phone
    FROM (SELECT ref, counterparty_name, counterparty_name_norm, counterparty_inn_valid, counterparty_inn, counterparty_inn_raw
          FROM stg.documents
          UNION ALL SELECT ref, counterparty_name, counterparty_name_norm, counterparty_inn_valid, counterparty_inn,
                           counterparty_inn_raw FROM stg.payments)
    WHERE counterparty_name_norm IS NOT NULL AND counterparty_name_norm NOT IN (SELECT nm FROM p_names)
    GROUP BY counterparty_name_norm
), candidates AS (SELECT * FROM p_names UNION ALL SELECT * FROM loose)
SELECT c.o_key AS _c_key, x.p_key AS _p_key, c.ref AS company_ref, x.ref AS counterparty_ref,
       c.ref || ' ↔ ' || x.ref AS ref, c.file AS _file, row_number() OVER (ORDER BY c.name_norm, c.o_key, x.p_key) AS _record,
       c.name_norm, c.file, c.line, c.name AS company_name, c.inn_raw AS company_inn, c.phone AS company_phone, c.owner,
       x.p_name AS counterparty_name, x.p_inn AS counterparty_inn, x.p_phone AS counterparty_phone
FROM dq.crm_orgs c JOIN (SELECT DISTINCT ON (p_key, nm) * FROM candidates) x ON c.name_norm = x.nm
WHERE c.entity = 'companies' AND (c.inn IS NULL OR x.inn IS NULL)
  AND len(list_intersect(c.phones, x.phones)) = 0 AND len(list_intersect(c.emails, x.emails)) = 0
  AND NOT EXISTS (SELECT 1 FROM dq.same_company s WHERE s.o_key = c.o_key AND s.p_key = x.p_key)
