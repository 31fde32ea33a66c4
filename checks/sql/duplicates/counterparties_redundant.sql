-- measure
-- (records − distinct clusters) ÷ records; clusters from the prepare step dedup_counterparties (checks/dedup/)
SELECT count(*) FILTER (WHERE NOT is_survivor) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT is_survivor) / nullif(count(*), 0) AS value
FROM dq.counterparty_clusters
-- evidence
-- the redundant (non-surviving) records, cluster by cluster; dq.counterparty_explain says why each cluster matches
SELECT ref FROM dq.counterparty_clusters WHERE NOT is_survivor ORDER BY cluster_id, rid
