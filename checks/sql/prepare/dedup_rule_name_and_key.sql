-- Rule `same_<name>_and_<key>`: the same normalised name (any of the record's names) together with
-- a shared phone / e-mail, where the strong id (INN) is missing on at least one side. All pairs of
-- each (name, value) group, so that the strong-id condition is checked pair by pair.
CREATE OR REPLACE TABLE dq.{p}_rule_name_and_key AS
WITH n AS (
    SELECT rid, unnest(names) AS name FROM dq.{p}_records
), nk AS (
    SELECT n.rid, n.name, k.k, k.v FROM n JOIN dq.{p}_keys k USING (rid) WHERE n.name IS NOT NULL
), small AS (
    SELECT name, k, v FROM nk GROUP BY name, k, v HAVING count(*) BETWEEN 2 AND $max_block
)
SELECT a.rid AS rid_l, b.rid AS rid_r, 'same_' || $name_label || '_and_' || a.k AS rule, CAST(1 AS DOUBLE) AS score,
       [{'field': $name_label, 'value': a.name, 'score': CAST(1 AS DOUBLE)}, {'field': a.k, 'value': a.v, 'score': CAST(1 AS DOUBLE)}] AS evidence
FROM nk a SEMI JOIN small USING (name, k, v)
JOIN nk b ON a.name = b.name AND a.k = b.k AND a.v = b.v AND a.rid < b.rid
JOIN dq.{p}_records l ON l.rid = a.rid JOIN dq.{p}_records r ON r.rid = b.rid
WHERE l.strong_id IS NULL OR r.strong_id IS NULL;
