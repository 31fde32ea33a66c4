-- Rule `fuzzy_name`: person names that agree despite typos, ё/е, transliteration or initials,
-- confirmed by another agreeing attribute. Three named sub-steps: block → compare → accept.

-- block: candidate pairs share a block key; oversized blocks are skipped, never made quadratic
CREATE OR REPLACE TABLE dq.{p}_blocks AS
SELECT DISTINCT rid, b FROM (SELECT rid, unnest([{blocks}]) AS b FROM dq.{p}_records) WHERE b IS NOT NULL;

CREATE OR REPLACE TABLE dq.{p}_blocks_skipped AS
SELECT b, count(*) AS records FROM dq.{p}_blocks GROUP BY b HAVING count(*) > $max_block;

CREATE OR REPLACE TABLE dq.{p}_candidates AS
SELECT DISTINCT l.rid AS rid_l, r.rid AS rid_r
FROM dq.{p}_blocks l ANTI JOIN dq.{p}_blocks_skipped USING (b)
JOIN dq.{p}_blocks r ON l.b = r.b AND l.rid < r.rid;

-- compare: name agreement level, similarity, and which confirmations agree
CREATE OR REPLACE TABLE dq.{p}_compared AS
SELECT c.rid_l, c.rid_r,
       dd_name_level(l.s, l.g, l.p, r.s, r.g, r.p) AS level,
       dd_name_score(l.s, l.g, r.s, r.g) AS score,
       l.display || ' ~ ' || r.display AS names,
       list_filter([{confirm}], lambda x: x IS NOT NULL) AS confirms,
       (l.strong_id IS NOT NULL AND r.strong_id IS NOT NULL AND l.strong_id <> r.strong_id) AS vetoed
FROM dq.{p}_candidates c JOIN dq.{p}_records l ON l.rid = c.rid_l JOIN dq.{p}_records r ON r.rid = c.rid_r
-- pairs the exact name-in-group rule already matched need no fuzzy evidence
WHERE NOT ($skip_exact_names AND l.name_key = r.name_key AND l.grp = r.grp);

-- accept: strong name agreement + enough confirmations (or partial agreement + more of them)
CREATE OR REPLACE TABLE dq.{p}_rule_fuzzy AS
SELECT rid_l, rid_r, 'fuzzy_name' AS rule, score,
       list_concat([{'field': $name_label, 'value': names, 'score': score}], confirms) AS evidence
FROM dq.{p}_compared
WHERE NOT vetoed AND (
    (level = 'strong' AND len(confirms) >= $min_confirm)
    OR (level = 'partial' AND $partial_min_confirm >= 0 AND len(confirms) >= $partial_min_confirm));

-- an initial that fits several different people (`Иванов И.` beside `Иванов Иван` and
-- `Иванов Игорь`) is ambiguous: its fuzzy links are dropped
CREATE OR REPLACE TABLE dq.{p}_ambiguous_initials AS
WITH links AS (
    SELECT rid_l AS rid, rid_r AS other FROM dq.{p}_rule_fuzzy
    UNION SELECT rid_r, rid_l FROM dq.{p}_rule_fuzzy
), partner AS (
    SELECT links.rid, o.rid AS other, o.g
    FROM links JOIN dq.{p}_records me ON me.rid = links.rid JOIN dq.{p}_records o ON o.rid = links.other
    WHERE dd_is_initial(me.g) AND NOT dd_is_initial(o.g)
)
SELECT DISTINCT a.rid FROM partner a JOIN partner b ON a.rid = b.rid AND a.other < b.other
WHERE NOT dd_given_agrees(a.g, b.g);

DELETE FROM dq.{p}_rule_fuzzy
WHERE rid_l IN (SELECT rid FROM dq.{p}_ambiguous_initials) OR rid_r IN (SELECT rid FROM dq.{p}_ambiguous_initials);
