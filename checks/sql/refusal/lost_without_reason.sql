-- measure
-- lost deals with a blank loss reason ÷ lost deals
SELECT count(*) FILTER (WHERE is_blank(loss_reason)) AS numerator,
       count(*) AS denominator,
       count(*) FILTER (WHERE is_blank(loss_reason)) / nullif(count(*), 0) AS value
FROM stg.deals WHERE state = 'lost'
-- evidence
SELECT ref FROM stg.deals WHERE state = 'lost' AND is_blank(loss_reason) ORDER BY _file, _record
