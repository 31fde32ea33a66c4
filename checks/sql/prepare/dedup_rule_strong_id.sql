-- Rule `same_<strong id>`: equal valid INN (or another identifier that decides alone).
CREATE OR REPLACE TABLE dq.{p}_rule_strong_id AS
WITH centre AS (
    SELECT strong_id, min(rid) AS centre FROM dq.{p}_records
    WHERE strong_id IS NOT NULL GROUP BY strong_id HAVING count(*) > 1
)
SELECT c.centre AS rid_l, r.rid AS rid_r, 'same_' || $strong_label AS rule, CAST(1 AS DOUBLE) AS score,
       [{'field': $strong_label, 'value': c.strong_id, 'score': CAST(1 AS DOUBLE)}] AS evidence
FROM centre c JOIN dq.{p}_records r USING (strong_id)
WHERE r.rid <> c.centre;
