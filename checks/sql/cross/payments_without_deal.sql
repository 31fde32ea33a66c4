-- measure
-- 1C payments from a counterparty that is not the same company as any CRM company with a deal
-- (at any stage) ÷ 1C payments.
-- "Payments from" a counterparty are incoming ones (flow 'in': receipts from customers);
-- outgoing payments (to suppliers, refunds) are not sales and are left out, and so are payments
-- of unknown direction (internal transfers) — unless no payment has a known direction, when all
-- are taken as incoming. The payer is the same company as a CRM organisation when dq.onec_company
-- links them (valid INN, or its 1C list row is the same company: name plus shared phone/e-mail;
-- a name alone is only a possible match, dq.possible_matches); a CRM company "has a deal" when
-- dq.deal_company links a deal to it, and a deal naming no CRM company record stands for itself.
-- (the decision per payment is made once, in checks/sql/prepare/cross_payment_deals.sql)
SELECT count(*) FILTER (WHERE NOT has_deal) AS numerator, count(*) AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM stg.deals) THEN count(*) FILTER (WHERE NOT has_deal) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM stg.deals) THEN 'no CRM deals loaded'
            WHEN count(*) = 0 THEN 'no incoming 1C payments loaded' END AS reason
FROM dq.payment_deals
-- evidence
SELECT ref FROM dq.payment_deals WHERE NOT has_deal ORDER BY _file, _record
