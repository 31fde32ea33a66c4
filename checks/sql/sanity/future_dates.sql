-- measure
-- records of every entity with an event date after the reference date (typos such as 2062 for 2026)
WITH r AS (
    SELECT ref, _file, _record, greatest(created_at, modified_at) AS t FROM stg.companies
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at) FROM stg.contacts
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at) FROM stg.leads
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at, closed_at) FROM stg.deals
    UNION ALL SELECT ref, _file, _record, doc_date FROM stg.documents
    UNION ALL SELECT ref, _file, _record, pay_date FROM stg.payments
    UNION ALL SELECT ref, _file, _record, started_at FROM stg.calls
)
SELECT count(*) FILTER (WHERE t > $as_of) AS numerator, count(*) FILTER (WHERE t IS NOT NULL) AS denominator,
       count(*) FILTER (WHERE t > $as_of) / nullif(count(*) FILTER (WHERE t IS NOT NULL), 0) AS value
FROM r
-- evidence
SELECT ref FROM (
    SELECT ref, _file, _record, greatest(created_at, modified_at) AS t FROM stg.companies
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at) FROM stg.contacts
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at) FROM stg.leads
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at, closed_at) FROM stg.deals
    UNION ALL SELECT ref, _file, _record, doc_date FROM stg.documents
    UNION ALL SELECT ref, _file, _record, pay_date FROM stg.payments
    UNION ALL SELECT ref, _file, _record, started_at FROM stg.calls
) WHERE t > $as_of ORDER BY _file, _record
