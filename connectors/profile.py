"""A profile says how one system writes one entity: the titles it uses and how to spot it.

Profiles are plain data in one module per system family (`systems/amocrm.py`, ...), listed
explicitly in `registry.py`; detection scores every profile against a file's header.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import re

from .headers import find_by_pattern, match_fields, norm_header, strip_suffix, strip_unit
from .model import Sample

TABLE_KINDS = ("csv", "xlsx", "xls", "ods", "html")


@dataclass(frozen=True)
class Profile:
    system: str
    entity: str
    fields: Mapping[str, tuple[str, ...]]              # canonical field -> column titles, preferred first
    markers: tuple[str, ...] = ()                      # titles typical of this system + entity
    kinds: tuple[str, ...] = TABLE_KINDS
    patterns: Mapping[str, str] = field(default_factory=dict)  # canonical field -> regex on normalised titles
    required: tuple[str, ...] = ()                     # canonical fields that must be found
    reader: str = "table"                              # table | headerless | commerceml | bank
    detector: Callable[[Sample], float] | None = None  # for formats without a header row
    columns_for: Callable[[Sample], list[str] | None] | None = None  # headerless: names by field count
    bonus: Callable[[Sample], float] | None = None     # format quirks typical of the system
    generic: bool = False                              # a fallback: capped confidence
    multi: tuple[str, ...] = ("phone", "email")        # fields that gather every matching column

    def map_columns(self, columns: list[str]) -> dict[str, list[str]]:
        """canonical field → source columns (several for phone/e-mail, one otherwise)."""
        out = {k: [v] for k, v in match_fields(columns, self.fields).items()}
        taken = {c for cols in out.values() for c in cols}
        for name in self.multi:
            for option in self.fields.get(name, ()):
                for col in columns:
                    if col not in taken and norm_header(strip_suffix(col)) == norm_header(option):
                        out.setdefault(name, []).append(col)
                        taken.add(col)
        for name, pattern in self.patterns.items():
            if name not in out:
                col = find_by_pattern(columns, re.compile(pattern), taken)
                if col is not None:
                    out[name] = [col]
                    taken.add(col)
        return out

    variant: str = ""                                  # several layouts of one system + entity (cdr_csv, cdr_custom)
    # one file holding two entities told apart by a column (amoCRM «Контакты и компании»: `Тип`):
    # (column title, {cell value (lower case): profile key of the rows with it}); other rows stay this entity
    split: tuple[str, Mapping[str, str]] | None = None

    @property
    def key(self) -> str:
        return f"{self.system}.{self.entity}" + (f".{self.variant}" if self.variant else "")

    def score(self, sample: Sample) -> tuple[float, str]:
        if sample.kind not in self.kinds:
            return 0.0, ""
        if self.detector is not None:
            return self.detector(sample), "content pattern"
        header = [h for h in sample.header if h.strip()]
        if len(header) < 2:
            return 0.0, ""
        present = {norm_header(h) for h in header} | {norm_header(strip_unit(h)) for h in header}
        hits = [m for m in self.markers if norm_header(m) in present]
        mapped = self.map_columns(list(header))
        if any(r not in mapped for r in self.required):
            return 0.0, ""
        marker_frac = len(hits) / len(self.markers) if self.markers else 0.0
        coverage = min(1.0, len(mapped) / 6)
        known = len(mapped) / len(header)  # share of the file's columns this profile understands
        conf = 0.6 * marker_frac + 0.25 * coverage + 0.15 * min(1.0, known * 2)
        if self.bonus is not None and conf > 0.3:
            conf += self.bonus(sample)
        if self.generic:
            conf = min(conf, 0.75)
        why = f"{len(hits)}/{len(self.markers)} typical titles, {len(mapped)} fields mapped"
        return round(min(conf, 1.0), 3), why
