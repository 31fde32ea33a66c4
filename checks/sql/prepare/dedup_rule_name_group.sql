-- Rule `same_name_in_<group>`: the same normalised full name within the same (non-blank) company.
CREATE OR REPLACE TABLE dq.{p}_rule_name_group AS
WITH centre AS (
    SELECT grp, name_key, min(rid) AS centre FROM dq.{p}_records
    WHERE grp IS NOT NULL AND name_key IS NOT NULL GROUP BY grp, name_key HAVING count(*) > 1
)
SELECT c.centre AS rid_l, r.rid AS rid_r, 'same_' || $name_label || '_in_' || $group_label AS rule, CAST(1 AS DOUBLE) AS score,
       [{'field': $name_label, 'value': c.name_key, 'score': CAST(1 AS DOUBLE)}, {'field': $group_label, 'value': c.grp, 'score': CAST(1 AS DOUBLE)}] AS evidence
FROM centre c JOIN dq.{p}_records r USING (grp, name_key)
WHERE r.rid <> c.centre;
