-- Definitions from the contract's "Terms used below" that only checks need.

-- catch-all loss reason: "Другое", "Прочее", "Другая причина", "Other", "Misc" and the like
CREATE OR REPLACE MACRO is_catch_all(x) AS
    regexp_full_match(replace(lower(trim(x)), 'ё', 'е'),
        '(другое|прочее|прочие|другая причина|другие причины|иное|иная причина|разное|остальное|other|others|misc|miscellaneous|other reason)[\s.:!()-]*');

-- system account: a creator that is a robot, integration, web form, bot or API, not a person
CREATE OR REPLACE MACRO is_system_account(x) AS
    -- word stems may continue (`интеграция`, `Робот:`); short words must stand alone (`api`, not `Apinov`)
    regexp_matches(lower(trim(x)), '(^|[^\p{L}])(робот|robot|интеграц|integration|crm-форм|crm форм|веб-форм|веб форм|web-форм|web form|webform|web-form|форма с сайта|чат-бот|чатбот|chatbot|webhook|вебхук|автоматизац|automation|импорт|import|zapier|albato)')
    OR regexp_matches(lower(trim(x)), '(^|[^\p{L}])(bot|бот|rest api|api|1с|1c|make\.com)([^\p{L}]|$)');

-- bot: a chat bot or virtual assistant among system accounts (Q5)
CREATE OR REPLACE MACRO is_bot_account(x) AS
    regexp_matches(lower(trim(x)), '(^|[^\p{L}])(чат-бот|чатбот|chatbot|виртуальн\p{L}* ассистент|virtual assistant|ai-ассистент|ии-ассистент)')
    OR regexp_matches(lower(trim(x)), '(^|[^\p{L}])(bot|бот)([^\p{L}]|$)');

-- every record's latest event date, for the future-date sanity check (measure and evidence)
CREATE OR REPLACE MACRO event_dates() AS TABLE
    SELECT ref, _file, _record, greatest(created_at, modified_at) AS t FROM stg.companies
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at) FROM stg.contacts
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at) FROM stg.leads
    UNION ALL SELECT ref, _file, _record, greatest(created_at, modified_at, closed_at) FROM stg.deals
    UNION ALL SELECT ref, _file, _record, doc_date FROM stg.documents
    UNION ALL SELECT ref, _file, _record, pay_date FROM stg.payments
    UNION ALL SELECT ref, _file, _record, started_at FROM stg.calls;

-- closed before created, by day where the close date has no time (a Salesforce CloseDate, a Bitrix24
-- CLOSEDATE, a 1C date is a day, not midnight: created and closed on the same day is not "before")
CREATE OR REPLACE MACRO closed_before(closed, created) AS
    CASE WHEN closed = date_trunc('day', closed) THEN CAST(closed AS DATE) < CAST(created AS DATE) ELSE closed < created END;
