"""Shared texts and number formats of the history pages: comparison.html, the scorecard's
"since the audit of <date>" and roadmap sections, and their XLSX sheets."""
from __future__ import annotations

import datetime as dt
import math

from markupsafe import Markup

TEXTS: dict[str, dict[str, str]] = {
    "c_title": {"en": "Audits compared", "ru": "Сравнение аудитов"},
    "c_audits": {"en": "Level over time", "ru": "Уровень во времени"},
    "c_overall": {"en": "Overall", "ru": "Общий"},
    "c_source": {"en": "Audit", "ru": "Аудит"},
    "c_best": {"en": "Biggest improvements", "ru": "Главные улучшения"},
    "c_worst": {"en": "Biggest regressions", "ru": "Главные ухудшения"},
    "c_none": {"en": "None.", "ru": "Нет."},
    "c_records": {"en": "Records: fixed, remaining, new", "ru": "Записи: исправлены, остались, новые"},
    "c_records_note": {"en": "Problem records of the audit of {a} compared with those of {b}, by the source systems' "
                             "own ids (the ids are in comparison.xlsx). Fixed: flagged then, not now (corrected or deleted).",
                       "ru": "Проблемные записи аудита от {a} в сравнении с аудитом от {b}, по id исходных систем "
                             "(сами id — в comparison.xlsx). Исправлены: были отмечены тогда и не отмечены сейчас "
                             "(исправлены или удалены)."},
    "c_all": {"en": "Every metric", "ru": "Все метрики"},
    "c_unchanged": {"en": "Unchanged or not comparable ({n})", "ru": "Без изменений или несравнимые ({n})"},
    "metric": {"en": "Metric", "ru": "Метрика"},
    "delta": {"en": "Change", "ru": "Изменение"},
    "trend": {"en": "Trend", "ru": "Динамика"},
    "fixed": {"en": "fixed", "ru": "исправлены"},
    "remaining": {"en": "remaining", "ru": "остались"},
    "new": {"en": "new", "ru": "новые"},
    "work_list": {"en": "Work list", "ru": "Рабочий список"},
    "not_available": {"en": "not available", "ru": "нет данных"},
    "untracked": {"en": "without a source id, not followed: {b} then, {a} now",
                  "ru": "без id в источнике, не отслеживаются: тогда {b}, сейчас {a}"},
    "why_positional": {"en": "some of its records have no id in their source (file:line), which does not identify a "
                             "record from one export to the next",
                       "ru": "у части записей нет id в источнике (файл:строка), а позиция в файле не указывает на ту же "
                             "запись в следующей выгрузке"},
    "why_capped": {"en": "an audit keeps only the first ids of this metric (no audit.duckdb with meta.evidence beside "
                         "its audit.json)",
                   "ru": "аудит хранит только первые id этой метрики (рядом с его audit.json нет audit.duckdb с meta.evidence)"},
    "better": {"en": "better", "ru": "лучше"}, "worse": {"en": "worse", "ru": "хуже"},
    "same": {"en": "same", "ru": "без изменений"}, "n/a": {"en": "n/a", "ru": "н/д"},
    "lower": {"en": "lower is better", "ru": "чем меньше, тем лучше"},
    "higher": {"en": "higher is better", "ru": "чем больше, тем лучше"},
    "b_title": {"en": "Since the audit of {date}", "ru": "С аудита от {date}"},
    "b_level": {"en": "Overall level then {a}, now {b}", "ru": "Общий уровень тогда {a}, сейчас {b}"},
    "b_counts": {"en": "{better} metrics better, {worse} worse, {same} unchanged",
                 "ru": "метрик лучше: {better}, хуже: {worse}, без изменений: {same}"},
    "before": {"en": "Then", "ru": "Тогда"}, "after": {"en": "Now", "ru": "Сейчас"},
    "r_title": {"en": "Roadmap to the next level", "ru": "Дорожная карта к следующему уровню"},
    "r_intro": {"en": "Levels are never skipped: every domain reaches level 2 before any stage to level 3. "
                      "Each step names the metric, where it is now, the target that clears it and how many records must change.",
                "ru": "Уровни не перепрыгивают: каждое направление сначала выходит на уровень 2, и лишь затем — этапы к уровню 3. "
                      "Для каждого шага — метрика, текущее значение, цель, которая снимает препятствие, и сколько записей нужно изменить."},
    "r_stage": {"en": "Stage {n}: {domain}, level {a} → {b}", "ru": "Этап {n}: {domain}, уровень {a} → {b}"},
    "r_effect": {"en": "Effect: {domain} at level {b}; overall level after this stage: {o}",
                 "ru": "Эффект: {domain} на уровне {b}; общий уровень после этапа: {o}"},
    "r_none": {"en": "Every domain is at its top level: extend and deepen, measure the business effect.",
               "ru": "Все направления на высшем уровне: расширять и углублять, измерять бизнес-эффект."},
    "r_ok": {"en": "check ok at", "ru": "норма:"},
    "r_step": {"en": "Step", "ru": "Шаг"}, "r_now": {"en": "Now", "ru": "Сейчас"},
    "r_target": {"en": "Target", "ru": "Цель"}, "r_records": {"en": "Records to change", "ru": "Записей изменить"},
    "r_no_steps": {"en": "No measured criterion blocks this stage.", "ru": "Ни один измеренный критерий не мешает этому этапу."},
    "missing_input": {"en": "missing input", "ru": "нет данных"},
    "unknown_level": {"en": "?", "ru": "?"},
}
DOMAINS = {"sales": {"en": "Sales", "ru": "Продажи"}, "integration": {"en": "Integration", "ru": "Интеграция"},
           "service": {"en": "Service", "ru": "Сервис"}}


def text(key: str, lang: str, **kw) -> str:
    entry = TEXTS[key]
    s = entry.get(lang, entry["en"])
    return s.format(**kw) if kw else s


def domain_name(name: str, lang: str) -> str:
    return DOMAINS.get(name, {}).get(lang, name)


def label(mid: str, lang: str, description: str = "") -> str:
    """The scorecard's human label of a metric where it has one."""
    try:
        from .html_report import METRIC_LABELS
    except ImportError:
        METRIC_LABELS = {}
    if mid in METRIC_LABELS:
        return METRIC_LABELS[mid][1 if lang == "ru" else 0]
    parts = mid.split(".")
    if len(parts) == 3 and parts[0] == "completeness":   # the fill-rate profile of one field
        return ("Заполненность: " if lang == "ru" else "Fill rate: ") + f"{parts[1]}.{parts[2]}"
    return description or mid


def _num(x: float, digits: int, lang: str) -> str:
    s = f"{x:,.{digits}f}"
    return s.replace(",", "\u00a0").replace(".", ",") if lang == "ru" else s


def value(v, unit: str, lang: str) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    if unit == "share":
        return _num(v * 100, 1, lang) + ("\u00a0%" if lang == "ru" else "%")
    if unit == "count":
        return _num(round(v), 0, lang)
    if unit == "minutes":
        return _num(v, 0, lang) + ("\u00a0мин" if lang == "ru" else "\u00a0min")
    return _num(v, 2, lang)


def delta(d, unit: str, lang: str) -> str:
    if d is None:
        return "—"
    sign = "+" if d > 0 else "−" if d < 0 else "±"
    a = abs(d)
    if unit == "share":   # a change under 0.1 point keeps two decimals, so that it never reads "+0.0"
        return sign + _num(a * 100, 1 if a >= 0.001 else 2, lang) + ("\u00a0п.п." if lang == "ru" else "\u00a0pp")
    if unit == "count":
        return sign + _num(round(a), 0, lang)
    return sign + value(a, unit, lang)


def date(iso: str, lang: str) -> str:
    try:
        d = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return d.strftime("%d.%m.%Y") if lang == "ru" else d.isoformat()


def sparkline(values: list, width: int = 96, height: int = 24) -> Markup:
    """A small inline SVG line of a metric over the audits (gaps where a value is missing)."""
    pts = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(values) < 3 or len(pts) < 2:
        return Markup("")
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span = (hi - lo) or 1.0
    step = (width - 6) / (len(values) - 1)

    def xy(i, v):
        return f"{3 + i * step:.1f},{height - 3 - (v - lo) / span * (height - 6):.1f}"

    line = " ".join(xy(i, v) for i, v in pts)
    dots = "".join(f'<circle cx="{xy(i, v).split(",")[0]}" cy="{xy(i, v).split(",")[1]}" r="2"/>' for i, v in pts)
    return Markup(f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
                  f'aria-label="trend"><polyline points="{line}" fill="none" stroke="#3b6ea8" stroke-width="1.5"/>'
                  f'<g fill="#3b6ea8">{dots}</g></svg>')


def records_rows(records: dict, lang: str) -> list[dict]:
    """Rows of a fixed / remaining / new table, reasons in the page's language."""
    out = []
    for mid, r in records.items():
        code = r.get("reason_code")
        reason = text(f"why_{code}", lang) if code in ("positional", "capped") else r.get("reason", "")
        u = r.get("untracked")
        note = text("untracked", lang, b=u["before"], a=u["after"]) if u else ""
        counts = {f"{k}_t": value(r[k], "count", lang) for k in ("fixed", "remaining", "new") if k in r}
        out.append({"id": mid, "label": label(mid, lang), **r, **counts, "reason": reason, "note": note})
    return out
