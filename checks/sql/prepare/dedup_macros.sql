-- Duplicate detection: person-name parsing and comparison, as DuckDB macros (vectorised).
-- Names are compared part by part (surname, given name, patronymic) on a Latin "skeleton":
-- ё→е, Latin look-alikes inside Cyrillic words folded, transliterated (GOST-like), common
-- spelling variants folded (kh→h, x→ks, j→y, w→v, ph→f, -iy→-y) and doubled letters collapsed,
-- so `Фёдоров`/`Федоров`/`Fedorov`/`Федороов` share one skeleton and typos stay one edit apart.

-- name tokens: lower case, ё→е, split on anything that is not a letter (`И.И.` → и, и)
CREATE OR REPLACE MACRO dd_tokens(x) AS
    list_filter(string_split_regex(replace(lower(coalesce(x, '')), 'ё', 'е'), '[^\p{L}]+'), lambda t: t <> '');

-- a patronymic (or an initial, which stands where one is expected)
CREATE OR REPLACE MACRO dd_is_patronymic(t) AS
    length(t) = 1 OR regexp_matches(t, '(вич|вна|ична|инична|ьич|оглы|кызы)$');

-- surname / given / patronymic from a full name's tokens (pass a column: `tk` is used many times): `Иванов Иван Иванович`,
-- `Иван Иванович Иванов`, `Иванов И.И.`, `И.И. Иванов`, `Иван Иванов` (two full words keep
-- their order; the comparison also tries them swapped)
CREATE OR REPLACE MACRO dd_parts(tk) AS CASE
    WHEN len(tk) = 0 THEN NULL
    WHEN len(tk) = 1 THEN {'s': tk[1], 'g': NULL, 'p': NULL}
    WHEN len(tk) = 2 AND length(tk[1]) = 1 AND length(tk[2]) > 1 THEN {'s': tk[2], 'g': tk[1], 'p': NULL}
    WHEN len(tk) = 2 THEN {'s': tk[1], 'g': tk[2], 'p': NULL}
    WHEN length(tk[len(tk)]) > 1 AND dd_is_patronymic(tk[2]) AND NOT dd_is_patronymic(tk[len(tk)])
        THEN {'s': tk[len(tk)], 'g': tk[1], 'p': tk[2]}
    ELSE {'s': tk[1], 'g': tk[2], 'p': array_to_string(tk[3:], ' ')} END;

-- Latin letters typed inside a Cyrillic word (`Mаксимова`) become Cyrillic; Latin words stay
CREATE OR REPLACE MACRO dd_cyr(t) AS CASE WHEN regexp_matches(t, '[а-я]') THEN fold_lookalikes(t) ELSE t END;

CREATE OR REPLACE MACRO dd_translit(t) AS translate(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t,
        'щ', 'shch'), 'ж', 'zh'), 'х', 'kh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'), 'й', 'y'), 'ё', 'e'),
    'абвгдезиклмнопрстуфыэъь', 'abvgdeziklmnoprstufye');

-- doubled letters collapsed (`Федоттов` → fedotov); the argument is used once, so it is computed once
CREATE OR REPLACE MACRO dd_collapse(t) AS
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'aa', 'a'), 'bb', 'b'), 'cc', 'c'), 'dd', 'd'), 'ee', 'e'), 'ff', 'f'), 'gg', 'g'), 'hh', 'h'), 'ii', 'i'), 'jj', 'j'), 'kk', 'k'), 'll', 'l'), 'mm', 'm'), 'nn', 'n'), 'oo', 'o'), 'pp', 'p'), 'qq', 'q'), 'rr', 'r'), 'ss', 's'), 'tt', 't'), 'uu', 'u'), 'vv', 'v'), 'ww', 'w'), 'xx', 'x'), 'yy', 'y'), 'zz', 'z');

CREATE OR REPLACE MACRO dd_skeleton(t) AS nullif(dd_collapse(regexp_replace(
    replace(replace(replace(replace(replace(dd_translit(dd_cyr(replace(lower(t), 'ё', 'е'))),
        'kh', 'h'), 'x', 'ks'), 'j', 'y'), 'w', 'v'), 'ph', 'f'),
    '(iy|ii|yi|yy|ij)$', 'y')), '');

-- one name part agrees: equal, one edit apart (words of 4+ letters), or Jaro-Winkler ≥ 0.92
CREATE OR REPLACE MACRO dd_word_agrees(a, b) AS
    a = b
    OR (least(length(a), length(b)) >= 4 AND damerau_levenshtein(a, b) <= 1)
    OR (least(length(a), length(b)) >= 4 AND jaro_winkler_similarity(a, b) >= 0.92);

-- strictly: equal or one edit apart (used where parts are swapped, so `Петров Иван` is never
-- taken for `Иванов Петр`)
CREATE OR REPLACE MACRO dd_word_strict(a, b) AS
    a = b OR (least(length(a), length(b)) >= 5 AND damerau_levenshtein(a, b) <= 1);

-- a female/male pair of one name (`Иванов`/`Иванова`, `Александр`/`Александра`,
-- `Иванович`/`Ивановна`): similar letters, different people
CREATE OR REPLACE MACRO dd_gender_pair(a, b) AS
    a || 'a' = b OR b || 'a' = a
    OR (regexp_matches(a, '(a|ya)$') <> regexp_matches(b, '(a|ya)$')
        AND regexp_replace(a, '(a|ya|y)$', '') = regexp_replace(b, '(a|ya|y)$', ''))
    OR (regexp_matches(a, 'ch$') AND regexp_matches(b, 'na$'))
    OR (regexp_matches(b, 'ch$') AND regexp_matches(a, 'na$'));

CREATE OR REPLACE MACRO dd_part_agrees(a, b) AS dd_word_agrees(a, b) AND NOT dd_gender_pair(a, b);

-- a part's skeleton; an initial keeps a trailing dot (`Ю.` → `yu.`) so it is never taken for a word
CREATE OR REPLACE MACRO dd_part_skeleton(t) AS dd_skeleton(t) || CASE WHEN length(t) = 1 THEN '.' ELSE '' END;
CREATE OR REPLACE MACRO dd_is_initial(t) AS ends_with(t, '.');

-- given names / patronymics: an initial agrees with any word starting with its letter(s)
CREATE OR REPLACE MACRO dd_initial_agrees(a, b) AS
    (dd_is_initial(a) AND starts_with(b, rtrim(a, '.'))) OR (dd_is_initial(b) AND starts_with(a, rtrim(b, '.')));
CREATE OR REPLACE MACRO dd_given_agrees(a, b) AS dd_initial_agrees(a, b) OR dd_part_agrees(a, b);

-- how two person names compare, from their skeleton parts (s, g, p; g and p may be NULL):
--   'strong'  surname and given name agree (either order), patronymics do not conflict
--   'partial' one part agrees, the other is missing on one side, nothing conflicts
--   'no'      anything else
CREATE OR REPLACE MACRO dd_name_level(s1, g1, p1, s2, g2, p2) AS CASE
    WHEN p1 IS NOT NULL AND p2 IS NOT NULL AND NOT dd_given_agrees(p1, p2) THEN 'no'
    WHEN s1 IS NULL OR s2 IS NULL THEN
        CASE WHEN s1 IS NULL AND s2 IS NULL THEN 'no'
             WHEN g1 IS NOT NULL AND g2 IS NOT NULL AND NOT dd_is_initial(g1) AND NOT dd_is_initial(g2)
                  AND dd_part_agrees(g1, g2) THEN 'partial'
             ELSE 'no' END
    WHEN g1 IS NOT NULL AND g2 IS NOT NULL AND dd_part_agrees(s1, s2) AND dd_given_agrees(g1, g2) THEN 'strong'
    WHEN g1 IS NOT NULL AND g2 IS NOT NULL AND dd_word_strict(s1, g2) AND dd_word_strict(g1, s2) THEN 'strong'
    WHEN (g1 IS NULL OR g2 IS NULL) AND dd_part_agrees(s1, s2) THEN 'partial'
    ELSE 'no' END;

-- similarity score reported in the evidence: mean Jaro-Winkler of the parts both sides have
-- (the better of the two orders)
CREATE OR REPLACE MACRO dd_name_score(s1, g1, s2, g2) AS round(greatest(
    CASE WHEN g1 IS NULL OR g2 IS NULL THEN jaro_winkler_similarity(s1, s2)
         ELSE (jaro_winkler_similarity(s1, s2) + jaro_winkler_similarity(g1, g2)) / 2 END,
    CASE WHEN g1 IS NULL OR g2 IS NULL THEN 0
         ELSE (jaro_winkler_similarity(s1, g2) + jaro_winkler_similarity(g1, s2)) / 2 END), 3);

-- probabilistic linkage (checks/dedup/linkage.py): token overlap of two space-separated strings
-- (Jaccard: shared words ÷ distinct words), and a name's longest word (a block key that survives
-- word order and small words: `Cafe Ritz-Carlton` / `Ritz-Carlton Cafe`)
CREATE OR REPLACE MACRO dd_token_overlap(a, b) AS
    len(list_intersect(list_distinct(string_split(a, ' ')), list_distinct(string_split(b, ' '))))
    / greatest(len(list_distinct(list_concat(string_split(a, ' '), string_split(b, ' ')))), 1);
CREATE OR REPLACE MACRO dd_longest_word(a) AS
    list_reduce(string_split(a, ' '), lambda x, y: CASE WHEN length(y) > length(x) THEN y ELSE x END);
-- a date as YYYYMMDD text, for typo distances
CREATE OR REPLACE MACRO dd_ymd(d) AS strftime(d, '%Y%m%d');
