-- Won deals and whether a 1C invoice or sale of the same company lies within ±30 days of the
-- close date (rules: checks/sql/cross/deals_won_without_document.sql). One table, so the
-- measure and its evidence read the same decision.
CREATE OR REPLACE TABLE dq.sales_documents AS
SELECT _file || ':' || _record AS x_key, counterparty_name_norm AS nm, CAST(doc_date AS DATE) AS day
FROM stg.documents
WHERE (doc_type IN ('invoice', 'sale') OR doc_type IS NULL) AND status IS DISTINCT FROM 'deleted';
CREATE OR REPLACE TABLE dq.won_deal_documents AS
WITH won AS (
    SELECT _file || ':' || _record AS d_key, _file, _record, ref,
           CAST(coalesce(closed_at, modified_at) AS DATE) AS close_day
    FROM stg.deals WHERE state = 'won'
), orgs AS (        -- the organisation of each won deal: its linked CRM companies, else the deal itself
    SELECT w.d_key, dc._c_key AS o_key FROM won w JOIN dq.deal_company dc ON dc._d_key = w.d_key
    UNION ALL
    SELECT w.d_key, w.d_key FROM won w WHERE w.d_key NOT IN (SELECT _d_key FROM dq.deal_company)
), near AS (
    SELECT w.d_key FROM won w
    JOIN orgs o ON o.d_key = w.d_key
    JOIN dq.onec_company oc ON oc.entity = 'documents' AND oc._c_key = o.o_key
    JOIN dq.sales_documents x ON x.x_key = oc._x_key
    WHERE w.close_day IS NULL OR x.day BETWEEN w.close_day - 30 AND w.close_day + 30
)
SELECT w.d_key, w._file, w._record, w.ref, w.d_key IN (SELECT d_key FROM near) AS has_document FROM won w;
