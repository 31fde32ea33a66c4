"""The sample company after a partial cleanup: a copy of sample_data/exports with a known subset of
its built-in defects repaired (and a few new ones), written the way Bitrix24 writes its CSV
(BOM, `;`, every cell quoted, a `;` after the last cell, LF), for the audits-over-time tests.

What changes is chosen from the generator's own truth (sample_data/TRUTH.json), never from an
audit's output, so the tests' expectations are computed by hand from what this module changed.
"""
from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "sample_data" / "exports"
TRUTH = json.loads((ROOT / "sample_data" / "TRUTH.json").read_text(encoding="utf-8"))
REASON = "Выбрали конкурента"      # a real loss reason of the sample company (not a catch-all)
NEW_DEAL_IDS = ("990001", "990002", "990003")


@dataclass
class Cleanup:
    filled: list[str] = field(default_factory=list)          # lost deals that got a loss reason
    removed_contacts: list[str] = field(default_factory=list)
    new_deals: list[str] = field(default_factory=list)       # new lost deals without a reason


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    # the trailing `;` reads as one more empty cell on every line
    return rows[0][:-1], [r[:-1] for r in rows[1:]]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    def line(cells):
        return "".join('"' + c.replace('"', '""') + '";' for c in cells)
    path.write_bytes(("\ufeff" + "\n".join([line(header), *map(line, rows)]) + "\n").encode("utf-8"))


def cleaned_exports(dest: Path, *, fill_reasons: int = 0, remove_duplicates: int = 0,
                    new_lost_without_reason: int = 0) -> Cleanup:
    """Copy the sample exports to `dest` and repair: fill the loss reason of the first
    `fill_reasons` lost deals without one (TRUTH order), delete the second record of the first
    `remove_duplicates` two-record duplicate contact groups, and add `new_lost_without_reason`
    new lost deals without a reason (copies of a lost deal under new ids)."""
    shutil.copytree(EXPORTS, dest)
    done = Cleanup()
    deals_path = next((dest / "bitrix24").glob("DEAL_*.csv"))
    header, rows = _read(deals_path)
    rid, reason = header.index("ID"), header.index("Причина отказа")
    todo = set(TRUTH["metrics"]["refusal.deals.lost_without_reason_share"]["ids"][:fill_reasons])
    template = None
    for r in rows:
        if r[rid] in todo:
            assert r[reason] == "", r[rid]
            r[reason] = REASON
            done.filled.append(r[rid])
            template = template or list(r)
    if new_lost_without_reason:
        template = template or next(r for r in rows if r[rid] in TRUTH["metrics"]["refusal.deals.lost_without_reason_share"]["ids"])
        for new_id in NEW_DEAL_IDS[:new_lost_without_reason]:
            row = list(template)
            row[rid], row[reason] = new_id, ""
            rows.append(row)
            done.new_deals.append(new_id)
    assert len(done.filled) == fill_reasons
    _write(deals_path, header, rows)

    contacts_path = next((dest / "bitrix24").glob("CONTACT_*.csv"))
    header, rows = _read(contacts_path)
    pairs = [g for g in TRUTH["details"]["duplicate_contact_groups"] if len(g) == 2][:remove_duplicates]
    drop = {g[1] for g in pairs}
    cid = header.index("ID")
    kept = [r for r in rows if r[cid] not in drop]
    done.removed_contacts = [r[cid] for r in rows if r[cid] in drop]
    assert len(done.removed_contacts) == remove_duplicates
    _write(contacts_path, header, kept)
    return done
