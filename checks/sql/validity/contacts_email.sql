-- measure
-- among non-blank contact e-mails, share that are not a valid address; counted per address
SELECT sum(len(list_filter(emails, lambda e: NOT email_valid(e)))) AS numerator, sum(len(emails)) AS denominator,
       sum(len(list_filter(emails, lambda e: NOT email_valid(e)))) / nullif(sum(len(emails)), 0) AS value
FROM stg.contacts WHERE NOT is_blank(email)
-- evidence
-- the contacts holding an invalid address
SELECT ref FROM stg.contacts WHERE NOT is_blank(email) AND len(list_filter(emails, lambda e: NOT email_valid(e))) > 0
ORDER BY _file, _record
