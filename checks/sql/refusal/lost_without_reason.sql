-- measure
-- lost deals with a blank loss reason ÷ lost deals; details name the loss-reason column of each file
SELECT count(*) FILTER (WHERE is_blank(loss_reason)) AS numerator,
       count(*) AS denominator,
       count(*) FILTER (WHERE is_blank(loss_reason)) / nullif(count(*), 0) AS value,
       CAST(NULL AS VARCHAR) AS reason,
       -- which column gave the reason in each file, found by its title or by its content
       (SELECT to_json({'loss_reason_columns': coalesce(list({'file': path, 'column': source_column, 'found_by': matched_by}
                                                             ORDER BY path), [])})
        FROM dq.loss_reason_columns) AS details
FROM stg.deals WHERE state = 'lost'
-- evidence
SELECT ref FROM stg.deals WHERE state = 'lost' AND is_blank(loss_reason) ORDER BY _file, _record
