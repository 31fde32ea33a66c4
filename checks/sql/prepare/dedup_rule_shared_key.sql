-- Rule `shared_<key>`: records holding the same phone / e-mail / identifier (not a switchboard
-- or hub) are the same. Every holder is linked to the value's first holder (a star, n-1 edges:
-- the same clusters as all pairs, at linear cost).
CREATE OR REPLACE TABLE dq.{p}_rule_shared_key AS
WITH k AS (
    SELECT * FROM dq.{p}_keys ANTI JOIN dq.{p}_switchboards USING (k, v)
), centre AS (
    SELECT k, v, min(rid) AS centre FROM k GROUP BY k, v HAVING count(*) > 1
)
SELECT c.centre AS rid_l, k.rid AS rid_r, 'shared_' || c.k AS rule, CAST(1 AS DOUBLE) AS score,
       [{'field': c.k, 'value': c.v, 'score': CAST(1 AS DOUBLE)}] AS evidence
FROM centre c JOIN k USING (k, v)
WHERE k.rid <> c.centre;
