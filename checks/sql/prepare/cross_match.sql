-- dq.company_match(company_ref, counterparty_ref, rule): every CRM company ↔ 1C counterparty
-- pair that are the same company (contract, "same company"), compared record by record:
--   'inn'        both INNs valid and equal,
--   'name+phone' / 'name+email'  the INN is missing or invalid on either side (an INN failing its
--                checksum is treated as missing), the company's normalised name equals the
--                counterparty's short or full normalised name, and they share a normalised
--                phone (else e-mail).
-- Two valid but different INNs are two organisations whatever the names (`ООО «Вектор»` in
-- Moscow and `АО «Вектор»` in Kazan). Pairs are direct, not transitive: a duplicate that shares
-- nothing with the other system stays unmatched, as the data shows it.
-- _c_key / _p_key are the records' positions (refs may repeat across files).
CREATE OR REPLACE TABLE dq.company_match AS
WITH c AS (
    SELECT _file || ':' || _record AS c_key, ref, name_norm, phones, emails,
           CASE WHEN inn_valid THEN inn END AS inn
    FROM stg.companies
), p AS (
    SELECT _file || ':' || _record AS p_key, ref, name_norm, full_name_norm, phones, emails,
           CASE WHEN inn_valid THEN inn END AS inn
    FROM stg.counterparties
), p_names AS (   -- short and full name, each an equi-join key (an OR join would compare every pair)
    SELECT p_key, name_norm AS nm FROM p WHERE name_norm IS NOT NULL
    UNION SELECT p_key, full_name_norm FROM p WHERE full_name_norm IS NOT NULL
), pairs AS (
    SELECT c.c_key, p.p_key, c.ref AS company_ref, p.ref AS counterparty_ref, 'inn' AS rule
    FROM c JOIN p ON c.inn = p.inn
    UNION ALL
    SELECT c.c_key, p.p_key, c.ref, p.ref,
           CASE WHEN len(list_intersect(c.phones, p.phones)) > 0 THEN 'name+phone' ELSE 'name+email' END
    FROM c JOIN (SELECT DISTINCT p_key, nm FROM p_names) n ON c.name_norm = n.nm JOIN p ON p.p_key = n.p_key
    WHERE (c.inn IS NULL OR p.inn IS NULL)
      AND (len(list_intersect(c.phones, p.phones)) > 0 OR len(list_intersect(c.emails, p.emails)) > 0)
)
SELECT company_ref, counterparty_ref, rule, c_key AS _c_key, p_key AS _p_key FROM pairs
