"""Files that hold two entities, told apart by a column: amoCRM's contacts export («Контакты и
компании») lists contacts and companies together, `Тип` = `контакт` / `компания` (FORMATS.md §2.1).

The raw table stays whole (one file, one `raw` table, its rejects once); each entity reads a view
of its rows, so line numbers and row accounting keep pointing at the file.
"""
from __future__ import annotations

import dataclasses

from .headers import norm_header
from .profile import Profile
from .readers.delimited import RawTable, qident, sql_str


def _view(table: str, suffix: str) -> str:
    return table[:-1] + f'__{suffix}"' if table.endswith('"') else f"{table}__{suffix}"


def split(con, profile: Profile, raw: RawTable) -> list[tuple[str | None, RawTable]]:
    """[(profile key or None for the file's own entity, raw part)]; one element when nothing splits."""
    if profile.split is None:
        return [(None, raw)]
    title, values = profile.split
    col = next((c for c in raw.columns if norm_header(c) == norm_header(title)), None)
    if col is None:
        return [(None, raw)]
    key_of = {v.lower(): k for v, k in values.items()}
    cell = f"lower(trim(coalesce({qident(col)}, '')))"
    counts = dict(con.execute(f"SELECT {cell}, count(*) FROM {raw.table} GROUP BY 1").fetchall())
    keys = sorted({key_of[v] for v in counts if v in key_of})
    if not keys:
        return [(None, raw)]
    parts: list[tuple[str | None, RawTable]] = []
    rest = raw.loaded - sum(n for v, n in counts.items() if v in key_of)
    if rest:
        view = _view(raw.table, profile.entity)
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {raw.table} "
                    f"WHERE {cell} NOT IN ({', '.join(map(sql_str, key_of))})")
        parts.append((None, dataclasses.replace(raw, table=view, loaded=rest, warnings=list(raw.warnings))))
    for i, key in enumerate(keys):
        mine = [v for v, k in key_of.items() if k == key]
        view = _view(raw.table, key.split(".")[1])
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {raw.table} WHERE {cell} IN ({', '.join(map(sql_str, mine))})")
        n = sum(counts.get(v, 0) for v in mine)
        rejects = raw.rejects if not parts and i == 0 else []   # rejected lines are the file's, counted once
        parts.append((key, dataclasses.replace(raw, table=view, loaded=n, rejects=rejects, warnings=[])))
    return parts
