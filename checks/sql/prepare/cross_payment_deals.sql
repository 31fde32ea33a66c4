-- Incoming 1C payments and whether their payer is the same company as a CRM company with a deal
-- (rules: checks/sql/cross/payments_without_deal.sql). One table for the measure and its evidence.
CREATE OR REPLACE TABLE dq.payment_deals AS
WITH pay AS (
    SELECT _file || ':' || _record AS x_key, _file, _record, ref FROM stg.payments
    WHERE flow = 'in' OR (flow IS NULL AND NOT EXISTS (SELECT 1 FROM stg.payments WHERE flow IS NOT NULL))
), with_deal AS (   -- the payer is a CRM company some deal links to, or a deal naming an unlinked company
    SELECT p.x_key FROM pay p
    JOIN dq.onec_company oc ON oc.entity = 'payments' AND oc._x_key = p.x_key
    WHERE (oc.crm_entity = 'companies' AND oc._c_key IN (SELECT _c_key FROM dq.deal_company)) OR oc.crm_entity = 'deals'
)
SELECT p.x_key, p._file, p._record, p.ref, p.x_key IN (SELECT x_key FROM with_deal) AS has_deal FROM pay p;
