"""Many files of one entity into its typed table with few statements.

One typed SELECT per file (macros expanded, a date-style query per date column) cost ~40 ms of
planning per file: a folder of 5,000 small exports spent minutes there. Files that map the same
source columns the same way (one system's exports of one entity) share one typed SELECT over
the union of their raw columns: the raw union is a plain projection, cheap to plan; the date
style is still decided per file and column (one grouped query per batch), and files whose styles
differ get their own SELECT.
"""
from __future__ import annotations

from collections.abc import Callable

from ..model import FileReport
from ..readers.delimited import qident, sql_str
from . import schema

BATCH = 200
_US_DATE = "regexp_matches(v, '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}')"


def _key(rep: FileReport) -> tuple:
    return rep.system, rep.region, tuple(sorted((k, tuple(v)) for k, v in rep.mapped.items()))


def _source(reps: list[FileReport], cols: list[str]) -> str:
    picked = ", ".join(qident(c) for c in cols)
    parts = [f"SELECT {sql_str(r.path)} AS _src_file, _line, _record{', ' if cols else ''}{picked} "
             f"FROM {r.clean_table or r.raw_table}" for r in reps]
    return "(" + " UNION ALL ".join(parts) + ")"


def _styles(con, source: str, ts_cols: list[str]) -> dict[str, dict[str, str]]:
    """file → column → 'mdy' | 'dmy', as build.date_style decides it, for every file at once."""
    out: dict[str, dict[str, str]] = {}
    for col in ts_cols:
        c = qident(col)
        rows = con.execute(
            f"""SELECT _src_file,
                      count(*) FILTER (WHERE TRY_CAST(split_part(v, '/', 1) AS INT) > 12),
                      count(*) FILTER (WHERE TRY_CAST(split_part(v, '/', 2) AS INT) > 12)
                FROM (SELECT _src_file, trim({c}) AS v FROM {source} WHERE contains({c}, '/'))
                WHERE {_US_DATE} GROUP BY _src_file""").fetchall()
        for path, day_first, month_first in rows:
            if month_first > 0 and day_first == 0:
                out.setdefault(path, {})[col] = "mdy"
    return out


def fill(con, entity: str, reps: list[FileReport], typed: Callable[..., str]) -> None:
    """CREATE the temp table `_stg_<entity>` from every file of the entity."""
    groups: dict[tuple, list[FileReport]] = {}
    for rep in reps:
        groups.setdefault(_key(rep), []).append(rep)
    ts_fields = [n for n, kind in schema.fields(entity).items() if kind == "ts"]
    created = False
    for group in groups.values():
        mapped = group[0].mapped
        cols = list(dict.fromkeys(c for v in mapped.values() for c in v))
        ts_cols = list(dict.fromkeys(mapped[f][0] for f in ts_fields if mapped.get(f)))
        for start in range(0, len(group), BATCH):
            batch = group[start:start + BATCH]
            styles = _styles(con, _source(batch, cols), ts_cols) if ts_cols else {}
            by_style: dict[tuple, list[FileReport]] = {}
            for rep in batch:
                s = styles.get(rep.path, {})
                by_style.setdefault(tuple(s.get(c, "dmy") for c in ts_cols), []).append(rep)
            for style, part in by_style.items():
                sql = typed(con, part[0], entity, source=_source(part, cols), file_expr="_src_file",
                            styles=dict(zip(ts_cols, style)))
                con.execute(f"INSERT INTO _stg_{entity} BY NAME {sql}" if created
                            else f"CREATE OR REPLACE TEMP TABLE _stg_{entity} AS {sql}")
                created = True
