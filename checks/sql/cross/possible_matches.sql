-- measure
-- CRM company ↔ 1C counterparty pairs with the same normalised name and nothing else to compare
-- (no INN on either side, no shared phone or e-mail): possible matches to review, never counted as
-- the same company (contract, "same company"). Counted as distinct pairs; the 1C side is a
-- counterparty list row, or the party name of 1C documents / payments no list row stands for.
SELECT count(*) AS numerator, NULL AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM stg.counterparties) OR EXISTS (SELECT 1 FROM stg.documents)
                 OR EXISTS (SELECT 1 FROM stg.payments) THEN count(*) END AS value,
       CASE WHEN NOT (EXISTS (SELECT 1 FROM stg.counterparties) OR EXISTS (SELECT 1 FROM stg.documents)
                      OR EXISTS (SELECT 1 FROM stg.payments)) THEN 'no 1C data loaded' END AS reason
FROM dq.possible_matches
-- evidence
SELECT ref FROM dq.possible_matches ORDER BY _record
