-- measure
-- won deals with no 1C invoice or sale to the same company dated within ±30 calendar days of
-- the deal's close date ÷ won deals.
-- The deal's company: dq.deal_company (by id, exact title, else normalised name); a deal whose
-- company name matches no CRM company record is compared by that name itself. A 1C document is
-- to the same company when dq.onec_company links it (valid INN, name where INN is missing on
-- either side, or its list counterparty matched in dq.company_match). A won deal with no company
-- at all has no document "to the same company" and counts.
-- Close date: the deal's close date; where missing, its last change (a won deal is last changed
-- when it is won, as a rule); where that is missing too, a document of the company on any date
-- counts. Dates compare as calendar days. Documents of unknown type (the export named none) are
-- taken as invoices or sales; documents marked for deletion are not documents.
WITH won AS (
    SELECT _file || ':' || _record AS d_key, _file, _record, ref, company_name_norm,
           CAST(coalesce(closed_at, modified_at) AS DATE) AS close_day
    FROM stg.deals WHERE state = 'won'
), docs AS (
    SELECT _file || ':' || _record AS x_key, counterparty_name_norm AS nm, CAST(doc_date AS DATE) AS day
    FROM stg.documents
    WHERE (doc_type IN ('invoice', 'sale') OR doc_type IS NULL) AND status IS DISTINCT FROM 'deleted'
), near AS (
    SELECT w.d_key FROM won w
    JOIN dq.deal_company dc ON dc._d_key = w.d_key
    JOIN dq.onec_company oc ON oc.entity = 'documents' AND oc._c_key = dc._c_key
    JOIN docs x ON x.x_key = oc._x_key
    WHERE w.close_day IS NULL OR x.day BETWEEN w.close_day - 30 AND w.close_day + 30
    UNION
    SELECT w.d_key FROM won w JOIN docs x ON x.nm = w.company_name_norm
    WHERE w.d_key NOT IN (SELECT _d_key FROM dq.deal_company)
      AND (w.close_day IS NULL OR x.day BETWEEN w.close_day - 30 AND w.close_day + 30)
)
SELECT count(*) FILTER (WHERE w.d_key NOT IN (SELECT d_key FROM near)) AS numerator, count(*) AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM docs) THEN count(*) FILTER (WHERE w.d_key NOT IN (SELECT d_key FROM near)) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM docs) THEN 'no 1C invoices or sales loaded'
            WHEN count(*) = 0 THEN 'no won deals' END AS reason
FROM won w
-- evidence
WITH won AS (
    SELECT _file || ':' || _record AS d_key, _file, _record, ref, company_name_norm,
           CAST(coalesce(closed_at, modified_at) AS DATE) AS close_day
    FROM stg.deals WHERE state = 'won'
), docs AS (
    SELECT _file || ':' || _record AS x_key, counterparty_name_norm AS nm, CAST(doc_date AS DATE) AS day
    FROM stg.documents
    WHERE (doc_type IN ('invoice', 'sale') OR doc_type IS NULL) AND status IS DISTINCT FROM 'deleted'
), near AS (
    SELECT w.d_key FROM won w
    JOIN dq.deal_company dc ON dc._d_key = w.d_key
    JOIN dq.onec_company oc ON oc.entity = 'documents' AND oc._c_key = dc._c_key
    JOIN docs x ON x.x_key = oc._x_key
    WHERE w.close_day IS NULL OR x.day BETWEEN w.close_day - 30 AND w.close_day + 30
    UNION
    SELECT w.d_key FROM won w JOIN docs x ON x.nm = w.company_name_norm
    WHERE w.d_key NOT IN (SELECT _d_key FROM dq.deal_company)
      AND (w.close_day IS NULL OR x.day BETWEEN w.close_day - 30 AND w.close_day + 30)
)
SELECT ref FROM won WHERE d_key NOT IN (SELECT d_key FROM near) ORDER BY _file, _record
