-- Step `keys`: every exact identifier (phone, e-mail, ...) of every record, one row each.
CREATE OR REPLACE TABLE dq.{p}_keys AS
SELECT DISTINCT rid, kv.k AS k, kv.v AS v
FROM (SELECT rid, unnest(keys) AS kv FROM dq.{p}_records)
WHERE kv.v IS NOT NULL AND kv.v <> '';

-- Step `switchboards`: shared values that are not evidence by themselves.
--   switchboard: held within one group (company) by records whose names disagree
--                (a reception number or info@ address of several people),
--   hub:         held by $hub_names or more distinct names anywhere (call centre, 8-800 line).
CREATE OR REPLACE TABLE dq.{p}_switchboards AS
WITH shared AS (
    SELECT k, v FROM dq.{p}_keys GROUP BY k, v HAVING count(*) > 1
), holders AS (
    SELECT k.k, k.v, r.rid, r.grp, r.name_key, r.s, r.g, r.p
    FROM dq.{p}_keys k SEMI JOIN shared USING (k, v) JOIN dq.{p}_records r USING (rid)
), hub AS (
    SELECT k, v, 'hub' AS reason, CAST(NULL AS VARCHAR) AS grp
    FROM holders GROUP BY k, v HAVING count(DISTINCT name_key) >= $hub_names
), named AS (
    -- one row per distinct name in a group: fewer than $hub_names per value, so pairs stay few
    SELECT DISTINCT k, v, grp, name_key, s, g, p FROM holders ANTI JOIN hub USING (k, v)
    WHERE grp IS NOT NULL AND name_key IS NOT NULL
), switchboard AS (
    SELECT a.k, a.v, 'switchboard' AS reason, a.grp
    FROM named a JOIN named b ON a.k = b.k AND a.v = b.v AND a.grp = b.grp AND a.name_key < b.name_key
    WHERE $switchboard AND dd_name_level(a.s, a.g, a.p, b.s, b.g, b.p) = 'no'
), flagged AS (
    SELECT k, v, min(reason) AS reason, list_sort(list_distinct(list(grp))) AS groups
    FROM (SELECT * FROM switchboard UNION ALL SELECT * FROM hub) GROUP BY k, v
)
SELECT f.k, f.v, f.reason, f.groups, count(*) AS holders,
       list_sort(list_distinct(list(h.name_key))) AS names, list(r.ref ORDER BY r.rid) AS refs
FROM flagged f JOIN holders h USING (k, v) JOIN dq.{p}_records r USING (rid)
GROUP BY f.k, f.v, f.reason, f.groups
ORDER BY f.k, f.v;
