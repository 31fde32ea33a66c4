"""User mapping files: say what the columns of an export the tool does not know mean.

A mapping file is YAML (`crm-audit inspect --mapping my.yaml FILES...`, repeatable); see
docs/mapping.md. One file holds one mapping, or a list of them:

    system: mycrm                # a name for the source system (letters, digits, `_ . -`)
    entity: deals                # a canonical entity: companies, contacts, leads, deals, calls, ...
    match:                       # column titles that must ALL be in a file's header to use this mapping
      - Номер сделки
      - Этап
    delimiter: ";"               # optional (CSV): the field separator; `tab` or "\\t" for TSV
    encoding: cp1251             # optional (CSV): the text encoding, any Python codec name
    fields:                      # canonical field: column title, or a list of titles
      record_id: Номер сделки
      stage: Этап
      amount: Сумма, руб.
      phone: [Телефон, Мобильный]   # phone / email: every listed column is gathered
      owner: [Менеджер, Ответственный]  # other fields: the first non-blank of the listed columns

Titles are compared the way every profile compares them: case, `ё`, punctuation and spacing
folded. A file whose header holds every `match` title is recognised with confidence 1.0 and wins
over the built-in profiles. Mistakes (unknown entity or field, missing keys, bad YAML) raise
`InputError` with one line naming the fix.
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .canonical import schema
from .headers import norm_header
from .model import InputError, Sample
from .profile import Profile

KEYS = ("system", "entity", "match", "delimiter", "encoding", "fields")
# calls may also name the client's number and the company's line (ordered into from/to by direction)
EXTRA_FIELDS = {"calls": ("client_number", "line_number")}
_SYSTEM_NAME = re.compile(r"^[\w.\-]+$")


@dataclass(frozen=True)
class MappedProfile(Profile):
    """A profile written by a user: recognised by its `match` titles, read with its dialect."""

    source: str = ""                  # the mapping file it came from
    match: tuple[str, ...] = ()
    delimiter: str | None = None
    encoding: str | None = None

    def adapt(self, sample: Sample) -> Sample:
        """The sample re-read with the mapping's delimiter / encoding (CSV only)."""
        if sample.kind not in ("csv", "text") or not (self.delimiter or self.encoding):
            return sample
        encoding = self.encoding or sample.encoding or "utf-8"
        data = sample.head if sample.size <= len(sample.head) else sample.head[: sample.head.rfind(b"\n") + 1]
        text = data.decode(encoding, errors="replace").lstrip("\ufeff")
        delimiter = self.delimiter or sample.delimiter or ","
        rows = [tuple(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"') if r][:31]
        if not rows:
            return sample
        return dataclasses.replace(sample, kind="csv", encoding=encoding, text=text, delimiter=delimiter,
                                   header=rows[0], rows=tuple(rows[1:]))


def load_mappings(paths: list[Path] | tuple[Path, ...]) -> tuple[MappedProfile, ...]:
    out: list[MappedProfile] = []
    for path in paths:
        for profile in load_mapping(Path(path)):
            clash = next((p for p in out if (p.system, p.entity) == (profile.system, profile.entity)), None)
            if clash is not None:
                raise InputError(f"{profile.source}: {clash.source} already maps {profile.system} {profile.entity}; "
                                 f"give one of them another system name")
            out.append(profile)
    return tuple(out)


def load_mapping(path: Path) -> list[MappedProfile]:
    """Every mapping in one YAML file, validated; InputError with a one-line fix otherwise."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{name}: no such mapping file; check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{name}: cannot read the mapping file ({err}); save it as UTF-8 text") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "syntax error"
        raise InputError(f"{name}: invalid YAML{where} ({problem}); fix the syntax (see docs/mapping.md)") from None
    docs = doc if isinstance(doc, list) else [doc]
    if not docs:
        raise InputError(f"{name}: the file holds no mapping; add system, entity, match and fields (see docs/mapping.md)")
    return [_profile(name if len(docs) == 1 else f"{name} (mapping {i})", d) for i, d in enumerate(docs, 1)]


def _titles(where: str, key: str, value) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    titles = tuple(str(v).strip() for v in values if v is not None and not isinstance(v, (dict, list)) and str(v).strip())
    if not titles or len(titles) != len(values):
        raise InputError(f"{where}: `{key}` must be a column title or a list of titles; write e.g. {key}: Сумма")
    return titles


def _profile(where: str, doc) -> MappedProfile:
    if not isinstance(doc, dict):
        raise InputError(f"{where}: not a mapping (expected keys system, entity, match, fields); see docs/mapping.md")
    unknown = [k for k in doc if k not in KEYS]
    if unknown:
        raise InputError(f"{where}: unknown key '{unknown[0]}'; use only {', '.join(KEYS)}")
    for key in ("system", "entity", "match", "fields"):
        if doc.get(key) in (None, "", [], {}):
            raise InputError(f"{where}: `{key}:` is missing or empty; add it (see docs/mapping.md)")
    system = str(doc["system"]).strip()
    if not _SYSTEM_NAME.match(system):
        raise InputError(f"{where}: system name '{system}' may use only letters, digits, _ . -; rename it")
    entity = str(doc["entity"]).strip()
    if entity not in schema.ENTITIES:
        raise InputError(f"{where}: unknown entity '{entity}'; use one of: {', '.join(schema.entities())}")
    known = [*schema.fields(entity), *EXTRA_FIELDS.get(entity, ())]
    fields_doc = doc["fields"]
    if not isinstance(fields_doc, dict):
        raise InputError(f"{where}: `fields` must map canonical fields to column titles, e.g. `amount: Сумма`")
    fields: dict[str, tuple[str, ...]] = {}
    for key, value in fields_doc.items():
        field = str(key).strip()
        if field not in known:
            raise InputError(f"{where}: unknown field '{field}' for {entity}; use one of: {', '.join(known)}")
        fields[field] = _titles(where, f"fields.{field}", value)
    match = _titles(where, "match", doc["match"])
    delimiter = doc.get("delimiter")
    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t", "space": " "}.get(str(delimiter).lower(), str(delimiter))
        if len(delimiter) != 1:
            raise InputError(f"{where}: delimiter '{doc['delimiter']}' must be one character (e.g. ';', ',', tab)")
    encoding = doc.get("encoding")
    if encoding is not None:
        try:
            encoding = codecs.lookup(str(encoding)).name
        except LookupError:
            raise InputError(f"{where}: unknown encoding '{doc['encoding']}'; use e.g. utf-8, cp1251, cp866") from None
    multi = tuple(dict.fromkeys(["phone", "email", *(f for f, t in fields.items() if len(t) > 1)]))
    profile = MappedProfile(system=system, entity=entity, fields=fields, markers=match, multi=multi,
                            source=where, match=match, delimiter=delimiter, encoding=encoding)
    return dataclasses.replace(profile, detector=_Detector(match, profile.adapt))


class _Detector:
    """1.0 when every `match` title is in the (re-read) header, else 0."""

    def __init__(self, match: tuple[str, ...], adapt):
        self.match, self.adapt = match, adapt

    def __call__(self, sample: Sample) -> float:
        present = {norm_header(h) for h in self.adapt(sample).header}
        return 1.0 if all(norm_header(m) in present for m in self.match) else 0.0
