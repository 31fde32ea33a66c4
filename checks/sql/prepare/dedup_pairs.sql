-- Step `pairs`: every matched pair with the rule that matched it and why, one row per pair and rule.
-- `match_probability`, `comparisons`: the linkage's probability for the pair and the comparisons
-- that agreed, where it compared the pair (NULL otherwise: a sure rule such as an equal valid INN
-- needs no candidate block). `kept` turns false where a pair had to be dropped to keep different strong ids apart (clustering).
CREATE OR REPLACE TABLE dq.{p}_pairs AS
WITH u AS (
    SELECT least(rid_l, rid_r) AS rid_l, greatest(rid_l, rid_r) AS rid_r, rule, score, evidence FROM ({rules})
), g AS (
    SELECT rid_l, rid_r, rule, max(score) AS score, list_sort(list_distinct(flatten(list(evidence)))) AS evidence
    FROM u WHERE rid_l <> rid_r GROUP BY rid_l, rid_r, rule
)
SELECT l.ref AS ref_l, r.ref AS ref_r, g.rule,
       g.rule || ': ' || array_to_string(list_transform(g.evidence, lambda e:
           e.field || ' ' || e.value || CASE WHEN e.score < 1 THEN ' (similarity ' || CAST(round(e.score, 3) AS VARCHAR) || ')' ELSE '' END), '; ') AS detail,
       g.score, g.evidence, g.rid_l, g.rid_r, true AS kept, CAST(NULL AS VARCHAR) AS note,
       {probability}
FROM g JOIN dq.{p}_records l ON l.rid = g.rid_l JOIN dq.{p}_records r ON r.rid = g.rid_r {probability_join}
ORDER BY g.rid_l, g.rid_r, g.rule;
