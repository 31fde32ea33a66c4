"""Phone numbers to E.164 with Google's libphonenumber (the `phonenumbers` port).

Most cells in Russian and Kazakh exports hold one +7 number in some spelling
(`8 (916) 123-45-67`, `+7 916 1234567`, `79161234567`); those are normalised inside DuckDB,
vectorised, and validated against libphonenumber's own +7 number patterns. Only the rest
(several numbers in one cell, extensions, other countries, garbage) goes through the
Python library, once per distinct cell text.
"""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
import pyarrow as pa

_TYPES = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
          "voip", "pager", "uan", "voicemail")
_SPLIT = re.compile(r"[,;/\n]+")
INTERNAL_MAX_DIGITS = 6  # PBX extensions (`101`, `211474`) are not subscriber numbers


def plus7_pattern() -> str:
    """The national-number patterns libphonenumber accepts for +7 (RU and KZ), as one regex."""
    parts = []
    for region in ("RU", "KZ"):
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        for t in _TYPES:
            desc = getattr(meta, t, None)
            if desc is not None and desc.national_number_pattern:
                parts.append(f"(?:{desc.national_number_pattern})")
    return "|".join(parts)


@lru_cache(maxsize=200_000)
def parse_cell(cell: str, region: str = "RU") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(valid E.164 numbers, tokens that are not valid numbers) of one cell."""
    valid: list[str] = []
    invalid: list[str] = []
    for token in _SPLIT.split(cell):
        token = token.strip()
        if not token or not re.search(r"\d", token):
            if token:
                invalid.append(token)
            continue
        digits = re.sub(r"\D", "", token)
        written = token  # invalid tokens are reported as the user wrote them, not as rewritten below
        if digits.startswith("810") and len(digits) > 11:  # old Russian international prefix
            token = "+" + digits[3:]
        try:
            num = phonenumbers.parse(token, region)
        except phonenumbers.NumberParseException:
            invalid.append(written)
            continue
        if phonenumbers.is_valid_number(num):
            e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            if e164 not in valid:
                valid.append(e164)
        else:
            invalid.append(written)
    return tuple(valid), tuple(invalid)


def slow_path_table(cells: list[str], region: str | list[str]) -> pa.Table:
    """`region`: one default region, or one per cell (files of different countries)."""
    regions = [region] * len(cells) if isinstance(region, str) else region
    valid, invalid = [], []
    for cell, reg in zip(cells, regions):
        v, i = parse_cell(cell, reg)
        valid.append(list(v))
        invalid.append(list(i))
    return pa.table({
        "raw": pa.array(cells, pa.string()),
        "region": pa.array(regions, pa.string()),
        "e164": pa.array(valid, pa.list_(pa.string())),
        "invalid": pa.array(invalid, pa.list_(pa.string())),
    })


def build_phone_map(con, source_sql: str, region: str = "RU", per_row: bool = False) -> None:
    """Create `stg.phone_map(raw, region, e164[], invalid[])` for every distinct cell of `source_sql`
    (`per_row`: the source gives each cell's default region in a `region` column, else `region`).

    A cell is split into numbers as parse_cell splits it. The fast path applies when the default
    region is in the +7 zone and every number of the cell is one +7 number with 10 national
    digits (`8 916 123-45-67, 8 903 765-43-21` included); every other cell takes the library path.
    """
    reg = "region" if per_row else f"'{region}'"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _phone_cells AS SELECT DISTINCT raw, {reg} AS region FROM ({source_sql})
                    WHERE raw IS NOT NULL AND trim(raw) <> ''""")
    pattern = plus7_pattern().replace("'", "''")
    fast = "region IN ('RU', 'KZ')"
    digits = "regexp_replace(tok, '[^0-9]', '', 'g')"
    eligible = (f"""{fast} AND regexp_full_match(tok, '[+]?[0-9 ()\\-.]+')
                   AND (regexp_full_match({digits}, '[78][0-9]{{10}}') AND NOT (starts_with({digits}, '8') AND starts_with(tok, '+'))
                        OR regexp_full_match({digits}, '9[0-9]{{9}}') AND NOT starts_with(tok, '+'))""")
    nat = f"CASE WHEN length({digits}) = 11 THEN substr({digits}, 2) ELSE {digits} END"
    # cells of one number (nearly all): checked as they are
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _phone_fast AS
        SELECT raw, region, CASE WHEN regexp_full_match(nat, '{pattern}') THEN ['+7' || nat] ELSE [] END AS e164,
               CASE WHEN regexp_full_match(nat, '{pattern}') THEN [] ELSE [tok] END AS invalid
        FROM (SELECT raw, region, tok, {nat} AS nat
              FROM (SELECT raw, region, trim(raw) AS tok FROM _phone_cells WHERE NOT regexp_matches(raw, '[,;/\n]'))
              WHERE {eligible})"""
    )
    # cells of several numbers: split, every number checked, listed in order (a repeated number once)
    con.execute(
        f"""INSERT INTO _phone_fast
        WITH toks AS (
            SELECT raw, region, pos, tok, {eligible} AS eligible, {nat} AS nat
            FROM (SELECT raw, region, pos, trim(t[pos]) AS tok
                  FROM (SELECT raw, region, string_split_regex(raw, '[,;/\n]+') AS t FROM _phone_cells
                        WHERE regexp_matches(raw, '[,;/\n]')),
                       range(1, len(t) + 1) r(pos))
            WHERE tok <> ''
        ), cells AS (SELECT raw, region FROM toks GROUP BY raw, region HAVING bool_and(eligible)
        ), checked AS (
            SELECT t.raw, t.region, t.pos, t.tok, CASE WHEN regexp_full_match(t.nat, '{pattern}') THEN '+7' || t.nat END AS e164
            FROM toks t SEMI JOIN cells c ON c.raw = t.raw AND c.region = t.region
        ), firsts AS (
            SELECT *, e164 IS NOT NULL AND row_number() OVER (PARTITION BY raw, region, e164 ORDER BY pos) = 1 AS first_valid
            FROM checked
        )
        SELECT raw, region, coalesce(list(e164 ORDER BY pos) FILTER (WHERE first_valid), []),
               coalesce(list(tok ORDER BY pos) FILTER (WHERE e164 IS NULL), [])
        FROM firsts GROUP BY raw, region"""
    )
    rest = con.execute("SELECT raw, region FROM _phone_cells ANTI JOIN _phone_fast USING (raw, region)").fetchall()
    con.register("_phone_slow", slow_path_table([r[0] for r in rest], [r[1] for r in rest]))
    con.execute(
        """CREATE OR REPLACE TABLE stg.phone_map AS
           SELECT raw, region, e164, invalid FROM _phone_fast
           UNION ALL SELECT raw, region, e164, invalid FROM _phone_slow"""
    )
    con.unregister("_phone_slow")
    for table in ("_phone_cells", "_phone_fast"):
        con.execute(f"DROP TABLE {table}")
