"""User-facing sentences, one YAML catalogue per language (auditor/locales/<lang>.yaml).

A translator adds a language by copying en.yaml and translating the values; no Python changes.
Keys are the dotted paths of the nested YAML ("q1.linked" is `q1: {linked: ...}`). Values are
str.format templates; tests/test_messages.py fails when a key or a placeholder differs between
languages. Client data patterns (loss-reason words, legal forms) stay with the code that parses them.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, flat: {"q1.linked": "...", ...}."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    text = resources.files("auditor.locales").joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    return _flatten(yaml.safe_load(text) or {})


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in catalogue(lang)


def t(key: str, lang: str, **kw) -> str:
    """The message `key` in `lang`, formatted with `kw`. A missing key is a bug (KeyError)."""
    text = catalogue(lang)[key]
    return text.format(**kw) if kw else text
