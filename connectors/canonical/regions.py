"""The default phone region of each file, inferred from its data (`--region` overrides it).

A US org's `(512) 757-6000` is invalid as a Russian number and a US number without `+1` turns
into a wrong +7 one, so the region numbers are read in is decided per file: candidates come
from its country and currency columns and from the country codes of its `+`-prefixed numbers
(RU, the default, is always one); the candidate under which most of a sample of its numbers
without `+` are valid wins. RU keeps ties: it is the market most exports come from.
"""
from __future__ import annotations

import re
from collections import Counter

import phonenumbers

from ..headers import norm_header
from ..model import FileReport
from ..readers.delimited import qident

DEFAULT = "RU"
SAMPLE = 500
HEAD_RECORDS = 50_000
_COUNTRY_TITLE = re.compile(r"(^| )(country|страна|land|pais|país|pays)( |$)|country ?code|billingcountry|mailingcountry")
_CURRENCY_TITLE = re.compile(r"currency|валюта|currencyisocode")
_CURRENCIES = {"usd": "US", "rub": "RU", "rur": "RU", "руб": "RU", "российский рубль": "RU", "kzt": "KZ", "тенге": "KZ",
               "gbp": "GB", "uah": "UA", "byn": "BY", "cad": "CA", "aud": "AU", "inr": "IN", "brl": "BR", "mxn": "MX",
               "cny": "CN", "jpy": "JP", "try": "TR", "chf": "CH", "pln": "PL", "sek": "SE"}
_COUNTRIES = {"usa": "US", "united states": "US", "united states of america": "US", "us": "US", "сша": "US",
              "russia": "RU", "россия": "RU", "российская федерация": "RU", "kazakhstan": "KZ", "казахстан": "KZ",
              "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "germany": "DE",
              "deutschland": "DE", "france": "FR", "spain": "ES", "españa": "ES", "mexico": "MX", "méxico": "MX",
              "canada": "CA", "australia": "AU", "india": "IN", "brazil": "BR", "brasil": "BR", "italy": "IT",
              "ukraine": "UA", "украина": "UA", "belarus": "BY", "беларусь": "BY", "poland": "PL", "china": "CN",
              "japan": "JP", "turkey": "TR", "netherlands": "NL", "colombia": "CO", "argentina": "AR", "chile": "CL"}
_PHONE_FIELDS = ("phone", "from_number", "to_number", "client_number")


def _region_of(value: str, table: dict[str, str]) -> str | None:
    v = value.strip().lower()
    if len(v) == 2 and v.upper() in phonenumbers.SUPPORTED_REGIONS:
        return v.upper()
    return table.get(v)


def _top_values(con, table: str, column: str, limit: int = 5) -> list[str]:
    col = qident(column)
    return [r[0] for r in con.execute(
        f"SELECT trim({col}) AS v FROM {table} WHERE NOT is_blank({col}) GROUP BY v ORDER BY count(*) DESC LIMIT {limit}").fetchall()]


def _valid_share(cells: list[str], region: str) -> float:
    ok = 0
    for cell in cells:
        try:
            ok += phonenumbers.is_valid_number(phonenumbers.parse(cell, region))
        except phonenumbers.NumberParseException:
            pass
    return ok / len(cells) if cells else 0.0


def infer(con, rep: FileReport) -> tuple[str | None, str]:
    """(region, why) for one loaded file; None when it has no phone column."""
    cols = [c for f in _PHONE_FIELDS for c in rep.mapped.get(f, [])]
    if not cols or not rep.raw_table:
        return None, "no phone numbers"
    # the first records suffice (one file = one organisation) and keep a ten-million-leg call log cheap
    union = " UNION ALL ".join(f"SELECT trim({qident(c)}) AS v FROM {rep.raw_table} WHERE _record <= {HEAD_RECORDS}"
                               for c in cols)
    cells = [r[0] for r in con.execute(
        f"""SELECT v FROM (SELECT DISTINCT v FROM ({union}) WHERE regexp_matches(v, '[0-9].*[0-9].*[0-9].*[0-9].*[0-9].*[0-9].*[0-9]'))
            ORDER BY hash(v) LIMIT {SAMPLE * 2}""").fetchall()]
    plus = [c for c in cells if c.lstrip().startswith("+")]
    bare = [c for c in cells if not c.lstrip().startswith("+")][:SAMPLE]
    candidates: Counter[str] = Counter({DEFAULT: 0})
    for cell in plus:
        try:
            code = phonenumbers.region_code_for_number(phonenumbers.parse(cell, None))
        except phonenumbers.NumberParseException:
            continue
        if code and code != "ZZ":
            candidates[code] += 1
    every = [*cols, *rep.unmapped, *(c for f, cs in rep.mapped.items() for c in cs if f not in _PHONE_FIELDS)]
    hints = []
    for col in dict.fromkeys(every):
        title = norm_header(col)
        table = _COUNTRIES if _COUNTRY_TITLE.search(title) else _CURRENCIES if _CURRENCY_TITLE.search(title) else None
        if table is not None:
            for value in _top_values(con, rep.raw_table, col):
                region = _region_of(value, table)
                if region:
                    candidates[region] += 1
                    hints.append(f"{col}={value}")
    if not bare:  # every number carries its +country code: the region only matters for the data's own hints
        hinted = Counter(r for r in (_region_of(h.split("=", 1)[1], {**_COUNTRIES, **_CURRENCIES}) for h in hints) if r)
        if hinted and hinted.most_common(1)[0][0] != DEFAULT:
            return hinted.most_common(1)[0][0], f"from {', '.join(hints[:3])}"
        return DEFAULT, "default (every number has its +country code)"
    shares = {r: _valid_share(bare, r) for r in candidates}
    best = max(shares, key=lambda r: (shares[r], r == DEFAULT, candidates[r]))
    if best == DEFAULT or shares[best] <= shares[DEFAULT]:
        return DEFAULT, f"{shares[DEFAULT]:.0%} of {len(bare)} sampled numbers without +country valid as {DEFAULT}"
    why = f"{shares[best]:.0%} of {len(bare)} sampled numbers without +country valid as {best} vs {shares[DEFAULT]:.0%} as {DEFAULT}"
    return best, why + (f"; {', '.join(hints[:3])}" if hints else "")


def assign(con, reports: list[FileReport], override: str | None) -> None:
    """Set FileReport.region (and a warning naming it when it is not the default) for every loaded file."""
    for rep in reports:
        if not rep.raw_table or not any(rep.mapped.get(f) for f in _PHONE_FIELDS):
            continue
        if override:
            rep.region = override
            continue
        region, why = infer(con, rep)
        rep.region = region
        if region and region != DEFAULT:
            rep.warnings.append(f"phone numbers read as {region} numbers ({why}); --region overrides it")
