"""Shorthand for declaring a check whose SQL lives in checks/sql/<dimension>/<name>.sql."""
from __future__ import annotations

from .model import Check, Reads
from .sqlfile import read


def sql_check(id: str, file: str, entity: str, description: str, needs: tuple[str, ...], *,
              unit: str = "share", needs_reason: str = "", prepare: tuple[str, ...] = (),
              contract: bool = False, evidence_total: str = "count", reads: Reads | None = None,
              direction: str | None = None) -> Check:
    measure, evidence = read(file)
    return Check(id=id, dimension=id.split(".")[0], entity=entity, description=description, needs=needs,
                 measure=measure, evidence=evidence, unit=unit, needs_reason=needs_reason, prepare=prepare,
                 contract=contract, evidence_total=evidence_total, reads=reads, direction=direction)
