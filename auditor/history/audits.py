"""Reading earlier audits back: an audit output folder (audit.json + audit.duckdb) or its audit.json."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from connectors.model import InputError


@dataclass(frozen=True)
class PastAudit:
    source: str            # the path given
    doc: dict              # its audit.json
    db: Path | None        # its audit.duckdb, when it sits beside the audit.json

    @property
    def as_of(self) -> str:
        return self.doc["as_of"]

    @property
    def level(self) -> int | None:
        return self.doc.get("maturity", {}).get("level")

    @property
    def domains(self) -> dict[str, int | None]:
        return {k: d.get("level") for k, d in (self.doc.get("maturity", {}).get("domains") or {}).items()}

    def value(self, mid: str):
        m = self.doc["metrics"].get(mid)
        return None if m is None else m.get("value")


def load_audit(arg: str | Path) -> PastAudit:
    """An audit folder or audit.json; a clear one-line InputError naming the fix otherwise."""
    path = Path(arg)
    if path.is_dir():
        path = path / "audit.json"
        if not path.is_file():
            raise InputError(f"{arg}: no audit.json in this folder; give an audit output folder (crm-audit run --out) "
                             "or its audit.json")
    elif not path.is_file():
        raise InputError(f"{arg}: not found; give an audit output folder (crm-audit run --out) or its audit.json")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{arg}: cannot read it as audit.json ({str(err).splitlines()[0]}); "
                         "give the audit.json that crm-audit run wrote") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("metrics"), dict) or not isinstance(doc.get("as_of"), str):
        raise InputError(f"{arg}: not a crm-audit audit.json (no as_of or metrics); give the audit.json that "
                         "crm-audit run wrote")
    db = path.parent / "audit.duckdb"
    return PastAudit(str(arg), doc, db if db.is_file() else None)
