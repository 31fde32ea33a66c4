-- measure
-- among companies with a non-blank INN, share failing length or checksum (RU INN, KZ BIN/IIN)
SELECT count(*) FILTER (WHERE NOT inn_valid(inn)) AS numerator, count(*) AS denominator,
       count(*) FILTER (WHERE NOT inn_valid(inn)) / nullif(count(*), 0) AS value
FROM stg.companies WHERE NOT is_blank(inn_raw)
-- evidence
SELECT ref FROM stg.companies WHERE NOT is_blank(inn_raw) AND NOT inn_valid(inn) ORDER BY _file, _record
