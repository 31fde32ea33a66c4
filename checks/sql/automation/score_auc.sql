-- measure
-- ROC AUC of the deals' numeric probability/score against won (1) / lost (0) over closed deals.
-- Salesforce and Bitrix24 fill the probability from the stage, so it is predictive evidence only
-- when it varies within a stage and does not simply mirror the outcome. NULL with a reason when:
--   * it mirrors the outcome: ≥ 95 % of closed deals carry the top value if won, the bottom one
--     if lost (100 / 0), whatever a few open deals hold;
--   * it is set by the stage: < 10 % of scored deals differ from their stage's usual value.
WITH scored AS (SELECT coalesce(stage, '') AS stage, probability AS p, state FROM stg.deals WHERE probability IS NOT NULL),
modal AS (SELECT stage, mode(p) AS m FROM scored GROUP BY stage),
spread AS (SELECT count(*) FILTER (WHERE s.p <> m.m) / nullif(count(*), 0) AS off_mode FROM scored s JOIN modal m USING (stage)),
closed AS (SELECT p, CASE WHEN state = 'won' THEN 1 ELSE 0 END AS y FROM scored WHERE state IN ('won', 'lost')),
bounds AS (SELECT max(p) AS hi, min(p) AS lo FROM scored),
mirror AS (SELECT count(*) FILTER (WHERE (y = 1 AND p = hi) OR (y = 0 AND p = lo)) / nullif(count(*), 0) AS share
           FROM closed, bounds),
ranked AS (SELECT y, rank() OVER (ORDER BY p) + (count(*) OVER (PARTITION BY p) - 1) / 2.0 AS r FROM closed),
agg AS (SELECT coalesce(sum(y), 0) AS pos, count(*) - coalesce(sum(y), 0) AS neg, sum(r) FILTER (WHERE y = 1) AS rpos FROM ranked),
why AS (SELECT CASE
            WHEN (SELECT count(*) FROM scored) = 0 THEN 'deals carry no numeric probability or score'
            WHEN pos = 0 OR neg = 0 THEN 'needs both won and lost deals with a score'
            WHEN (SELECT share FROM mirror) >= 0.95 AND (SELECT hi > lo FROM bounds) THEN
                'the probability mirrors the stage and outcome (' || CAST(round(100 * (SELECT share FROM mirror)) AS INTEGER) ||
                ' % of closed deals: top value if won, bottom if lost); set by the stage, not a prediction'
            WHEN coalesce((SELECT off_mode FROM spread), 0) < 0.1 THEN
                'the probability mirrors the stage (only ' || round(100 * coalesce((SELECT off_mode FROM spread), 0), 1) ||
                ' % of scored deals differ from their stage''s usual value); set by the stage, not a prediction'
            END AS reason FROM agg)
SELECT pos AS numerator, pos + neg AS denominator,
       CASE WHEN (SELECT reason FROM why) IS NULL THEN (rpos - pos * (pos + 1) / 2.0) / (pos * neg) END AS value,
       (SELECT reason FROM why) AS reason
FROM agg
