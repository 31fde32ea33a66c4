"""The per-stage timings of a run (AuditResult.timings, audit.json `timings`) as a text table,
for `crm-audit run --timings` and bench/small_audit.py.

Keys are `<stage>` (load, checks, great_expectations, inference, self_test, report, total) and
`<stage>.<part>` for its parts; parts are listed under their stage, slowest first.
"""
from __future__ import annotations


def ordered(timings: dict[str, float]) -> list[tuple[str, str, float]]:
    """(stage, part or "", seconds): each stage, then its parts slowest first; `total` last."""
    stages = [k for k in timings if "." not in k and k != "total"]
    for k in timings:  # a part whose stage has no total of its own still gets listed
        head = k.split(".", 1)[0]
        if "." in k and head not in stages:
            stages.append(head)
    out: list[tuple[str, str, float]] = []
    for stage in stages:
        parts = sorted(((k.split(".", 1)[1], v) for k, v in timings.items() if k.startswith(stage + ".")),
                       key=lambda kv: -kv[1])
        total = timings.get(stage, sum(v for _, v in parts))
        out.append((stage, "", total))
        out += [(stage, part, v) for part, v in parts]
    if "total" in timings:
        out.append(("total", "", timings["total"]))
    return out


def table(timings: dict[str, float], width: int = 60) -> str:
    """A plain-text table: seconds and share of the total per stage; parts indented."""
    total = timings.get("total") or sum(v for k, v in timings.items() if "." not in k)
    lines = [f"{'stage':<{width}} {'seconds':>8} {'share':>6}"]
    for stage, part, sec in ordered(timings):
        name = f"  {part}" if part else stage
        if len(name) > width:
            name = name[: width - 1] + "…"
        share = f"{100 * sec / total:5.1f}%" if total and not part else ""
        lines.append(f"{name:<{width}} {sec:8.3f} {share:>6}")
    return "\n".join(lines)
