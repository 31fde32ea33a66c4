-- Incoming 1C payments and whether their payer is the same company as a CRM company with a deal
-- (rules: checks/sql/cross/payments_without_deal.sql). One table for the measure and its evidence.
CREATE OR REPLACE TABLE dq.payment_deals AS
WITH pay AS (
    SELECT _file || ':' || _record AS x_key, _file, _record, ref, counterparty_name_norm AS nm FROM stg.payments
    WHERE flow = 'in' OR (flow IS NULL AND NOT EXISTS (SELECT 1 FROM stg.payments WHERE flow IS NOT NULL))
), with_deal AS (
    SELECT p.x_key FROM pay p
    JOIN dq.onec_company oc ON oc.entity = 'payments' AND oc._x_key = p.x_key
    JOIN dq.deal_company dc ON dc._c_key = oc._c_key
    UNION
    SELECT p.x_key FROM pay p JOIN stg.deals d ON d.company_name_norm = p.nm
    WHERE d._file || ':' || d._record NOT IN (SELECT _d_key FROM dq.deal_company)
)
SELECT p.x_key, p._file, p._record, p.ref, p.x_key IN (SELECT x_key FROM with_deal) AS has_deal FROM pay p;
