"""comparison.xlsx: every metric over the audits, and the ids of the records fixed / remaining / new.

Also the scorecard's own history sheets (`write_history_sheets`: "since the audit of <date>" and
the roadmap), kept here so that the scorecard reporter only calls one function.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..privacy import neutralise_cell
from ..history.records import ID_CAP
from . import history_format as H

BOLD = Font(bold=True)
SHEETS = {
    "metrics": {"en": "Metrics over time", "ru": "Метрики во времени"},
    "records": {"en": "Records fixed-remaining-new", "ru": "Записи исправлены-остались"},
    "baseline": {"en": "Since the last audit", "ru": "С прошлого аудита"},
    "roadmap": {"en": "Roadmap", "ru": "Дорожная карта"},
}
HEAD = {
    "metric": {"en": "Metric", "ru": "Метрика"}, "label": {"en": "What", "ru": "Что"},
    "direction": {"en": "Better when", "ru": "Лучше, когда"}, "delta": {"en": "Change (last − first)", "ru": "Изменение (последний − первый)"},
    "change": {"en": "Judged", "ru": "Оценка"}, "kind": {"en": "Record is", "ru": "Запись"}, "id": {"en": "Source id", "ru": "ID в источнике"},
    "work_list": {"en": "Scorecard work list", "ru": "Рабочий список в scorecard.xlsx"},
    "before": {"en": "Then", "ru": "Тогда"}, "after": {"en": "Now", "ru": "Сейчас"}, "delta2": {"en": "Change", "ru": "Изменение"},
    "stage": {"en": "Stage", "ru": "Этап"}, "domain": {"en": "Domain", "ru": "Направление"},
    "from": {"en": "From level", "ru": "С уровня"}, "to": {"en": "To level", "ru": "На уровень"},
    "now": {"en": "Now", "ru": "Сейчас"}, "target": {"en": "Target", "ru": "Цель"},
    "records": {"en": "Records to change", "ru": "Записей изменить"}, "action": {"en": "Action", "ru": "Действие"},
    "ok_at": {"en": "Check ok beyond (thresholds.yaml)", "ru": "Норма проверки (thresholds.yaml)"},
    "overall": {"en": "Overall level after", "ru": "Общий уровень после"},
}


def _h(key: str, lang: str) -> str:
    return HEAD[key].get(lang, HEAD[key]["en"])


def _sheet(wb: Workbook, key: str, lang: str):
    return wb.create_sheet(SHEETS[key].get(lang, SHEETS[key]["en"]))


def _put(ws, values: list, bold: bool = False) -> None:
    """One row (works in the scorecard's write-only workbook too); text never read as a formula."""
    cells = []
    for v in values:
        cell = WriteOnlyCell(ws, neutralise_cell(v) if isinstance(v, str) else v)
        if bold:
            cell.font = BOLD
        cells.append(cell)
    ws.append(cells)


def _ids_sheet(ws, records: dict, lang: str, note: str) -> None:
    _put(ws, [note])
    _put(ws, [_h("metric", lang), _h("kind", lang), _h("id", lang), _h("work_list", lang)], bold=True)
    for mid, r in records.items():
        if not r.get("available"):
            _put(ws, [mid, H.text("not_available", lang), r.get("reason", ""), r.get("work_list")])
            continue
        for kind in ("fixed", "remaining", "new"):
            for rid in r["ids"][kind]:
                _put(ws, [mid, H.text(kind, lang), rid, r.get("work_list")])
            if r[kind] > len(r["ids"][kind]):
                _put(ws, [mid, H.text(kind, lang), f"… {r[kind] - len(r['ids'][kind])} more (first {ID_CAP} listed)",
                          r.get("work_list")])


def write_comparison_xlsx(doc: dict, path: Path, lang: str = "en") -> Path:
    lang = lang if lang in ("en", "ru") else "en"
    wb = Workbook(write_only=True)   # rows streamed: up to ID_CAP ids per metric and change
    ws = _sheet(wb, "metrics", lang)
    ws.column_dimensions["A"].width = 48   # before the first row: write-only sheets emit widths first
    ws.column_dimensions["B"].width = 40
    dates = [a["as_of"] for a in doc["audits"]]
    _put(ws, [_h("metric", lang), _h("label", lang), _h("direction", lang), *dates, _h("delta", lang), _h("change", lang)],
         bold=True)
    for m in doc["metrics"]:
        _put(ws, [m["id"], H.label(m["id"], lang), H.text(m["direction"], lang) if m["direction"] else "", *m["values"],
                  m["delta"], H.text(m["change"], lang)])
    rec = doc.get("records") or {}
    ws = _sheet(wb, "records", lang)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["C"].width = 24
    _ids_sheet(ws, rec.get("metrics") or {}, lang,
               H.text("c_records_note", lang, a=rec.get("from", ""), b=rec.get("to", "")))
    path = Path(path)
    wb.save(path)
    return path


def write_history_sheets(wb, result, lang: str) -> None:
    """The scorecard's "since the audit of <date>" (when --baseline was given) and roadmap sheets."""
    lang = lang if lang in ("en", "ru") else "en"
    if result.baseline is not None:
        b = result.baseline
        ws = _sheet(wb, "baseline", lang)
        _put(ws, [H.text("b_title", lang, date=b["as_of"]) + " — " +
                  H.text("b_level", lang, a=b.get("level"), b=result.maturity.level)], bold=True)
        _put(ws, [_h("metric", lang), _h("label", lang), _h("before", lang), _h("after", lang), _h("delta2", lang),
                  _h("change", lang)], bold=True)
        for m in b["metrics"]:
            _put(ws, [m["id"], H.label(m["id"], lang), m["before"], m["after"], m["delta"], H.text(m["change"], lang)])
        _put(ws, [])
        if b.get("records"):
            _ids_sheet(ws, b["records"], lang, H.text("c_records_note", lang, a=b["as_of"], b=result.as_of.isoformat()))
    ws = _sheet(wb, "roadmap", lang)
    _put(ws, [H.text("r_title", lang)], bold=True)
    _put(ws, [_h("stage", lang), _h("domain", lang), _h("from", lang), _h("to", lang), _h("metric", lang), _h("now", lang),
              _h("target", lang), _h("records", lang), _h("action", lang), _h("work_list", lang), _h("overall", lang),
              _h("ok_at", lang)],
         bold=True)
    for n, s in enumerate(result.roadmap, 1):
        for step in s.steps or (None,):
            _put(ws, [n, H.domain_name(s.domain, lang), s.from_level, s.to_level,
                      step.metric if step else None, step.now if step else None, step.target if step else None,
                      step.records if step else None, step.action if step else H.text("r_no_steps", lang),
                      step.work_list if step else None, s.overall_after, step.ok_at if step else None])
