-- Definitions from the contract's "Terms used below" that only checks need.

-- catch-all loss reason: "Другое", "Прочее", "Другая причина", "Other", "Misc" and the like
CREATE OR REPLACE MACRO is_catch_all(x) AS
    regexp_full_match(replace(lower(trim(x)), 'ё', 'е'),
        '(другое|прочее|прочие|другая причина|другие причины|иное|иная причина|разное|остальное|other|others|misc|miscellaneous|other reason)[\s.:!()-]*');

-- system account: a creator that is a robot, integration, web form, bot or API, not a person
CREATE OR REPLACE MACRO is_system_account(x) AS
    regexp_matches(lower(trim(x)), '(^|[^[:alpha:]])(робот|robot|интеграц|integration|crm-форм|crm форм|веб-форм|веб форм|web form|webform|web-form|форма с сайта|чат-бот|чатбот|chatbot|bot|бот|rest api|api|webhook|вебхук|автоматизац|automation|импорт|import|1с:|1c:|zapier|make\.com|albato)');
