-- measure
-- 1C counterparties with no same company among CRM companies ÷ 1C counterparties
-- (same company: dq.company_match — equal valid INN, or, where INN is missing on either side,
-- the same normalised name with a shared phone or e-mail). No CRM companies loaded: n/a.
SELECT count(*) FILTER (WHERE m._p_key IS NULL) AS numerator, count(*) AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM stg.companies) THEN count(*) FILTER (WHERE m._p_key IS NULL) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM stg.companies) THEN 'no CRM companies loaded' END AS reason
FROM stg.counterparties p
LEFT JOIN (SELECT DISTINCT _p_key FROM dq.company_match) m ON m._p_key = p._file || ':' || p._record
-- evidence
SELECT p.ref FROM stg.counterparties p
WHERE NOT EXISTS (SELECT 1 FROM dq.company_match m WHERE m._p_key = p._file || ':' || p._record)
ORDER BY p._file, p._record
