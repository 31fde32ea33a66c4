-- measure
-- lost deals whose reason is a catch-all ("Другое", "Other", ...) ÷ lost deals with a non-blank reason
SELECT count(*) FILTER (WHERE is_catch_all(loss_reason)) AS numerator,
       count(*) AS denominator,
       count(*) FILTER (WHERE is_catch_all(loss_reason)) / nullif(count(*), 0) AS value
FROM stg.deals WHERE state = 'lost' AND NOT is_blank(loss_reason)
-- evidence
SELECT ref FROM stg.deals WHERE state = 'lost' AND NOT is_blank(loss_reason) AND is_catch_all(loss_reason)
ORDER BY _file, _record
