"""The linkage models (linkage.py) for CRM contacts and companies: which blocks make candidate
pairs, which comparisons with which levels weigh them. Weights are not written here: they are
trained on each audit's own records (u from random pairs, m by EM). The threshold, 0.9, is the
match probability splink's own tutorials cluster at; it is stated, not tuned on the benchmarks.

Fields a model compares are in the records SQL (checks/sql/prepare/dedup_*_records.sql) plus, per
record, `ph` (phones, local numbers within their export), `ph7` (their last 7 digits) and `em`
(valid e-mails), switchboard and hub values removed.
"""
from __future__ import annotations

from .spec import Comparison, Linkage


def _phone() -> Comparison:
    return Comparison("phone", "len(l.ph7) = 0 OR len(r.ph7) = 0",
                      ("len(list_intersect(l.ph, r.ph)) > 0", "len(list_intersect(l.ph7, r.ph7)) > 0"),
                      ("same number", "same last 7 digits"), "array_to_string(l.ph, ', ')", "array_to_string(r.ph, ', ')",
                      unlike="CASE WHEN l.ph7[1] = r.ph7[1] THEN false WHEN len(l.ph7) = 1 AND len(r.ph7) = 1 THEN true "
                             "ELSE NOT list_has_any(l.ph7, r.ph7) END")


def _city() -> Comparison:
    return Comparison("city", "l.city_n IS NULL OR r.city_n IS NULL",
                      ("l.city_n = r.city_n", "jaro_winkler_similarity(l.city_n, r.city_n) >= 0.9"),
                      ("exact", "similar"), "l.city_n", "r.city_n")


def _address() -> Comparison:
    return Comparison("address", "l.addr IS NULL OR r.addr IS NULL",
                      ("l.addr = r.addr", "jaro_winkler_similarity(l.addr, r.addr) >= 0.9",
                       "dd_token_overlap(l.addr, r.addr) >= 0.5"),
                      ("exact", "similar", "half the words shared"), "l.addr", "r.addr")


def _postcode() -> Comparison:
    return Comparison("postcode", "l.pcode IS NULL OR r.pcode IS NULL",
                      ("l.pcode = r.pcode", "length(l.pcode) = length(r.pcode) AND damerau_levenshtein(l.pcode, r.pcode) <= 1"),
                      ("exact", "one typo"), "l.pcode", "r.pcode")


# surname and given name of the right record, swapped when the two were typed in the other order
# (a CASE so that the costly name macros run only where a swap is possible: DuckDB reuses `sw`)
# (one edit in a word of 5+ letters leaves its first two or its last two letters alone)
_SWAP = ("CASE WHEN l.g IS NULL OR r.g IS NULL OR l.s = r.s "
         "OR (left(l.s, 2) <> left(r.g, 2) AND right(l.s, 2) <> right(r.g, 2)) THEN false "
         "ELSE NOT dd_part_agrees(l.s, r.s) AND dd_word_strict(l.s, r.g) AND dd_word_strict(l.g, r.s) END")


def _unlike(a: str, b: str) -> str:
    """level 0 for a name part, cheaply: Jaro-Winkler under 0.8 (one edit in a word of 4+ letters
    scores above it) and no initial"""
    return f"jaro_winkler_similarity({a}, {b}) < 0.8 AND NOT ends_with({a}, '.') AND NOT ends_with({b}, '.')"
_SIMILAR = "jaro_winkler_similarity({a}, {b}) >= 0.88 AND NOT dd_gender_pair({a}, {b})"
# where EM starts for a name part (different, similar, typo / transliteration / initial, exact)
_NAME_M = (0.04, 0.03, 0.08, 0.85)

CONTACTS = Linkage(
    # name and date blocks are the same whichever order the two names were typed in; a name block
    # is one whole name part and the first 3 letters of the other (a typo in either still meets
    # its twin in the other block; prefixes alone made blocks of hundreds of namesakes), or the
    # whole surname and the given name's first letter (`John` / `Jonh`)
    blocks=("'n|' || s || '|' || left(g, 3)", "'n|' || g || '|' || left(s, 3)", "'i|' || s || '|' || left(g, 1)",
            "'d|' || dob || '|' || least(left(s, 1), left(g, 1))", "'d|' || dob || '|' || greatest(left(s, 1), left(g, 1))",
            "'zd|' || pcode || '|' || dob",
            "'e|' || split_part(em[1], '@', 1)", "'p|' || ph7[1]", "'z|' || pcode || '|' || left(s, 1)",
            "'c|' || grp || '|' || left(s, 1)", "'c|' || grp || '|g|' || left(g, 1)", "'a|' || addr"),
    # a name part must agree (the probability weighs how much else does)
    require="coalesce(g_surname, 0) > 0 OR coalesce(g_given_name, 0) > 0",
    training=(("'n|' || s || '|' || g", ("surname", "given_name", "middle_name")), ("'d|' || dob", ("birth_date",)),
              ("'e|' || em[1]", ("email",)), ("'p|' || ph[1]", ("phone",)), ("'z|' || pcode", ("postcode",)),
              ("'c|' || grp", ("company",))),
    pair_columns=f"{_SWAP} AS sw, CASE WHEN sw THEN r.g ELSE r.s END AS rs, CASE WHEN sw THEN r.s ELSE r.g END AS rg",
    comparisons=(
        Comparison("surname", "l.s IS NULL OR rs IS NULL",
                   ("l.s = rs", "dd_part_agrees(l.s, rs)", _SIMILAR.format(a="l.s", b="rs")),
                   ("exact", "typo or transliteration", "similar"), "l.s_text", "CASE WHEN x.sw THEN r.g_text ELSE r.s_text END",
                   identity=True, m=_NAME_M, unlike=_unlike("l.s", "rs")),
        Comparison("given_name", "l.g IS NULL OR rg IS NULL",
                   ("l.g = rg AND NOT dd_is_initial(l.g)", "dd_given_agrees(l.g, rg)", _SIMILAR.format(a="l.g", b="rg")),
                   ("exact", "initial, typo or transliteration", "similar"), "l.g_text",
                   "CASE WHEN x.sw THEN r.s_text ELSE r.g_text END", identity=True, m=_NAME_M, unlike=_unlike("l.g", "rg")),
        Comparison("middle_name", "l.p IS NULL OR r.p IS NULL", ("dd_given_agrees(l.p, r.p)",), ("agrees",),
                   "l.p_text", "r.p_text", identity=True, m=(0.05, 0.95), unlike=_unlike("l.p", "r.p")),
        Comparison("birth_date", "l.dob IS NULL OR r.dob IS NULL",
                   ("l.dob = r.dob",
                    "damerau_levenshtein(dd_ymd(l.dob), dd_ymd(r.dob)) <= 1 OR (year(l.dob) = year(r.dob) "
                    "AND month(l.dob) = day(r.dob) AND day(l.dob) = month(r.dob))",
                    "damerau_levenshtein(dd_ymd(l.dob), dd_ymd(r.dob)) <= 2"),
                   ("exact", "one typo or day and month swapped", "two typos"),
                   "CAST(l.dob AS VARCHAR)", "CAST(r.dob AS VARCHAR)"),
        Comparison("email", "len(l.em) = 0 OR len(r.em) = 0",
                   # not "the same local part at another domain": `belov@firm1.ru` / `belov@firm2.ru` is the
                   # surname again (counted by the name), often two namesakes
                   ("len(list_intersect(l.em, r.em)) > 0",
                    "least(length(l.em[1]), length(r.em[1])) >= 8 AND damerau_levenshtein(l.em[1], r.em[1]) <= 2"),
                   ("exact", "one or two typos"),
                   "array_to_string(l.em, ', ')", "array_to_string(r.em, ', ')",
                   # (list functions and Damerau-Levenshtein are costly per pair: only for similar ones)
                   unlike="CASE WHEN l.em[1] = r.em[1] OR jaro_winkler_similarity(l.em[1], r.em[1]) >= 0.85 THEN false "
                          "WHEN len(l.em) = 1 AND len(r.em) = 1 THEN true ELSE NOT list_has_any(l.em, r.em) END"),
        _phone(), _city(), _address(), _postcode(),
        Comparison("company", "l.grp IS NULL OR r.grp IS NULL",
                   ("l.grp = r.grp", "jaro_winkler_similarity(l.grp, r.grp) >= 0.9"), ("same", "similar"),
                   "l.company", "r.company", unlike="left(l.grp, 2) <> left(r.grp, 2)"),
    ),
)

COMPANIES = Linkage(
    blocks=("'n|' || left(name_key, 4)", "'w|' || dd_longest_word(name_key)", "'r|' || rare", "'p|' || ph7[1]", "'a|' || addr",
            "'z|' || pcode || '|' || left(name_key, 1)", "'dm|' || domains[1]",
            "'h|' || regexp_extract(addr, '[0-9]+') || '|' || coalesce(city_n, pcode)"),
    require="g_name > 0",
    training=(("'w|' || rare", ("name",)), ("'p|' || ph7[1]", ("phone",)), ("'z|' || pcode", ("postcode",)),
              ("'a|' || addr", ("address",))),
    veto="l.strong_id IS NOT NULL AND r.strong_id IS NOT NULL AND l.strong_id <> r.strong_id",
    comparisons=(
        Comparison("name", "l.name_key IS NULL OR r.name_key IS NULL",
                   # `rare`: the name's rarest word (linkage.py): `Кафе «Урал»` / `Кафе «Дон»` share only `кафе`
                   ("l.name_key = r.name_key",
                    "jaro_winkler_similarity(l.name_key, r.name_key) >= 0.92 AND (damerau_levenshtein(l.rare, r.rare) <= 1 "
                    "OR contains(r.name_key, l.rare) OR contains(l.name_key, r.rare))",
                    "dd_token_overlap(l.name_key, r.name_key) >= 0.5 AND (list_contains(string_split(r.name_key, ' '), l.rare) "
                    "OR list_contains(string_split(l.name_key, ' '), r.rare))"),
                   ("exact", "typo", "half the words shared, the rarest too"), "l.display", "r.display", identity=True,
                   m=(0.05, 0.15, 0.15, 0.65)),
        _address(), _postcode(), _city(), _phone(),
        Comparison("domain", "len(l.domains) = 0 OR len(r.domains) = 0", ("len(list_intersect(l.domains, r.domains)) > 0",),
                   ("same",), "array_to_string(l.domains, ', ')", "array_to_string(r.domains, ', ')"),
        Comparison("inn", "l.strong_id IS NULL OR r.strong_id IS NULL", ("l.strong_id = r.strong_id",), ("same",),
                   "l.strong_id", "r.strong_id"),
    ),
)
