-- Normalisation rules shared by every connector, as DuckDB macros so they run vectorised.
-- Definitions follow ../shared/contract/AUDIT_RESULT.md ("Terms used below").

-- blank: NULL, empty, whitespace only, or a placeholder a person typed instead of a value.
CREATE OR REPLACE MACRO is_blank(x) AS
    x IS NULL
    OR regexp_full_match(lower(trim(CAST(x AS VARCHAR))), '[\s\-—–_.]*|нет|n/?a|null|none|не указано|не указан|не заполнено|не заполнен|отсутствует|-+');

CREATE OR REPLACE MACRO clean_text(x) AS CASE WHEN is_blank(x) THEN NULL ELSE trim(x) END;

-- blank reference (a record id or a link to another record): also the "empty id" values systems
-- write instead of nothing: Salesforce `000000000000000AAA` (15 zeros, or 18 with the `AAA`
-- checksum), Bitrix24 `0` (ASSIGNED_BY_ID, COMPANY_ID... when unset), 1C's zero GUID
-- `00000000-0000-0000-0000-000000000000` and all-zero codes. Only for ids: `0` is a real amount.
CREATE OR REPLACE MACRO is_blank_ref(x) AS
    is_blank(x)
    OR regexp_full_match(lower(trim(CAST(x AS VARCHAR))), '0+|0{15}(aaa)?|0{8}-0{4}-0{4}-0{4}-0{12}');

CREATE OR REPLACE MACRO clean_ref(x) AS CASE WHEN is_blank_ref(x) THEN NULL ELSE trim(x) END;

-- A multi-field dumped from an API (Bitrix24 REST PHONE / EMAIL: a list of {"ID", "VALUE_TYPE",
-- "VALUE", "TYPE_ID"}, as JSON or as a Python repr) → its values, comma-joined; other text as is.
CREATE OR REPLACE MACRO multifield_text(x) AS CASE
    WHEN regexp_matches(x, '^\s*\[\s*\{') THEN
        nullif(array_to_string(regexp_extract_all(x, '[''"]VALUE[''"]\s*:\s*[''"]([^''"]*)[''"]', 1), ', '), '')
    ELSE x END;

-- Latin letters that look like Cyrillic ones (after lower-casing), mapped to Cyrillic:
-- `OOO «Pомашка»` typed with a Latin P must equal the Cyrillic spelling.
CREATE OR REPLACE MACRO fold_lookalikes(x) AS translate(x, 'aceopxykmthb', 'асеорхукмтнв');

-- Stage names compared after folding case, ё and look-alike letters (Bitrix24's `Cчёт` has a Latin C).
CREATE OR REPLACE MACRO stage_key(x) AS
    fold_lookalikes(regexp_replace(replace(lower(trim(x)), 'ё', 'е'), '\s+', ' ', 'g'));

-- Company names: legal forms, quotes, case, ё and look-alike letters removed.
-- Regex passes, not list lambdas: this runs over every company cell and lambdas cost 2-3x.
-- Words are padded with spaces so a legal form is removed only as a whole word; two passes
-- remove adjacent forms (`ООО ТОО`). Latin forms are matched before look-alike folding,
-- Cyrillic ones after (so `OOO` typed in Latin letters is a legal form too).
CREATE OR REPLACE MACRO _company_words(x) AS
    ' ' || regexp_replace(
        regexp_replace(replace(lower(coalesce(x, '')), 'ё', 'е'),
            '(общество с ограниченной ответственностью|товарищество с ограниченной ответственностью|(публичное |закрытое |открытое |непубличное )?акционерное общество|индивидуальный предприниматель|limited liability company)',
            ' ', 'g'),
        '[^\p{L}\p{N}]+', '  ', 'g') || ' ';
CREATE OR REPLACE MACRO _drop_forms(x, forms) AS regexp_replace(regexp_replace(x, forms, ' ', 'g'), forms, ' ', 'g');
CREATE OR REPLACE MACRO company_norm(x) AS nullif(trim(regexp_replace(
    _drop_forms(fold_lookalikes(_drop_forms(_company_words(x), ' (llc|ltd|inc|corp|corporation|gmbh|jsc|ojsc|cjsc|co|plc|company|limited) ')),
                ' (ооо|оао|зао|пао|ао|нао|ип|тоо|ано|нко|чп|пк|гуп|муп|фгуп) '),
    '\s+', ' ', 'g')), '');

-- Person names: case, ё and punctuation folded, words sorted so "Иванов Иван" = "Иван Иванов".
CREATE OR REPLACE MACRO person_norm(x) AS nullif(array_to_string(list_sort(
    list_filter(string_split_regex(replace(lower(coalesce(x, '')), 'ё', 'е'), '[^\p{L}\p{N}]+'), lambda t: t <> '')), ' '), '');

-- E-mails: trimmed and lower-cased. A cell may hold several, split on , ; and spaces, but only
-- when every piece has an `@`: `ivanov @mail.ru` or `a@yandex,ru` is one broken address, not two.
CREATE OR REPLACE MACRO _email_parts(x) AS
    list_filter(string_split_regex(lower(trim(x)), '[,;\s]+'), lambda t: t <> '');
CREATE OR REPLACE MACRO emails_norm(x) AS CASE
    WHEN is_blank(x) THEN []
    WHEN list_bool_and(list_transform(_email_parts(x), lambda t: contains(t, '@'))) THEN _email_parts(x)
    ELSE [lower(trim(x))] END;
CREATE OR REPLACE MACRO email_valid(e) AS
    regexp_full_match(e, '[a-z0-9!#$%&''*+/=?^_`{|}~.\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}')
    AND NOT contains(e, '..') AND NOT starts_with(e, '.');

-- INN: digits only; valid = Russian checksum (10 or 12 digits) or Kazakhstan BIN/IIN checksum.
CREATE OR REPLACE MACRO inn_digits(x) AS nullif(regexp_replace(coalesce(x, ''), '[^0-9]', '', 'g'), '');
-- Inputs are padded to the weight count and non-digits read as 0: CASE branches are evaluated
-- for every row, so `inn_valid('abcdefghij')` raised a conversion error instead of being false.
CREATE OR REPLACE MACRO _wsum(s, w) AS CAST(list_dot_product(
    CAST(string_split(substr(rpad(regexp_replace(coalesce(s, ''), '[^0-9]', '0', 'g'), CAST(len(w) AS INTEGER), '0'), 1, CAST(len(w) AS INTEGER)), '') AS DOUBLE[]), CAST(w AS DOUBLE[])) AS BIGINT);
CREATE OR REPLACE MACRO _digit(s, i) AS CAST(substr(s, i, 1) AS BIGINT);
CREATE OR REPLACE MACRO _kz_check(s) AS CASE
    WHEN _wsum(s[1:11], [1,2,3,4,5,6,7,8,9,10,11]) % 11 <> 10 THEN _wsum(s[1:11], [1,2,3,4,5,6,7,8,9,10,11]) % 11
    ELSE _wsum(s[1:11], [3,4,5,6,7,8,9,10,11,1,2]) % 11 END;
CREATE OR REPLACE MACRO inn_valid(x) AS CASE
    WHEN x IS NULL OR NOT regexp_full_match(x, '[0-9]{10}|[0-9]{12}') THEN false
    WHEN length(x) = 10 THEN _wsum(x[1:9], [2,4,10,3,5,9,4,6,8]) % 11 % 10 = _digit(x, 10)
    ELSE (_wsum(x[1:10], [7,2,4,10,3,5,9,4,6,8]) % 11 % 10 = _digit(x, 11)
          AND _wsum(x[1:11], [3,7,2,4,10,3,5,9,4,6,8]) % 11 % 10 = _digit(x, 12))
         OR (_kz_check(x) <> 10 AND _kz_check(x) = _digit(x, 12))
    END;

-- Amounts: `1 234 567,89`, `150000.00`, `1,234.56`, `12 300 ₽` → DOUBLE.
-- Only digits, separators and a leading minus; currency words around the number are dropped
-- (`1 234,56 руб.` must not keep the abbreviation's dot).
CREATE OR REPLACE MACRO _amount_chars(x) AS regexp_replace(
    regexp_replace(regexp_replace(trim(x), '[\s\x{00A0}\x{202F}'']', '', 'g'), '[^0-9,.\-]', '', 'g'),
    '^[^0-9\-]+|[^0-9]+$', '', 'g');
-- With both separators, the last one is the decimal mark: `1,234.56` and `1.234,56` are the same.
-- A plain number (most cells of a big export) is cast directly: 9x cheaper than the general path.
CREATE OR REPLACE MACRO crm_amount(x) AS CASE
    WHEN regexp_full_match(x, '-?[0-9]+(\.[0-9]+)?') THEN CAST(x AS DOUBLE)
    WHEN is_blank(x) THEN NULL
    WHEN contains(_amount_chars(x), ',') AND contains(_amount_chars(x), '.') THEN
        CASE WHEN strpos(reverse(_amount_chars(x)), ',') < strpos(reverse(_amount_chars(x)), '.')
             THEN TRY_CAST(replace(replace(_amount_chars(x), '.', ''), ',', '.') AS DOUBLE)
             ELSE TRY_CAST(replace(_amount_chars(x), ',', '') AS DOUBLE) END
    ELSE TRY_CAST(replace(_amount_chars(x), ',', '.') AS DOUBLE) END;

-- Timestamps from every format in FORMATS.md; `style` 'mdy' when the file writes US dates.
-- The shape of the text picks the parser, so each value tries only the formats it can match.
-- The two commonest full spellings (ISO and Russian, 19 characters) are parsed directly, 5x cheaper;
-- the length guard keeps `22.03.22 10:00:00` (two-digit year) away from `%Y`.
CREATE OR REPLACE MACRO crm_ts(x, style) AS coalesce(
    CASE WHEN length(x) = 19 THEN try_strptime(x, ['%Y-%m-%d %H:%M:%S', '%d.%m.%Y %H:%M:%S']) END,
    _crm_ts_any(x, style));
CREATE OR REPLACE MACRO _crm_ts_any(x, style) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN regexp_matches(x, '^\s*\d{4}-\d\d-\d\d') THEN
        TRY_CAST(regexp_replace(trim(x), '(Z|[+-]\d\d:?\d\d)$', '') AS TIMESTAMP)
    -- a two-digit year gets the %y formats only: `%Y` also accepts `22` and made 22.03.22 the year 22 AD
    WHEN regexp_matches(x, '^\s*\d{1,2}\.\d{1,2}\.\d{4}') THEN
        try_strptime(trim(x), ['%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y'])
    WHEN regexp_matches(x, '^\s*\d{1,2}\.\d{1,2}\.\d{2}(\D|$)') THEN
        try_strptime(trim(x), ['%d.%m.%y %H:%M:%S', '%d.%m.%y %H:%M', '%d.%m.%y'])
    WHEN regexp_matches(x, '^\s*\d{1,2}/\d{1,2}/\d{4}') THEN CASE WHEN style = 'mdy'
        THEN try_strptime(trim(x), ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M %p', '%m/%d/%Y'])
        ELSE try_strptime(trim(x), ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y']) END
    WHEN regexp_matches(x, '^\s*\d{1,2}/\d{1,2}/\d{2}(\D|$)') THEN CASE WHEN style = 'mdy'
        THEN try_strptime(trim(x), ['%m/%d/%y %H:%M:%S', '%m/%d/%y %H:%M', '%m/%d/%y %I:%M %p', '%m/%d/%y'])
        ELSE try_strptime(trim(x), ['%d/%m/%y %H:%M:%S', '%d/%m/%y %H:%M', '%d/%m/%y']) END
    WHEN regexp_full_match(trim(x), '[0-9]{9,10}') THEN make_timestamp(CAST(trim(x) AS BIGINT) * 1000000)
    END;

-- Deal state from stage names (homoglyph-safe) and explicit flags where an export has them.
CREATE OR REPLACE MACRO deal_state(stage, hint, won_flag, closed_flag) AS CASE
    WHEN lower(trim(won_flag)) IN ('true', '1', 'yes', 'да', 'y') THEN 'won'
    WHEN lower(trim(closed_flag)) IN ('true', '1', 'yes', 'да', 'y') AND lower(trim(won_flag)) IN ('false', '0', 'no', 'нет', 'n') THEN 'lost'
    -- literals go through stage_key too: folding turns the Latin `o` of `won` into Cyrillic
    WHEN stage_key(hint) IN (stage_key('won'), stage_key('success'), stage_key('s'), stage_key('успех'), stage_key('успешна'),
                             stage_key('сделка успешна'), stage_key('выиграна'))
      OR stage_key(stage) IN (stage_key('Сделка успешна'), stage_key('Успешно реализовано'), 'won', stage_key('closed won'),
                              stage_key('closedwon'), stage_key('выиграна'), stage_key('успешна'), stage_key('успех'), stage_key('win'))
      OR regexp_full_match(upper(trim(stage)), '(C[0-9]+:)?WON') THEN 'won'
    WHEN stage_key(hint) IN (stage_key('lost'), stage_key('lose'), stage_key('failed'), stage_key('f'), stage_key('провал'),
                             stage_key('проиграна'), stage_key('сделка провалена'))
      OR stage_key(stage) IN (stage_key('Сделка провалена'), stage_key('Анализ причины провала'), stage_key('Закрыто и не реализовано'),
                              stage_key('lost'), stage_key('closed lost'), stage_key('closedlost'), stage_key('проиграна'),
                              stage_key('провалена'), stage_key('отказ'), stage_key('провал'))
      OR regexp_full_match(upper(trim(stage)), '(C[0-9]+:)?(LOSE|APOLOGY)') THEN 'lost'
    ELSE 'open' END;

-- Calendar dates (birth dates): any timestamp spelling above, or `YYYYMMDD` (Febrl, many databases).
CREATE OR REPLACE MACRO crm_date(x, style) AS CAST(coalesce(crm_ts(x, style),
    CASE WHEN regexp_full_match(trim(x), '(1[89]|20)[0-9]{6}') THEN try_strptime(trim(x), '%Y%m%d') END) AS DATE);

-- Addresses as comparable tokens: case, ё, punctuation folded; the street-type words of Russian
-- and English addresses written one way (`улица`/`ул.` → ул, `проспект`/`пр-т` → пр, `Street`/`St.`
-- → st, `Avenue`/`Ave` → ave ...); words that carry nothing (`дом`, `д.`, `г.`, `город`) dropped.
-- Order is kept (the house number belongs after its street). Padded with double spaces so each
-- pattern sees whole words, also next to each other.
CREATE OR REPLACE MACRO _addr_words(x) AS
    ' ' || regexp_replace(replace(lower(x), 'ё', 'е'), '[^\p{L}\p{N}]+', '  ', 'g') || ' ';
CREATE OR REPLACE MACRO _addr_ru(t) AS
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
        ' (улица|ул) ', ' ул ', 'g'), ' (проспект|просп|пр-т|пр|прт) ', ' пр ', 'g'), ' (переулок|пер) ', ' пер ', 'g'),
        ' (шоссе|ш) ', ' ш ', 'g'), ' (бульвар|бул|б-р|бр) ', ' бр ', 'g'), ' (набережная|наб) ', ' наб ', 'g'),
        ' (площадь|пл) ', ' пл ', 'g'), ' (корпус|корп|к) ', ' к ', 'g'), ' (строение|стр) ', ' стр ', 'g'),
        ' (квартира|кв) ', ' кв ', 'g'), ' (офис|оф) ', ' оф ', 'g'), ' (дом|д|город|г|гор) ', ' ', 'g');
CREATE OR REPLACE MACRO _addr_en(t) AS
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
        ' (street|str|st) ', ' st ', 'g'), ' (avenue|ave|av) ', ' ave ', 'g'), ' (road|rd) ', ' rd ', 'g'),
        ' (boulevard|blvd) ', ' blvd ', 'g'), ' (drive|dr) ', ' dr ', 'g'), ' (lane|ln) ', ' ln ', 'g'),
        ' (place|pl) ', ' pl ', 'g'), ' (north|n) ', ' n ', 'g'), ' (south|s) ', ' s ', 'g'),
        ' (east|e) ', ' e ', 'g'), ' (west|w) ', ' w ', 'g');
CREATE OR REPLACE MACRO address_norm(x) AS
    nullif(trim(regexp_replace(_addr_en(_addr_ru(_addr_words(x))), '\s+', ' ', 'g')), '');

-- Postcodes: letters and digits only, upper case (`SW1A 1AA` → SW1A1AA); a ZIP+4 keeps its ZIP.
CREATE OR REPLACE MACRO postcode_norm(x) AS CASE
    WHEN regexp_full_match(regexp_replace(upper(coalesce(x, '')), '[^0-9A-Z]', '', 'g'), '[0-9]{9}') AND contains(x, '-')
        THEN left(regexp_replace(x, '[^0-9]', '', 'g'), 5)
    ELSE nullif(regexp_replace(upper(coalesce(x, '')), '[^0-9A-Z\p{L}]', '', 'g'), '') END;

-- Web domains: `https://www.Example.com/contacts` → example.com (NULL without a dot).
CREATE OR REPLACE MACRO website_domain(x) AS CASE WHEN contains(coalesce(x, ''), '.') THEN nullif(
    regexp_replace(regexp_replace(lower(trim(x)), '^([a-z]+://)?(www\.)?', ''), '[/:?#].*$', ''), '') END;
-- the domain of an e-mail address (its part after `@`)
CREATE OR REPLACE MACRO email_domain(e) AS nullif(split_part(e, '@', 2), '');
