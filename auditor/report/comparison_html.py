"""comparison.html: several audits side by side (self-contained page; autoescaped; it never computes)."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..history.compare import ranked
from . import history_format as H

TEMPLATES = Path(__file__).resolve().parent / "templates"
TOP = 10   # improvements and regressions listed first


def _row(m: dict, lang: str) -> dict:
    return {"id": m["id"], "label": H.label(m["id"], lang), "unit": m["unit"], "change": m["change"],
            "change_text": H.text(m["change"], lang), "direction": H.text(m["direction"], lang) if m["direction"] else "",
            "values": [H.value(v, m["unit"], lang) for v in m["values"]],
            "delta": H.delta(m["delta"], m["unit"], lang), "spark": H.sparkline(m["values"])}


def context(doc: dict, lang: str) -> dict:
    audits = doc["audits"]
    domains = list(dict.fromkeys(d for a in audits for d in a["domains"]))
    levels = [{"name": H.text("c_overall", lang), "levels": [a["level"] for a in audits]}]
    levels += [{"name": H.domain_name(d, lang), "levels": [a["domains"].get(d) for a in audits]} for d in domains]
    changed = [m for m in doc["metrics"] if m["change"] in ("better", "worse")]
    changed.sort(key=lambda m: (-m["magnitude"], m["id"]))   # biggest changes first, either way
    rest = [m for m in doc["metrics"] if m["change"] not in ("better", "worse")]
    rec = doc.get("records") or {}
    records = H.records_rows(rec.get("metrics") or {}, lang)
    return {
        "lang": lang, "T": {k: H.text(k, lang) for k in H.TEXTS}, "text": lambda k, **kw: H.text(k, lang, **kw),
        "audits": [{"date": H.date(a["as_of"], lang), "source": a["source"], "level": a["level"]} for a in audits],
        "levels": levels, "best": [_row(m, lang) for m in ranked(doc, "better", TOP)],
        "worst": [_row(m, lang) for m in ranked(doc, "worse", TOP)],
        "changed": [_row(m, lang) for m in changed], "rest": [_row(m, lang) for m in rest],
        "records": records, "records_from": H.date(rec.get("from", ""), lang), "records_to": H.date(rec.get("to", ""), lang),
        "trend": len(audits) >= 3,
    }


def render_comparison(doc: dict, lang: str = "en") -> str:
    lang = lang if lang in ("en", "ru") else "en"
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("comparison.html.j2").render(**context(doc, lang))


def write_comparison_html(doc: dict, path: Path, lang: str = "en") -> Path:
    path = Path(path)
    path.write_text(render_comparison(doc, lang), encoding="utf-8")
    return path
