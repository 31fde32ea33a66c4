"""Inline SVG charts for the HTML scorecard: plain Python, no JavaScript, no external resources.

Every text that reaches the SVG goes through `markupsafe.escape`; the functions return `Markup`
so that the (autoescaping) template inserts them as they are. Labels are shortened to fit and
keep their full text in a <title> tooltip.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# colours shared with the page's CSS
OK, WARN, FAIL, NA = "#2e7d32", "#e08a00", "#c62828", "#9e9e9e"
BLUE, GREY, LIGHT = "#3b6ea8", "#b0b7c0", "#e6e9ee"
WON, LOST, OPEN = "#2e7d32", "#c62828", "#3b6ea8"

_CHAR_W = 6.6          # average glyph width of the 12 px label font, for fitting labels
_ROW_H = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""                 # annotation at the bar's end (already formatted)
    color: str = BLUE
    tip: str = ""                  # tooltip; the label when empty
    emphasis: bool = False         # bold label


@dataclass(frozen=True)
class Stack:
    label: str
    parts: tuple[float, ...]       # one value per series
    text: str = ""
    emphasis: bool = False


def _fit(text: str, width: float) -> str:
    n = max(3, int(width / _CHAR_W))
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(width: float, height: float, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}">'
        f'<title>{escape(label)}</title>' + "".join(body) + "</svg>"
    )


def hbars(bars: Sequence[Bar], *, title: str, width: int = 520, label_w: int = 170, max_value: float | None = None,
          text_w: int = 92) -> Markup:
    """Horizontal bars, one per row, the annotation right of the bar."""
    top = max([b.value for b in bars] + [max_value or 0, 1e-12])
    plot_w = width - label_w - text_w - 8
    height = len(bars) * _ROW_H + 4
    body = []
    for i, b in enumerate(bars):
        y = 2 + i * _ROW_H
        w = max(0.0, b.value / top * plot_w) if top else 0.0
        tip = escape(b.tip or f"{b.label}: {b.text}")
        weight = ' font-weight="600"' if b.emphasis else ""
        body.append(
            f'<g><title>{tip}</title>'
            f'<text x="{label_w - 6}" y="{y + 12.5}" text-anchor="end" class="lbl"{weight}>{escape(_fit(b.label, label_w - 8))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{plot_w}" height="{_ROW_H - 6}" fill="{LIGHT}"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{_ROW_H - 6}" fill="{b.color}"/>'
            f'<text x="{label_w + plot_w + 6}" y="{y + 12.5}" class="val">{escape(_fit(b.text, text_w / 0.92))}</text></g>'
        )
    return _svg(width, height, title, body)


def stacks(rows: Sequence[Stack], series: Sequence[tuple[str, str]], *, title: str, width: int = 640,
           label_w: int = 170, text_w: int = 120, fmt: Callable[[float], str] = lambda v: f"{v:g}",
           scale_to_row: bool = False) -> Markup:
    """Horizontal stacked bars (one per row) with a legend of `series` = [(name, colour), ...].

    With `scale_to_row` every bar fills the width (shares within the row); otherwise bars share
    one scale, the longest row being the full width."""
    top = max([sum(r.parts) for r in rows] + [1e-12])
    plot_w = width - label_w - text_w - 8
    body, legend_h = _legend(series, width)
    height = legend_h + len(rows) * (_ROW_H + 4) + 4
    for i, r in enumerate(rows):
        y = legend_h + i * (_ROW_H + 4)
        total = sum(r.parts)
        denom = total if scale_to_row else top
        weight = ' font-weight="600"' if r.emphasis else ""
        tip = "; ".join(f"{name}: {fmt(v)}" for (name, _), v in zip(series, r.parts, strict=False))
        seg = [f'<g><title>{escape(r.label)} — {escape(tip)}</title>',
               f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="lbl"{weight}>{escape(_fit(r.label, label_w - 8))}</text>',
               f'<rect x="{label_w}" y="{y + 2}" width="{plot_w}" height="{_ROW_H - 2}" fill="{LIGHT}"/>']
        x = float(label_w)
        for (name, colour), v in zip(series, r.parts, strict=False):
            if v <= 0 or denom <= 0:
                continue
            w = v / denom * plot_w
            seg.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{_ROW_H - 2}" fill="{colour}">'
                       f'<title>{escape(r.label)} — {escape(name)}: {escape(fmt(v))}</title></rect>')
            if w >= 26:
                seg.append(f'<text x="{x + w / 2:.1f}" y="{y + 14}" text-anchor="middle" class="in">{escape(fmt(v))}</text>')
            x += w
        seg.append(f'<text x="{label_w + plot_w + 6}" y="{y + 13}" class="val">{escape(_fit(r.text, text_w / 0.92))}</text></g>')
        body.extend(seg)
    return _svg(width, height, title, body)


def _legend(series: Sequence[tuple[str, str]], width: float) -> tuple[list[str], int]:
    """Legend entries left to right, wrapping onto a new line when the width is used up."""
    body, x, y = [], 0.0, 4
    for name, colour in series:
        w = 15 + len(name) * _CHAR_W + 14
        if x > 0 and x + w > width:
            x, y = 0.0, y + 16
        body.append(f'<rect x="{x:.0f}" y="{y}" width="11" height="11" fill="{colour}"/>'
                    f'<text x="{x + 15:.0f}" y="{y + 10}" class="lbl">{escape(name)}</text>')
        x += w
    return body, y + 18


def columns(items: Sequence[tuple[str, float, str]], *, title: str, x_title: str = "", width: int = 420,
            height: int = 170, color: str = BLUE) -> Markup:
    """Vertical columns: (category label, value, annotation)."""
    n = max(1, len(items))
    top = max([v for _, v, _ in items] + [1e-12])
    pad_l, pad_b, pad_t = 8, 34 if x_title else 20, 16
    plot_h = height - pad_b - pad_t
    step = (width - 2 * pad_l) / n
    col_w = min(48.0, step * 0.7)
    body = []
    for i, (label, v, text) in enumerate(items):
        h = v / top * plot_h if top else 0
        cx = pad_l + step * i + step / 2
        y = pad_t + plot_h - h
        body.append(f'<g><title>{escape(label)}: {escape(text)}</title>'
                    f'<rect x="{cx - col_w / 2:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" fill="{color}"/>'
                    f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" class="val">{escape(text)}</text>'
                    f'<text x="{cx:.1f}" y="{pad_t + plot_h + 13}" text-anchor="middle" class="lbl">{escape(_fit(label, step))}</text></g>')
    body.append(f'<line x1="{pad_l}" x2="{width - pad_l}" y1="{pad_t + plot_h + 0.5}" y2="{pad_t + plot_h + 0.5}" stroke="{GREY}"/>')
    if x_title:
        body.append(f'<text x="{width / 2:.0f}" y="{height - 4}" text-anchor="middle" class="lbl">{escape(x_title)}</text>')
    return _svg(width, height, title, body)


def status_bar(counts: dict[str, int], *, title: str, width: int = 220, height: int = 14) -> Markup:
    """One thin bar split into ok / warn / fail / n/a counts (the dimension table)."""
    colours = (("ok", OK), ("warn", WARN), ("fail", FAIL), ("n/a", NA))
    total = sum(counts.get(k, 0) for k, _ in colours)
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="{LIGHT}"/>']
    x = 0.0
    for key, colour in colours:
        v = counts.get(key, 0)
        if not v or not total:
            continue
        w = v / total * width
        body.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}"><title>{escape(key)}: {v}</title></rect>')
        x += w
    return _svg(width, height, title, body)
