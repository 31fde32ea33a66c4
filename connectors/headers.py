"""Header text normalisation and matching: how a column title becomes a canonical field.

Exports name the same field many ways (`Бюджет ` with a trailing space, `E-mail`/`Email`,
`Deal - Title`), so titles are compared after folding case, `ё`, punctuation and spacing.
"""
from __future__ import annotations

import re
from functools import lru_cache

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@lru_cache(maxsize=65536)  # every profile normalises every title of every file: a 2,000-column file made ~1M calls
def norm_header(title: str) -> str:
    """`  Бюджет ` → `бюджет`; `E-mail` → `e mail`; `Дата создания сделки` → `дата создания сделки`."""
    text = title.replace("\ufeff", "").strip().lower().replace("ё", "е")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return " ".join(text.split())


_UNIT = re.compile(r"\s*(,\s*|\()\s*(сек|с|секунд[аы]?|мин|минут[аы]?|sec|secs|seconds|s|min|mins|minutes|руб|₽|rub|usd|\$|%)\.?\)?\s*$",
                   re.I)


def strip_unit(title: str) -> str:
    """`Длительность звонка, сек` → `Длительность звонка`; `Duration (s)` → `Duration`."""
    return _UNIT.sub("", title)


@lru_cache(maxsize=65536)
def strip_suffix(name: str) -> str:
    """`Товар_1` (a repeated title made unique) → `Товар`."""
    return re.sub(r"_\d+$", "", name)


def match_fields(columns: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """canonical field → the first column whose normalised title is one of its synonyms.

    Synonyms are tried in order, so a profile lists its preferred title first; a column is
    used by one field only (the earliest field in the profile's order that wants it).
    """
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(norm_header(col), col)
    for col in columns:  # then titles with their unit dropped (`Длительность звонка, сек`), if nothing took the plain one
        by_norm.setdefault(norm_header(strip_unit(col)), col)
    taken: set[str] = set()
    out: dict[str, str] = {}
    for fieldname, options in synonyms.items():
        for option in options:
            col = by_norm.get(norm_header(option))
            if col is not None and col not in taken:
                out[fieldname] = col
                taken.add(col)
                break
    return out


def find_by_pattern(columns: list[str], pattern: re.Pattern[str], exclude: set[str] = frozenset()) -> str | None:
    """The first column whose title matches `pattern` (e.g. the loss-reason column by meaning)."""
    for col in columns:
        if col not in exclude and pattern.search(norm_header(col)):
            return col
    return None
