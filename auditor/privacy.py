"""Masking personal data (phones, e-mails, person names) in shareable outputs, on by default."""
from __future__ import annotations

import re

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


def neutralise_cell(value):
    """Spreadsheet cells starting with = + - @ are formulas to Excel: prefix them so they stay text."""
    if isinstance(value, str) and value.startswith(_SPREADSHEET_FORMULA):
        return "'" + value
    return value
