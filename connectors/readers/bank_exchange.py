"""1C bank statements `1CClientBankExchange` (FORMATS.md §3.3) into a raw `payments` table.

Key=value text, windows-1251 (`Кодировка=Windows`) or cp866 (`Кодировка=DOS`); the sniffer
already read the declared code page into `sample.encoding`. Every `СекцияДокумент=…` …
`КонецДокумента` block is one record: every key becomes a column (text, as written), `_line` is
the line of `СекцияДокумент`. Computed from the file's own accounts (`РасчСчет=` in the header
and in `СекцияРасчСчет` blocks):

  Направление     `Поступление` (ПолучательСчет is own), `Списание` (ПлательщикСчет is own),
                  `Перемещение` (both own); without own accounts, from ДатаПоступило/ДатаСписано
  ДатаОперации    ДатаПоступило, else ДатаСписано, else Дата (the key `Дата` itself stays as written)
  Контрагент, КонтрагентИНН   the other side: payer of an incoming, payee of an outgoing document
  Организация     our side's name

A document with no `КонецДокумента` (a truncated file) is a reject with its line and reason.
Statements are small (thousands of documents), so documents are gathered before the columns are
known: the set of keys varies between banks and documents.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..model import InputError, Reject, Sample
from .delimited import RawTable, unique_names
from .tabular import load_rows

SECTION = "СекцияДокумент"
END = "КонецДокумента"
COMPUTED = ("Направление", "ДатаОперации", "Контрагент", "КонтрагентИНН", "Организация")
_INN_PREFIX = re.compile(r"^\s*ИНН\s*\d*\s*", re.I)


def _encoding(sample: Sample, warnings: list[str]) -> str:
    """The declared code page, unless the bytes are plainly UTF-8 (a BOM, or non-ASCII text that
    decodes as UTF-8, which windows-1251 / cp866 text practically never does)."""
    declared = sample.encoding or "cp1251"
    if sample.head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if codecs.lookup(declared).name != "utf-8" and any(b > 127 for b in sample.head):
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample.head, final=False)
        except UnicodeDecodeError:
            return _by_content(sample.head, declared, warnings)
        warnings.append(f"Кодировка= declares {declared}, but the text is UTF-8: read as UTF-8")
        return "utf-8"
    return _by_content(sample.head, declared, warnings)


_KEYS = (SECTION, END, "Плательщик", "Получатель", "Сумма", "СекцияРасчСчет", "КонецФайла")


def _by_content(head: bytes, declared: str, warnings: list[str]) -> str:
    """A header that declares the wrong code page (DOS for a windows-1251 file, or the reverse)
    decodes every key to garbage and the file looked "without documents": the code page that
    decodes the format's own keys wins."""
    def hits(codec: str) -> int:
        text = head.decode(codec, errors="replace")
        return sum(text.count(k) for k in _KEYS)
    best = max(("cp1251", "cp866", "koi8_r"), key=hits)
    if hits(best) > hits(declared):
        warnings.append(f"Кодировка= declares {declared}, but the keys read only as {best}: read as {best}")
        return best
    return declared


def read_bank(con, sample: Sample, path: Path, table: str) -> RawTable:
    warnings: list[str] = []
    encoding = _encoding(sample, warnings)
    own: list[str] = []
    docs: list[tuple[int, dict[str, str]]] = []
    rejects: list[Reject] = []
    keys: dict[str, None] = {SECTION: None}
    current: dict[str, str] | None = None
    start, raw_lines, last_key = 0, [], None
    ended = started = False
    replaced = 0
    totals: dict[str, list[str]] = {}
    with path.open(encoding=encoding, errors="replace", newline=None) as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not started:
                if not line.strip().lstrip("\ufeff"):
                    continue
                if line.strip().lstrip("\ufeff") != "1CClientBankExchange":
                    raise InputError("not a 1CClientBankExchange file (first line differs); re-export the bank statement")
                started = True
                continue
            replaced += line.count("\ufffd")
            text = line.strip()
            key, sep, value = text.partition("=")
            key = key.strip()
            if current is not None:
                if key == SECTION and sep or text == "КонецФайла":
                    rejects.append(_unclosed(start, raw_lines))
                    current = None
                else:
                    raw_lines.append(line)
                    if text == END:
                        docs.append((start, current))
                        current = None
                    elif sep:
                        current[key] = f"{current[key]}\n{value}" if key in current else value
                        keys.setdefault(key, None)
                        last_key = key
                    elif text and last_key:  # a purpose wrapped onto the next line
                        current[last_key] += "\n" + text
                    continue
            if key == SECTION and sep:
                current, start, raw_lines, last_key = {SECTION: value.strip()}, lineno, [line], None
            elif text == "КонецФайла":
                ended = True
            elif key == "РасчСчет" and sep and value.strip():  # in the header and in СекцияРасчСчет blocks
                own.append(value.strip())
            elif key in _TOTALS and sep and value.strip():
                totals.setdefault(key, []).append(value.strip())
    if current is not None:
        rejects.append(_unclosed(start, raw_lines))
    elif not ended and docs:
        warnings.append("no КонецФайла line: the statement may be cut short; re-export it if documents are missing")
    if replaced:
        warnings.append(f"{replaced} undecodable byte(s) replaced with U+FFFD (file is not clean {encoding})")
    if not docs and not rejects:
        raise InputError("bank statement without documents (no СекцияДокумент); export a period that has payments")
    own_set = set(own)
    names = unique_names(list(keys) + [c for c in COMPUTED if c not in keys])
    columns = list(keys) + [c for c in COMPUTED if c not in keys]

    for _, doc in docs:
        doc.update({k: v for k, v in _computed(doc, own_set).items() if k not in keys})
    problem = _check_totals(docs, totals, warnings)

    def rows():
        for line, doc in docs:
            yield line, [doc.get(c) for c in columns]

    raw = load_rows(con, table, names, rows(), rejects, "utf-8" if encoding == "utf-8-sig" else encoding, warnings)
    raw.replaced = replaced
    raw.problem = problem
    return raw


_TOTALS = {"ВсегоПоступило": "Поступление", "ВсегоСписано": "Списание"}


def _amount(text: str | None) -> float | None:
    try:
        return float((text or "").replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError:
        return None


def _check_totals(docs: list[tuple[int, dict[str, str]]], totals: dict[str, list[str]], warnings: list[str]) -> str | None:
    """The statement's ВсегоПоступило / ВсегоСписано (summed over its account sections) against the
    documents' credits and debits (a transfer between own accounts is both); a mismatch is the
    file's problem: directions (or documents) are wrong or missing."""
    if not totals:
        return None
    mismatches, matched = [], []
    for key, side in _TOTALS.items():
        stated = [_amount(v) for v in totals.get(key, [])]
        if not stated or None in stated:
            continue
        got = sum(_amount(d.get("Сумма")) or 0.0 for _, d in docs if d.get("Направление") in (side, "Перемещение"))
        n = sum(1 for _, d in docs if d.get("Направление") in (side, "Перемещение"))
        if abs(sum(stated) - got) > 0.005:
            mismatches.append(f"{key}={sum(stated):.2f}, documents {got:.2f} ({n})")
        else:
            matched.append(f"{key}={sum(stated):.2f} ({n} documents)")
    if matched:
        warnings.append("statement totals match the documents: " + ", ".join(matched))
    if mismatches:
        return ("statement totals do not match its documents (" + "; ".join(mismatches) + "): some directions or "
                "documents are wrong or missing; check the bank's statement before trusting payments figures")
    return None


def _unclosed(start: int, raw_lines: list[str]) -> Reject:
    return Reject(start, "document not closed by КонецДокумента (the file is truncated or damaged); re-export the statement",
                  "\n".join(raw_lines))


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _accounts(doc: dict[str, str], side: str) -> set[str]:
    """A side's accounts: `…Счет`, and `…РасчСчет` where a correspondent bank's account fills `…Счет`."""
    return {doc[k].strip() for k in (side + "Счет", side + "РасчСчет") if not _blank(doc.get(k))}


def _computed(doc: dict[str, str], own: set[str]) -> dict[str, str | None]:
    """Whatever the document's kind (платёжное поручение, банковский / мемориальный ордер, платёжное
    требование, инкассовое поручение...): its accounts against the statement's own accounts; where
    they do not settle it (no own accounts, anonymised or foreign accounts), `ДатаСписано` marks a
    debit and `ДатаПоступило` a credit."""
    incoming, outgoing = bool(_accounts(doc, "Получатель") & own), bool(_accounts(doc, "Плательщик") & own)
    if not incoming and not outgoing:
        incoming, outgoing = not _blank(doc.get("ДатаПоступило")), not _blank(doc.get("ДатаСписано"))
    direction = ("Перемещение" if incoming and outgoing else "Поступление" if incoming
                 else "Списание" if outgoing else None)
    order = ("ДатаСписано", "ДатаПоступило", "Дата") if direction == "Списание" else ("ДатаПоступило", "ДатаСписано", "Дата")
    date = next((doc[k].strip() for k in order if not _blank(doc.get(k))), None)
    other = "Плательщик" if direction == "Поступление" else "Получатель" if direction == "Списание" else None
    ours = "Получатель" if direction == "Поступление" else "Плательщик" if direction == "Списание" else None
    return {
        "Направление": direction,
        "ДатаОперации": date,
        "Контрагент": _party_name(doc, other) if other else None,
        "КонтрагентИНН": (doc.get(other + "ИНН") or "").strip() or None if other else None,
        "Организация": _party_name(doc, ours) if ours else None,
    }


def _party_name(doc: dict[str, str], side: str) -> str | None:
    """`Плательщик1` is the name alone; `Плательщик` is often `ИНН 7707083893 ООО "Ромашка"`."""
    for key in (side + "1", side):
        value = doc.get(key)
        if not _blank(value):
            return _INN_PREFIX.sub("", value).strip() or value.strip()
    return None
