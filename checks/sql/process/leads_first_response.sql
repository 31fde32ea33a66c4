-- measure
-- median, over leads with a phone (deals where no leads are loaded), of minutes from the lead's
-- creation to the start of the first call that reached for it: an outbound call to one of its
-- numbers (answered or not) or an answered call with it (inbound from it, outbound to it),
-- starting strictly after creation. Leads never called after creation (and leads without a
-- creation time) are left out of the median: numerator = leads measured, denominator = leads
-- with a phone.
WITH base AS (
    SELECT _file, _record, ref, created_at, phones FROM stg.leads WHERE len(phones) > 0
    UNION ALL
    SELECT _file, _record, ref, created_at, phones FROM stg.deals
    WHERE len(phones) > 0 AND NOT EXISTS (SELECT 1 FROM stg.leads)
), first_call AS (
    SELECT b._file, b._record, min(c.started_at) - any_value(b.created_at) AS wait
    FROM (SELECT _file, _record, created_at, unnest(phones) AS number FROM base WHERE created_at IS NOT NULL) b
    JOIN dq.calls c ON c.number = b.number AND c.started_at > b.created_at
    WHERE c.direction = 'outbound' OR c.answered
    GROUP BY b._file, b._record
)
SELECT (SELECT count(*) FROM first_call) AS numerator,
       (SELECT count(*) FROM base) AS denominator,
       (SELECT median(epoch(wait) / 60.0) FROM first_call) AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM stg.leads) AND NOT EXISTS (SELECT 1 FROM stg.deals) THEN 'no CRM leads or deals loaded'
            WHEN (SELECT count(*) FROM base) = 0 THEN 'no leads with a phone'
            WHEN (SELECT count(*) FROM first_call) = 0 THEN 'no lead was called after it was created' END AS reason
-- evidence
-- the leads measured, the longest wait first
WITH base AS (
    SELECT _file, _record, ref, created_at, phones FROM stg.leads WHERE len(phones) > 0
    UNION ALL
    SELECT _file, _record, ref, created_at, phones FROM stg.deals
    WHERE len(phones) > 0 AND NOT EXISTS (SELECT 1 FROM stg.leads)
)
SELECT any_value(b.ref) AS ref
FROM (SELECT _file, _record, ref, created_at, unnest(phones) AS number FROM base WHERE created_at IS NOT NULL) b
JOIN dq.calls c ON c.number = b.number AND c.started_at > b.created_at
WHERE c.direction = 'outbound' OR c.answered
GROUP BY b._file, b._record
ORDER BY min(c.started_at) - any_value(b.created_at) DESC, b._file, b._record
