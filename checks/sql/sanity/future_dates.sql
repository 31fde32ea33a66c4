-- measure
-- records of every entity with an event date after the reference date (typos such as 2062 for 2026)
SELECT count(*) FILTER (WHERE t > $as_of) AS numerator, count(*) FILTER (WHERE t IS NOT NULL) AS denominator,
       count(*) FILTER (WHERE t > $as_of) / nullif(count(*) FILTER (WHERE t IS NOT NULL), 0) AS value
FROM event_dates()
-- evidence
SELECT ref FROM event_dates() WHERE t > $as_of ORDER BY _file, _record
