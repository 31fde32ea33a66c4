-- measure
-- among non-blank contact phones, share that are not a valid phone number; counted per number,
-- so a cell holding two numbers counts twice (phones = valid E.164, phones_invalid = the rest)
SELECT sum(len(phones_invalid)) AS numerator, sum(len(phones) + len(phones_invalid)) AS denominator,
       sum(len(phones_invalid)) / nullif(sum(len(phones) + len(phones_invalid)), 0) AS value
FROM stg.contacts WHERE NOT is_blank(phone)
-- evidence
-- the contacts holding an invalid number
SELECT ref FROM stg.contacts WHERE NOT is_blank(phone) AND len(phones_invalid) > 0 ORDER BY _file, _record
