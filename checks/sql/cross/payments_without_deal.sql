-- measure
-- 1C payments from a counterparty that is not the same company as any CRM company with a deal
-- (at any stage) ÷ 1C payments.
-- "Payments from" a counterparty are incoming ones (flow 'in': receipts from customers);
-- outgoing payments (to suppliers, refunds) are not sales and are left out, and so are payments
-- of unknown direction (internal transfers) — unless no payment has a known direction, when all
-- are taken as incoming. The payer is the same company as a CRM company when dq.onec_company
-- links them; a CRM company "has a deal" when dq.deal_company links a deal to it, and a deal
-- whose company matches no CRM company record is compared by its company name.
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
SELECT count(*) FILTER (WHERE x_key NOT IN (SELECT x_key FROM with_deal)) AS numerator, count(*) AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM stg.deals) THEN count(*) FILTER (WHERE x_key NOT IN (SELECT x_key FROM with_deal)) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM stg.deals) THEN 'no CRM deals loaded'
            WHEN count(*) = 0 THEN 'no incoming 1C payments loaded' END AS reason
FROM pay
-- evidence
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
SELECT ref FROM pay WHERE x_key NOT IN (SELECT x_key FROM with_deal) ORDER BY _file, _record
