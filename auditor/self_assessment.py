"""The client's own answers to Q1–Q5, put beside the evidence.

YAML, one key per question; a value is a level (1–3), yes/no, or a short answer:
    Q1: 1            # number of systems a manager opens (1 = one window)
    Q2: rules        # rules | manual | "кто первый взял"
    Q3: yes          # the system creates tasks / reminders by itself
    Q4: no           # the system recommends from data
    Q5: no           # bots handle part of requests
A value may also be {level: 2, text: "..."}.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from connectors.model import InputError

from .messages import t
from .result import Answer

_YES = re.compile(r"^(yes|y|true|да|есть|auto|automatic|автомат\w*|by rules|rules|по правилам|правил\w*)$", re.I)
_NO = re.compile(r"^(no|n|false|нет|manual|manually|вручную|by hand|руками|first|кто первый взял|who took it first)$", re.I)
# the level a "yes" claims for each question (Q4 and Q5 are level-3 signs)
_YES_LEVEL = {"Q1": 2, "Q2": 2, "Q3": 2, "Q4": 3, "Q5": 3}


def load(path: Path) -> dict[str, tuple[int, str]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise InputError(f"{path}: cannot read the self-assessment ({str(err).splitlines()[0]}); fix the YAML") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected keys Q1..Q5 with answers; see `crm-audit run --help`")
    out = {}
    for key, value in data.items():
        q = str(key).upper()
        if q not in _YES_LEVEL:
            raise InputError(f"{path}: unknown question '{key}'; use Q1, Q2, Q3, Q4, Q5")
        out[q] = _claim(q, value, path)
    return out


def _claim(q: str, value, path) -> tuple[int, str]:
    if isinstance(value, dict):
        level = value.get("level")
        if level not in (1, 2, 3):
            raise InputError(f"{path}: {q} needs level 1, 2 or 3")
        return int(level), str(value.get("text", ""))
    if isinstance(value, bool):
        return (_YES_LEVEL[q] if value else 1), ("yes" if value else "no")
    if isinstance(value, int):
        if q == "Q1":  # a number of systems: one window is level 2, more is level 1
            return (2 if value <= 1 else 1), f"{value} system(s)"
        if value in (1, 2, 3):
            return value, f"level {value}"
    text = str(value).strip()
    if _YES.match(text):
        return _YES_LEVEL[q], text
    if _NO.match(text):
        return 1, text
    raise InputError(f"{path}: cannot read the answer to {q} ('{text}'); use yes/no, rules/manual or a level 1-3")


def compare(answers: dict[str, Answer], claims: dict[str, tuple[int, str]], lang: str) -> dict[str, Answer]:
    out = dict(answers)
    for q, (level, text) in claims.items():
        a = answers[q]
        contradiction = None
        if a.level_signal is not None and level != a.level_signal:
            key = "claim.contradiction.higher" if level > a.level_signal else "claim.contradiction.lower"
            contradiction = t(key, lang, claim=text, signal=a.level_signal, answer=a.answer)
        out[q] = dataclasses.replace(a, claim=level, claim_text=text, contradiction=contradiction)
    return out
