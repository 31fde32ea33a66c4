-- measure
-- matched pairs (dq.company_match) whose normalised name, phone or e-mail differ where both
-- sides have one ÷ matched pairs. Name differs: the company's normalised name equals neither
-- the counterparty's short nor full normalised name. Phones (e-mails) differ: both sides have
-- at least one and they have none in common.
WITH pairs AS (
    SELECT m.company_ref, m.counterparty_ref, m._c_key, m._p_key,
           c.name_norm IS NOT NULL AND coalesce(p.name_norm, p.full_name_norm) IS NOT NULL
             AND c.name_norm IS DISTINCT FROM p.name_norm AND c.name_norm IS DISTINCT FROM p.full_name_norm AS name_differs,
           len(c.phones) > 0 AND len(p.phones) > 0 AND len(list_intersect(c.phones, p.phones)) = 0 AS phone_differs,
           len(c.emails) > 0 AND len(p.emails) > 0 AND len(list_intersect(c.emails, p.emails)) = 0 AS email_differs
    FROM dq.company_match m
    JOIN stg.companies c ON m._c_key = c._file || ':' || c._record
    JOIN stg.counterparties p ON m._p_key = p._file || ':' || p._record
)
SELECT count(*) FILTER (WHERE name_differs OR phone_differs OR email_differs) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE name_differs OR phone_differs OR email_differs) / nullif(count(*), 0) AS value,
       CASE WHEN count(*) = 0 THEN 'no CRM company matches a 1C counterparty' END AS reason
FROM pairs
-- evidence
-- the CRM company of each conflicting pair, with the counterparty it was matched to
SELECT m.company_ref || ' ↔ ' || m.counterparty_ref AS ref
FROM dq.company_match m
JOIN stg.companies c ON m._c_key = c._file || ':' || c._record
JOIN stg.counterparties p ON m._p_key = p._file || ':' || p._record
WHERE (c.name_norm IS NOT NULL AND coalesce(p.name_norm, p.full_name_norm) IS NOT NULL
       AND c.name_norm IS DISTINCT FROM p.name_norm AND c.name_norm IS DISTINCT FROM p.full_name_norm)
   OR (len(c.phones) > 0 AND len(p.phones) > 0 AND len(list_intersect(c.phones, p.phones)) = 0)
   OR (len(c.emails) > 0 AND len(p.emails) > 0 AND len(list_intersect(c.emails, p.emails)) = 0)
ORDER BY c._file, c._record, p._file, p._record
