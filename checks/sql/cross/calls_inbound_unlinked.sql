-- measure
-- inbound calls (dq.calls) whose caller number matches no normalised phone of any CRM contact,
-- company or lead ÷ inbound calls. A call from a hidden or unparseable number matches nothing
-- and counts as unlinked. No CRM contacts, companies or leads loaded: n/a.
WITH crm AS (
    SELECT unnest(phones) AS number FROM stg.contacts
    UNION SELECT unnest(phones) FROM stg.companies
    UNION SELECT unnest(phones) FROM stg.leads
), inbound AS (
    SELECT ref, number, number IN (SELECT number FROM crm WHERE number IS NOT NULL) AS linked FROM dq.calls WHERE direction = 'inbound'
), loaded AS (
    SELECT EXISTS (SELECT 1 FROM stg.contacts) OR EXISTS (SELECT 1 FROM stg.companies) OR EXISTS (SELECT 1 FROM stg.leads) AS crm
)
SELECT count(*) FILTER (WHERE NOT coalesce(linked, false)) AS numerator, count(*) AS denominator,
       CASE WHEN (SELECT crm FROM loaded) THEN count(*) FILTER (WHERE NOT coalesce(linked, false)) / nullif(count(*), 0) END AS value,
       CASE WHEN NOT (SELECT crm FROM loaded) THEN 'no CRM contacts, companies or leads loaded'
            WHEN count(*) = 0 THEN 'no inbound calls' END AS reason
FROM inbound
-- evidence
WITH crm AS (
    SELECT unnest(phones) AS number FROM stg.contacts
    UNION SELECT unnest(phones) FROM stg.companies
    UNION SELECT unnest(phones) FROM stg.leads
)
SELECT ref FROM dq.calls
WHERE direction = 'inbound' AND (number IS NULL OR number NOT IN (SELECT number FROM crm WHERE number IS NOT NULL))
ORDER BY started_at, ref
