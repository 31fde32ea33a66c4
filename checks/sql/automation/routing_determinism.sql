-- measure
-- 1 − H(owner | source, city) ÷ H(owner) over leads (deals where there are no leads);
-- a blank source or city is a category of its own. H(owner) = 0 (one owner) cannot tell.
WITH base AS (
    SELECT owner, source, city FROM stg.leads WHERE NOT is_blank(owner)
    UNION ALL
    SELECT owner, source, city FROM stg.deals
    WHERE NOT is_blank(owner) AND NOT EXISTS (SELECT 1 FROM stg.leads)
), b AS (
    SELECT lower(trim(owner)) AS o,
           coalesce(lower(trim(CASE WHEN is_blank(source) THEN NULL ELSE source END)), '∅') AS s,
           coalesce(lower(trim(CASE WHEN is_blank(city) THEN NULL ELSE city END)), '∅') AS c
    FROM base
), n AS (SELECT count(*) AS total FROM b),
h_owner AS (
    SELECT -sum(p * ln(p)) AS h FROM (SELECT count(*) / (SELECT total FROM n) AS p FROM b GROUP BY o)
),
h_cond AS (
    -- H(O|S,C) = Σ p(s,c,o) · ln(p(s,c) / p(s,c,o))
    SELECT coalesce(sum(cnt / (SELECT total FROM n) * ln(grp / cnt)), 0) AS h
    FROM (SELECT s, c, o, count(*) AS cnt, sum(count(*)) OVER (PARTITION BY s, c) AS grp FROM b GROUP BY s, c, o)
)
SELECT (SELECT total FROM n) AS numerator, (SELECT total FROM n) AS denominator,
       CASE WHEN (SELECT h FROM h_owner) > 0 THEN 1 - (SELECT h FROM h_cond) / (SELECT h FROM h_owner) END AS value,
       CASE WHEN (SELECT total FROM n) = 0 THEN 'no leads or deals with an owner'
            WHEN coalesce((SELECT h FROM h_owner), 0) = 0 THEN 'a single owner: assignment cannot be judged' END AS reason
