-- measure
-- managers whose lost deals nearly always carry the same reason (≥ 80% of at least 10 lost deals
-- with a reason) while the company as a whole uses it far less: the "first reason in the list"
-- habit. Value = number of such managers; details = every manager's reason profile.
-- A manager's top reason on a tie of counts is the alphabetically last one, and the profile lists
-- owners by name after their counts, so the result is the same on every run.
WITH l AS (
    SELECT coalesce(owner, '∅') AS owner, lower(trim(loss_reason)) AS reason
    FROM stg.deals WHERE state = 'lost' AND NOT is_blank(loss_reason)
), per AS (
    SELECT owner, reason, count(*) AS n, sum(count(*)) OVER (PARTITION BY owner) AS owner_total FROM l GROUP BY owner, reason
), overall AS (
    SELECT reason, count(*) / (SELECT count(*) FROM l) AS company_share FROM l GROUP BY reason
), top AS (
    SELECT owner, arg_max(reason, (n, reason)) AS top_reason, max(n) / any_value(owner_total) AS top_share, any_value(owner_total) AS lost_with_reason
    FROM per GROUP BY owner
), blanks AS (
    SELECT coalesce(owner, '∅') AS owner, count(*) AS lost, count(*) FILTER (WHERE is_blank(loss_reason)) AS blank
    FROM stg.deals WHERE state = 'lost' GROUP BY 1
), prof AS (
    SELECT b.owner, b.lost, b.blank, t.top_reason, t.top_share, t.lost_with_reason, o.company_share,
           coalesce(t.lost_with_reason >= 10 AND t.top_share >= 0.8 AND o.company_share <= 0.5, false) AS flagged
    FROM blanks b LEFT JOIN top t USING (owner) LEFT JOIN overall o ON o.reason = t.top_reason
)
SELECT (SELECT count(*) FROM prof WHERE flagged) AS numerator, (SELECT count(*) FROM prof) AS denominator,
       CASE WHEN (SELECT count(*) FROM prof) > 0 THEN (SELECT count(*) FROM prof WHERE flagged) END AS value,
       CASE WHEN (SELECT count(*) FROM prof) = 0 THEN 'no lost deals' END AS reason,
       (SELECT to_json(list({'owner': owner, 'lost': lost, 'blank_reason': blank, 'top_reason': top_reason,
                             'top_share': round(top_share, 4), 'company_share_of_top': round(company_share, 4), 'flagged': flagged}
                            ORDER BY flagged DESC, lost DESC, owner)) FROM prof) AS details
-- evidence
WITH l AS (
    SELECT ref, _file, _record, coalesce(owner, '∅') AS owner, lower(trim(loss_reason)) AS reason
    FROM stg.deals WHERE state = 'lost' AND NOT is_blank(loss_reason)
), per AS (SELECT owner, reason, count(*) AS n, sum(count(*)) OVER (PARTITION BY owner) AS tot FROM l GROUP BY owner, reason),
overall AS (SELECT reason, count(*) / (SELECT count(*) FROM l) AS cs FROM l GROUP BY reason),
top AS (SELECT owner, arg_max(reason, (n, reason)) AS r, max(n) / any_value(tot) AS s, any_value(tot) AS tot FROM per GROUP BY owner)
SELECT l.ref FROM l JOIN top t ON t.owner = l.owner AND t.r = l.reason JOIN overall o ON o.reason = t.r
WHERE t.tot >= 10 AND t.s >= 0.8 AND o.cs <= 0.5 ORDER BY l.owner, l._file, l._record
