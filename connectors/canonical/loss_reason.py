"""Find a deals file's loss-reason column by its content when no title says so.

Real orgs keep the reason in a custom field whose title the profiles cannot know
(`UF_CRM_1753862633986`, `Комментарий РОП`, `Why__c`). Such a column is a text field filled
mostly on lost deals: among the columns no profile field took, the one filled on most lost deals
(≥ MIN_LOST_FILL) and rarely on the others (≤ MAX_OTHER_FILL, and a third of its lost fill at
most), with values that are words (not numbers or dates) and not all the same. One scan per file.
"""
from __future__ import annotations

from ..model import FileReport
from ..readers.delimited import qident

MIN_LOST = 5           # fewer lost deals say nothing about a column
MIN_LOST_FILL = 0.3
MAX_OTHER_FILL = 0.2
_NOT_WORDS = r"^[\s0-9.,:/+\-]*$"  # numbers, dates, times, phone numbers


def _col(rep: FileReport, name: str) -> str:
    cols = rep.mapped.get(name)
    return f"clean_text({qident(cols[0])})" if cols else "CAST(NULL AS VARCHAR)"


def infer(con, rep: FileReport) -> str | None:
    """The raw column holding loss reasons in this deals file, or None."""
    if rep.entity != "deals" or rep.mapped.get("loss_reason") or not rep.unmapped or not rep.mapped.get("stage"):
        return None
    state = f"deal_state({_col(rep, 'stage')}, {_col(rep, 'stage_group')}, {_col(rep, 'is_won')}, {_col(rep, 'is_closed')})"
    parts = []
    for i, c in enumerate(rep.unmapped):
        v = f"clean_text({qident(c)})"
        parts += [f"count(*) FILTER (WHERE lost AND {v} IS NOT NULL) AS l{i}",
                  f"count(*) FILTER (WHERE NOT lost AND {v} IS NOT NULL) AS o{i}",
                  f"count(*) FILTER (WHERE lost AND regexp_matches({v}, '{_NOT_WORDS}')) AS n{i}",
                  f"count(DISTINCT lower({v})) FILTER (WHERE lost) AS d{i}"]
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE lost), count(*) FILTER (WHERE NOT lost), {', '.join(parts)}
            FROM (SELECT {state} = 'lost' AS lost, * FROM {rep.raw_table})""").fetchone()
    lost, other = row[0], row[1]
    if lost < MIN_LOST:
        return None
    best, best_gap = None, 0.0
    for i, c in enumerate(rep.unmapped):
        filled, other_filled, numeric, distinct = row[2 + 4 * i: 6 + 4 * i]
        lost_fill = filled / lost
        other_fill = other_filled / other if other else 0.0
        if (lost_fill >= MIN_LOST_FILL and other_fill <= MAX_OTHER_FILL and other_fill <= lost_fill / 3
                and numeric <= 0.2 * filled and distinct >= 2 and lost_fill - other_fill > best_gap):
            best, best_gap = c, lost_fill - other_fill
            rep.warnings = [w for w in rep.warnings if not w.startswith("loss reason read from")]
            rep.warnings.append(f"loss reason read from column `{c}`, found by its content (filled on "
                                f"{lost_fill:.0%} of {lost} lost deals, {other_fill:.0%} of the others)")
    return best


def apply(con, reports: list[FileReport]) -> None:
    """Map the inferred column (FileReport.mapped / found_by, hence meta.columns) before typing."""
    for rep in reports:
        if rep.raw_table and rep.entity == "deals":
            col = infer(con, rep)
            if col is not None:
                rep.mapped["loss_reason"] = [col]
                rep.unmapped = [c for c in rep.unmapped if c != col]
                rep.found_by["loss_reason"] = "content"
