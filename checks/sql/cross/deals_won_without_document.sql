-- measure
-- won deals with no 1C invoice or sale to the same company dated within ±30 calendar days of
-- the deal's close date ÷ won deals.
-- The deal's company: dq.deal_company (by id, exact title, else normalised name); a deal whose
-- company name matches no CRM company record stands for that company itself (its name, phone,
-- e-mail). A 1C document is to the same company when dq.onec_company links it (valid INN, or its
-- list counterparty is the same company: name plus a shared phone or e-mail). A name alone is a
-- possible match, not the same company (dq.possible_matches). A won deal with no company at all
-- has no document "to the same company" and counts.
-- Close date: the deal's close date; where missing, its last change (a won deal is last changed
-- when it is won, as a rule); where that is missing too, a document of the company on any date
-- counts. Dates compare as calendar days. Documents of unknown type (the export named none) are
-- taken as invoices or sales; documents marked for deletion are not documents.
-- (the decision per deal is made once, in checks/sql/prepare/cross_won_documents.sql)
SELECT count(*) FILTER (WHERE NOT has_document) AS numerator, count(*) AS denominator,
       CASE WHEN EXISTS (SELECT 1 FROM dq.sales_documents) THEN count(*) FILTER (WHERE NOT has_document) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM dq.sales_documents) THEN 'no 1C invoices or sales loaded'
            WHEN count(*) = 0 THEN 'no won deals' END AS reason
FROM dq.won_deal_documents
-- evidence
SELECT ref FROM dq.won_deal_documents WHERE NOT has_document ORDER BY _file, _record
