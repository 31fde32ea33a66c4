-- measure
-- closed (won or lost) deals whose close date lies after the reference date ÷ closed deals with a
-- close date. A closed deal dated in the future carries a planned date, not the day it closed
-- (Bitrix24 CLOSEDATE, Salesforce CloseDate left at the plan), or a typo.
SELECT count(*) FILTER (WHERE closed_at > $as_of) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE closed_at > $as_of) / nullif(count(*), 0) AS value
FROM stg.deals WHERE state IN ('won', 'lost') AND closed_at IS NOT NULL
-- evidence
SELECT ref FROM stg.deals WHERE state IN ('won', 'lost') AND closed_at > $as_of ORDER BY closed_at DESC, _file, _record
