"""Masking personal data (phones, e-mails, person names) in shareable outputs, on by default."""
from __future__ import annotations

import re

from .names_in_text import mask_names_in_text

_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def mask_phone(value: str | None) -> str | None:
    """`+79161234567` → `+7916***4567`: enough to recognise, not to dial."""
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return "***"
    return ("+" if value.strip().startswith("+") else "") + digits[:4] + "***" + digits[-4:]


def mask_email(value: str | None) -> str | None:
    """`ivan.petrov@mail.ru` → `i***@mail.ru`."""
    if not value or "@" not in value:
        return "***" if value else value
    local, _, domain = value.partition("@")
    return (local[:1] or "*") + "***@" + domain


def mask_name(value: str | None) -> str | None:
    """`Иванов Иван Петрович` → `И*** И. П.`: initials only; the record id leads to the person."""
    if not value:
        return value
    words = value.split()
    if len(words) == 1:
        return words[0][:1] + "***"
    return words[0][:1] + "*** " + " ".join(w[:1] + "." for w in words[1:])


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE


def neutralise_cell(value):
    """Spreadsheet cells starting with = + - @ are formulas to Excel: prefix them so they stay text.
    Control characters (NUL, ESC...) cannot be stored in a workbook at all: dropped, so one such
    character in one cell no longer kills the scorecard."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if value.startswith(_SPREADSHEET_FORMULA):
        return "'" + value
    return value


_EMAIL_IN_TEXT = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.U)
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s()\-]{7,}\d")
_SOLE_TRADER = re.compile(r"^(?P<pre>(?:ИП|И\.\s?П\.|Индивидуальный\s+предприниматель)\s+)?[\"«']?(?P<core>.+?)[\"»']?"
                          r"(?P<post>\s+(?:ИП|И\.\s?П\.))?$", re.U | re.I)
_NAME_WORD = re.compile(r"^(?:[^\W\d_]+(?:-[^\W\d_]+)*|(?:[^\W\d_]\.){1,2})$", re.U)
_PATRONYMIC = re.compile(r"(вич|вна|чна|ична|кызы|оглы|улы)$", re.U | re.I)


def mask_text(text: str | None) -> str | None:
    """Free text (deal titles, comments, positions, rejected rows): e-mails, phone-like digit runs
    and person names (names_in_text.py) masked."""
    if not text:
        return text
    text = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group(0)) or "", text)

    def phone(m: re.Match) -> str:
        return (mask_phone(m.group(0)) or "") if len(re.sub(r"\D", "", m.group(0))) >= 10 else m.group(0)
    text = _PHONE_IN_TEXT.sub(phone, text)
    return mask_names_in_text(text, mask_name)


def mask_org(name: str | None) -> str | None:
    """An organisation name stays; a sole trader (`ИП Иванов Иван Иванович`) or a person entered
    as a company (`Иванов Иван Иванович`) is masked like a person's name."""
    if not name:
        return name
    stripped = name.strip()
    m = _SOLE_TRADER.match(stripped)
    sole_trader = bool(m and (m.group("pre") or m.group("post")))
    core = m.group("core") if sole_trader else stripped
    words = core.split()
    person = (all(_NAME_WORD.match(w) for w in words)
              and ((sole_trader and 1 <= len(words) <= 3) or (len(words) == 3 and bool(_PATRONYMIC.search(words[2])))))
    if person:
        return stripped.replace(core, mask_name(core) or "")
    return mask_text(name)
