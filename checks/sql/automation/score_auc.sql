-- measure
-- ROC AUC of the deals' numeric probability/score against won (1) / lost (0) over closed deals.
-- NULL when there is no such value, or when it only mirrors the stage (one value per stage).
WITH scored AS (SELECT stage, probability AS p, state FROM stg.deals WHERE probability IS NOT NULL),
per_stage AS (SELECT max(nd) AS max_nd, count(*) AS stages FROM (SELECT stage, count(DISTINCT p) AS nd FROM scored GROUP BY stage)),
closed AS (SELECT p, CASE WHEN state = 'won' THEN 1 ELSE 0 END AS y FROM scored WHERE state IN ('won', 'lost')),
ranked AS (SELECT y, rank() OVER (ORDER BY p) + (count(*) OVER (PARTITION BY p) - 1) / 2.0 AS r FROM closed),
agg AS (SELECT coalesce(sum(y), 0) AS pos, count(*) - coalesce(sum(y), 0) AS neg, sum(r) FILTER (WHERE y = 1) AS rpos FROM ranked)
SELECT pos AS numerator, pos + neg AS denominator,
       CASE WHEN (SELECT count(*) FROM scored) = 0 OR (SELECT max_nd FROM per_stage) <= 1 OR pos = 0 OR neg = 0 THEN NULL
            ELSE (rpos - pos * (pos + 1) / 2.0) / (pos * neg) END AS value,
       CASE WHEN (SELECT count(*) FROM scored) = 0 THEN 'deals carry no numeric probability or score'
            WHEN (SELECT max_nd FROM per_stage) <= 1 THEN 'the probability only mirrors the stage (one value per stage)'
            WHEN pos = 0 OR neg = 0 THEN 'needs both won and lost deals with a score' END AS reason
FROM agg
