"""Nothing personal leaks into the shareable outputs (masking is the default).

The audit runs on the sample exports plus one Bitrix24 deals export written as csv.php writes it
(FORMATS.md §1.2) whose free text holds people, as real CRMs do: full names in deal titles, a
sole trader written out in full as the company, a comment with a name, a phone and an e-mail.
Then every shareable output (scorecard.html, scorecard.xlsx, audit.json; no PDF is written) is
scanned for every client's e-mail, phone and full name found in the loaded data
(`audit.duckdb`, which holds everything and is not shareable). Staff names (deal owners) are
shown on purpose: the work lists say who should act.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from auditor import audit

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Компания", "Контакт", "Ответственный",
          "Дата создания", "Дата изменения", "Комментарий", "Причина отказа"]
# lost without a reason and long untouched: they reach the work lists, whose titles are shown
EXTRA = [
    ["90001", "Поставка — Киселёв Юрий Иванович", "Сделка провалена", "120000.00", "Российский рубль",
     "Индивидуальный предприниматель Лаптева Ольга Сергеевна", "Киселёв Юрий Иванович", "Мария Сидорова",
     "02.03.2026 10:15:00", "05.03.2026 10:15:00",
     "Перезвонить Юрию Ивановичу: +7 (916) 555-12-34, kiselev.yu@example.ru", ""],
    ["90002", "Монтаж для Ю. И. Киселёва", "Подготовка документов", "80000.00", "Российский рубль",
     "ИП Лаптева О. С.", "Лаптева Ольга Сергеевна", "Мария Сидорова", "01.02.2026 09:00:00",
     "01.02.2026 09:00:00", "Ольга Сергеевна просила счёт на olga.lapteva@example.ru", ""],
]
PLANTED = ["Киселёв Юрий Иванович", "Юрию Ивановичу", "Лаптева Ольга Сергеевна", "Ольга Сергеевна",
           "kiselev.yu@example.ru", "olga.lapteva@example.ru", "555-12-34", "9165551234"]


def _bitrix(rows) -> bytes:
    def line(cells):
        return "".join('"' + c.replace('"', '""') + '";' for c in cells) + "\r\n"
    return ("\ufeff" + line(HEADER) + "".join(line(r) for r in rows)).encode("utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("pii")
    exports = base / "exports"
    shutil.copytree(ROOT / "sample_data" / "exports", exports)
    (exports / "bitrix24" / "DEAL_extra.csv").write_bytes(_bitrix(EXTRA))
    out = base / "out"
    audit([str(exports)], out, as_of=dt.date(2026, 11, 20), lang="ru", use_gx=False)
    texts = {
        "scorecard.html": (out / "scorecard.html").read_text(encoding="utf-8"),
        "audit.json": json.dumps(json.loads((out / "audit.json").read_text(encoding="utf-8")), ensure_ascii=False),
    }
    wb = openpyxl.load_workbook(out / "scorecard.xlsx", read_only=True)
    texts["scorecard.xlsx"] = "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                                        for c in row if c is not None)
    wb.close()
    con = duckdb.connect(str(out / "audit.duckdb"), read_only=True)
    yield texts, con
    con.close()


def _values(con, sql: str) -> set[str]:
    return {v for (v,) in con.execute(sql).fetchall() if v}


def _leaks(texts: dict[str, str], values: set[str], fold=lambda s: s.lower()) -> list[tuple[str, str]]:
    folded = {name: fold(t) for name, t in texts.items()}
    return [(name, v) for v in sorted(values) for name, t in folded.items() if fold(v) in t]


def test_the_planted_free_text_reached_the_data(outputs):
    _, con = outputs
    titles = _values(con, "SELECT title FROM stg.deals WHERE record_id IN ('90001', '90002')")
    assert "Поставка — Киселёв Юрий Иванович" in titles  # the test checks something real


def test_no_email_of_the_data_in_any_output(outputs):
    texts, con = outputs
    emails = _values(con, "SELECT DISTINCT unnest(emails) FROM stg.contacts UNION SELECT DISTINCT unnest(emails) FROM stg.deals "
                          "UNION SELECT DISTINCT unnest(emails) FROM stg.companies")
    assert len(emails) > 100
    assert _leaks(texts, emails) == []


def test_no_phone_of_the_data_in_any_output(outputs):
    texts, con = outputs
    phones = _values(con, "SELECT DISTINCT unnest(phones) FROM stg.contacts UNION SELECT DISTINCT unnest(phones) FROM stg.deals "
                          "UNION SELECT DISTINCT unnest(phones) FROM stg.companies")
    assert len(phones) > 100
    digits = {name: re.sub(r"[\s()\-]", "", t) for name, t in texts.items()}  # +7 (916) 555-12-34 → +79165551234
    national = {p[-10:] for p in phones}
    assert _leaks(digits, national, fold=str) == []


def test_no_client_full_name_in_any_output(outputs):
    texts, con = outputs
    names = _values(con, "SELECT DISTINCT full_name FROM stg.contacts WHERE full_name LIKE '% %' "
                         "UNION SELECT DISTINCT contact_name FROM stg.deals WHERE contact_name LIKE '% %'")
    # sole traders: the owner's name, whichever way 1C or the CRM wrote the legal form
    for (name,) in con.execute("SELECT name FROM stg.counterparties UNION SELECT full_name FROM stg.counterparties "
                               "UNION SELECT name FROM stg.companies UNION SELECT company_name FROM stg.deals").fetchall():
        m = re.match(r"^(?:ИП|Индивидуальный предприниматель)\s+[\"«]?([А-ЯЁ][^\"»]+?)[\"»]?$", name or "")
        if m and len(m.group(1).split()) >= 2:
            names.add(m.group(1))
    assert len(names) > 50
    assert _leaks(texts, names) == []


def test_names_phones_and_emails_inside_free_text_are_masked(outputs):
    texts, _ = outputs
    assert _leaks(texts, set(PLANTED)) == []
    assert "К*** Ю. И." in texts["scorecard.xlsx"]  # the title is shown, masked, not dropped
