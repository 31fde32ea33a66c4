-- measure
-- (records − distinct clusters) ÷ records; clusters from the prepare step dedup_companies (checks/dedup/)
SELECT count(*) FILTER (WHERE NOT is_survivor) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT is_survivor) / nullif(count(*), 0) AS value
FROM dq.company_clusters
-- evidence
-- the redundant (non-surviving) records, cluster by cluster; dq.company_explain says why each cluster matches
SELECT ref FROM dq.company_clusters WHERE NOT is_survivor ORDER BY cluster_id, rid
