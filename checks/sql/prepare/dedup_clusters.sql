-- Step `explain`: per cluster, which rule matched on which field and value, with the best
-- similarity and the records carrying that evidence.
CREATE OR REPLACE TABLE dq.{p}_explain AS
WITH e AS (
    SELECT cc.c AS cluster_id, p.rule, unnest(p.evidence) AS ev, p.ref_l, p.ref_r
    FROM dq.{p}_pairs p JOIN dq.{p}_components cc ON cc.rid = p.rid_l
    WHERE p.kept
)
SELECT cluster_id, rule, ev.field AS field, ev.value AS value, max(ev.score) AS score, count(*) AS pairs,
       list_sort(list_distinct(flatten(list([ref_l, ref_r])))) AS refs
FROM e GROUP BY cluster_id, rule, ev.field, ev.value
ORDER BY cluster_id, rule, field, value;

-- Step `clusters`: every record with its cluster; the survivor is the most complete record
-- (most non-blank canonical fields), then the most recently modified, then the lowest ref.
CREATE OR REPLACE TABLE dq.{p}_clusters AS
WITH c AS (
    SELECT r.*, coalesce(cc.c, r.rid) AS cluster_id
    FROM dq.{p}_records r LEFT JOIN dq.{p}_components cc USING (rid)
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY cluster_id
                                 ORDER BY fill DESC, modified_at DESC NULLS LAST, TRY_CAST(ref AS HUGEINT) NULLS LAST, ref, rid) AS rank,
           count(*) OVER (PARTITION BY cluster_id) AS cluster_size
    FROM c
), why AS (
    SELECT cluster_id, string_agg(rule || ' ' || field || ' ' || value
                                  || CASE WHEN score < 1 THEN ' (' || CAST(round(score, 3) AS VARCHAR) || ')' ELSE '' END, '; '
                                  ORDER BY rule, field, value) AS why
    FROM dq.{p}_explain GROUP BY cluster_id
)
SELECT ranked.rid, ranked.ref, ranked._file, ranked._record, ranked.cluster_id, ranked.cluster_size,
       ranked.rank = 1 AS is_survivor,
       first_value(ranked.ref) OVER (PARTITION BY ranked.cluster_id ORDER BY ranked.rank) AS survivor_ref,
       ranked.display, ranked.fill, ranked.modified_at, why.why
FROM ranked LEFT JOIN why USING (cluster_id)
ORDER BY ranked.cluster_id, ranked.rank;
