"""Person names inside free text: deal titles ("Поставка — Киселёв Юрий Иванович"), comments
("перезвонить Юрию Ивановичу"), 1C full names of sole traders.

A name is a run of capitalised words in which at least one is a first name or a patronymic by
the OpenCorpora dictionary (pymorphy3: grammemes Name / Patr, any case form), extended to the
neighbouring capitalised words that are surnames, names or words the dictionary does not know
(surnames often are not in it); or a surname-like word with initials ("Киселёв Ю. И.",
"Ю.И. Киселёв"). A single first name alone is left as written (it identifies no one).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.U)
_INITIALS = re.compile(r"(?<![^\W\d_])([А-ЯЁA-Z]\.\s?(?:[А-ЯЁA-Z]\.)?)(?![^\W\d_])", re.U)
_PERSON = {"Name", "Patr", "Surn"}
# Russian surname endings in any case (Ёжиков, Ёжикову, Петровой, Савицкий, Левиной): a word the
# dictionary knows as a common noun form ("ёжиков") is still a surname next to a first name
_SURNAME_END = re.compile(r"(ов|ев|ёв|ин|ын|ск|цк)(а|у|ым|ом|е|ой|ую|ых|ы)?$|(ск|цк)(ий|ая|ого|ому|им|ой|ую)$", re.I)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=100_000)
def _kind(word: str) -> str:
    """'anchor' (first name / patronymic), 'surname', 'unknown' (not in the dictionary) or 'word'."""
    morph = _morph()
    parses = morph.parse(word)
    tags = set()
    for p in parses:
        if p.score >= 0.2 or not tags:
            tags |= set(p.tag.grammemes) & _PERSON
    if tags & {"Name", "Patr"}:
        return "anchor"
    if "Surn" in tags or _SURNAME_END.search(word):
        return "surname"
    return "word" if morph.word_is_known(word) else "unknown"


def _capitalised(word: str) -> bool:
    return len(word) >= 2 and word[0].isupper() and word[1:].replace("-", "").isalpha()


def mask_names_in_text(text: str, mask: Callable[[str], str | None]) -> str:
    if not text or not any(ch.isupper() for ch in text):
        return text
    tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        # a run of capitalised words separated by spaces only
        j = i
        while j < len(tokens) and _capitalised(tokens[j][2]) and (
                j == i or text[tokens[j - 1][1]:tokens[j][0]].strip(" ") == ""):
            j += 1
        if j == i:
            i += 1
            continue
        run = tokens[i:j]
        kinds = [_kind(w if not w.isupper() else w.capitalize()) for _, _, w in run]
        spans += _names_in_run(run, kinds)
        i = j
    spans += _with_initials(text, tokens)
    if not spans:
        return text
    out, last = [], 0
    for start, end in _merge(spans):
        out.append(text[last:start])
        out.append(mask(text[start:end]) or "")
        last = end
    out.append(text[last:])
    return "".join(out)


def _names_in_run(run, kinds) -> list[tuple[int, int]]:
    spans = []
    k = 0
    while k < len(run):
        if kinds[k] != "anchor":
            k += 1
            continue
        a = b = k
        while a > 0 and kinds[a - 1] in ("anchor", "surname", "unknown") and b - a < 2:
            a -= 1
        while b + 1 < len(run) and kinds[b + 1] in ("anchor", "surname", "unknown") and b - a < 2:
            b += 1
        if b > a:  # two or three words: a full name; one first name alone is kept
            spans.append((run[a][0], run[b][1]))
        k = b + 1
    return spans


def _with_initials(text: str, tokens) -> list[tuple[int, int]]:
    """`Киселёв Ю. И.` and `Ю.И. Киселёв`: initials next to a capitalised word that is not a common word."""
    spans = []
    for m in _INITIALS.finditer(text):
        before = next(((s, e, w) for s, e, w in reversed(tokens) if e <= m.start()), None)
        after = next(((s, e, w) for s, e, w in tokens if s >= m.end()), None)
        for tok, gap in ((before, text[before[1]:m.start()] if before else "x"),
                         (after, text[m.end():after[0]] if after else "x")):
            if tok and gap.strip() == "" and len(gap) <= 2 and _capitalised(tok[2]) and len(tok[2]) > 2 \
                    and _kind(tok[2]) in ("surname", "unknown", "anchor"):
                spans.append((min(tok[0], m.start()), max(tok[1], m.end())))
                break
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
