"""The message catalogues: every language has every key, with the same placeholders."""
from __future__ import annotations

import re
import string

import pytest

from auditor import messages

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_every_key():
    keys = {lang: set(messages.catalogue(lang)) for lang in messages.LANGS}
    every = set().union(*keys.values())
    for lang, have in keys.items():
        assert not every - have, f"{lang}.yaml lacks {sorted(every - have)[:10]}"


@pytest.mark.parametrize("lang", [lang for lang in messages.LANGS if lang != "en"])
def test_placeholders_match_english(lang):
    en, other = messages.catalogue("en"), messages.catalogue(lang)
    wrong = [key for key in en if key in other and _fields(en[key]) != _fields(other[key])]
    assert not wrong, f"{lang}.yaml placeholders differ from en.yaml for {wrong[:10]}"


def test_russian_reads_as_russian():
    # A Russian value with no Cyrillic letter is an English sentence left untranslated
    # (short labels such as "ROC AUC" or "Bitrix24" are allowed).
    ru = messages.catalogue("ru")
    left = [key for key, text in ru.items() if len(text.split()) > 2 and not CYRILLIC.search(text)]
    assert not left, f"untranslated in ru.yaml: {left[:10]}"


def test_a_message_is_formatted_and_a_missing_key_is_an_error():
    assert messages.t("q2.unknown", "ru", reason="нет лидов") == "Нельзя сказать, как распределяются заявки: нет лидов."
    assert messages.t("q2.unknown", "en", reason="no leads") == "Cannot tell how leads are distributed: no leads."
    with pytest.raises(KeyError):
        messages.t("no.such.key", "ru")
    with pytest.raises(ValueError, match="unknown language"):
        messages.catalogue("xx")
