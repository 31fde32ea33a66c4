-- measure
-- CRM companies with no same company among 1C counterparties ÷ CRM companies
-- (same company: dq.company_match). No 1C counterparties loaded: n/a.
SELECT count(*) FILTER (WHERE m._c_key IS NULL) AS numerator, count(*) AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM stg.counterparties) THEN count(*) FILTER (WHERE m._c_key IS NULL) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM stg.counterparties) THEN 'no 1C counterparties loaded' END AS reason
FROM stg.companies c
LEFT JOIN (SELECT DISTINCT _c_key FROM dq.company_match) m ON m._c_key = c._file || ':' || c._record
-- evidence
SELECT c.ref FROM stg.companies c
WHERE NOT EXISTS (SELECT 1 FROM dq.company_match m WHERE m._c_key = c._file || ':' || c._record)
ORDER BY c._file, c._record
