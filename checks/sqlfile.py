"""Check SQL lives in `.sql` files: a `-- measure` section (one row: numerator, denominator,
value[, reason]) and an optional `-- evidence` section (the `ref` of every counted record)."""
from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read(name: str) -> tuple[str, str | None]:
    """`refusal/lost_without_reason` → (measure SQL, evidence SQL or None)."""
    text = resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
    measure, _, evidence = text.partition("-- evidence")
    measure = measure.replace("-- measure", "", 1).strip()
    return measure, (evidence.strip() or None)


@cache
def script(name: str) -> str:
    return resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
