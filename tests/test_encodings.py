"""Text encodings of real exports, decided over the whole file (connectors/readers/charset.py, transcode.py).

Shapes: a Salesforce Data Export (API names, every value quoted, `,`, CRLF) saved in windows-1252,
Bitrix24 on-premise CSV in windows-1251 (`;`, all quoted, trailing `;`), Excel "Unicode text"
(UTF-16 LE with BOM, tab-separated) and the same without BOM, DOS cp866 and KOI8-R text.
"""
from __future__ import annotations

import codecs

import duckdb
import pytest

from connectors.load import discover, load
from connectors.readers import charset

SF_HEADER = ["Id", "AccountId", "LastName", "FirstName", "Salutation", "MailingCity", "Phone", "Email", "OwnerId",
             "CreatedDate"]
SPANISH = [("Núñez", "José"), ("Peña", "María"), ("Ibáñez", "Íñigo"), ("Muñoz", "Sofía"), ("García", "Ángel")]


def _sf_line(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n"


def _sf_contacts(ascii_rows: int, spanish_rows: int) -> tuple[str, list[tuple[str, str]]]:
    lines, names = [_sf_line(SF_HEADER)], []
    for i in range(ascii_rows + spanish_rows):
        last, first = ("Smith", "John") if i < ascii_rows else SPANISH[i % len(SPANISH)]
        names.append((last, first))
        lines.append(_sf_line([f"0035g00000{i:05d}AAA", "0015g00000AbCdEAAZ", last, first, "Mr.", "Bogotá" if i >= ascii_rows
                               else "Austin", "(512) 757-6000", f"c{i}@example.com", "0055g00000XyZ12AAB",
                               "2024-03-12T10:15:00.000Z"]))
    return "".join(lines), names


def _load(*paths):
    con = duckdb.connect()
    reports, _ = load(discover([str(p) for p in paths]), con)
    return con, reports


def test_windows_1252_past_the_head_is_detected_over_the_whole_file(tmp_path):
    """The issue's case: the first 256 KB are ASCII, the Spanish names come later."""
    text, names = _sf_contacts(3000, 400)
    data = text.encode("cp1252")
    assert data[:256 * 1024].isascii() and not data.isascii()
    path = tmp_path / "Contact.csv"
    path.write_bytes(data)
    con, [rep] = _load(path)
    assert (rep.system, rep.entity, rep.encoding) == ("salesforce", "contacts", "cp1252")
    assert (rep.rows_read, rep.rows_loaded, rep.replaced, rep.problem) == (3400, 3400, 0, None)
    got = con.execute("SELECT last_name, first_name, city FROM stg.contacts ORDER BY _line").fetchall()
    assert [g[:2] for g in got] == names
    assert got[-1][2] == "Bogotá"
    assert con.execute("SELECT count(*) FROM stg.contacts WHERE contains(last_name || first_name || city, '\ufffd')"
                       ).fetchone()[0] == 0
    assert path.read_bytes() == data


B24_HEADER = ["ID", "Имя", "Фамилия", "Отчество", "Компания", "Должность", "Рабочий телефон"]
B24_ROWS = [["11", "Пётр", "Щукин", "Ильич", 'ООО "Ёлка"', "Директор", "+7 (495) 123-45-67"],
            ["12", "Анна", "Жукова", "", "ИП Фёдоров", "Бухгалтер", "8 912 345 67 89"]]


def _bitrix(rows) -> str:
    return "".join("".join('"' + c.replace('"', '""') + '";' for c in r) + "\r\n" for r in [B24_HEADER, *rows])


@pytest.mark.parametrize("encoding,data_of,expected", [
    ("cp1251", lambda t: t.encode("cp1251"), "cp1251"),
    ("cp866", lambda t: t.encode("cp866"), "cp866"),
    ("koi8_r", lambda t: t.encode("koi8_r"), "koi8-r"),
    ("utf-8-sig", lambda t: t.encode("utf-8-sig"), "utf-8"),
    ("utf-16 BOM", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-le", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", lambda t: t.encode("utf-16-be"), "utf-16-be"),
])
def test_russian_code_pages_and_utf16(tmp_path, encoding, data_of, expected):
    rows = B24_ROWS * 3
    path = tmp_path / "contacts.csv"
    path.write_bytes(data_of(_bitrix(rows)))
    con, [rep] = _load(path)
    assert (rep.system, rep.entity) == ("bitrix24", "contacts"), rep.problem
    assert rep.encoding.replace("_", "-") == expected
    assert (rep.rows_read, rep.rows_loaded, rep.replaced, rep.problem) == (6, 6, 0, None)
    got = con.execute("SELECT record_id, first_name, last_name, company_name, _line FROM stg.contacts ORDER BY _line").fetchall()
    assert got == [(r[0], r[1], r[2], r[4], i + 2) for i, r in enumerate(rows)]


def test_broken_bytes_in_utf8_are_counted_and_reported(tmp_path):
    text = _bitrix(B24_ROWS).encode("utf-8")
    data = text.replace("Жукова".encode(), b"\xd0\x96\xff\xd0\xba\xd0\xbe\xd0\xb2\xd0\xb0")  # one byte lost its pair
    path = tmp_path / "contacts.csv"
    path.write_bytes(data)
    con, [rep] = _load(path)
    assert (rep.encoding, rep.rows_loaded, rep.replaced) == ("utf-8", 2, 1)
    assert rep.problem.startswith("1 character(s) could not be decoded (utf-8)")
    assert rep.contract_entry()["replacement_chars"] == 1
    assert con.execute("SELECT last_name FROM stg.contacts WHERE record_id = '12'").fetchone()[0] == "Ж\ufffdкова"


def test_replacement_characters_already_in_a_utf8_file_are_reported(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(_bitrix([B24_ROWS[0], ["13", "Ol\ufffdg", "Sm\ufffdrnov", "", "", "", ""]]).encode("utf-8"))
    _, [rep] = _load(path)
    assert (rep.encoding, rep.replaced, rep.rows_loaded) == ("utf-8", 2, 2)
    assert "2 character(s)" in rep.problem


@pytest.mark.parametrize("sample,expected", [
    ('"8107924651\xa5\xa5b" <8107924651>'.encode("latin-1"), "utf-8"),   # real Asterisk garbage: not a code page
    ("José Núñez, Société Générale, Müller".encode("cp1252"), "cp1252"),
    ("Иванов Иван, ООО Ромашка, Москва".encode("cp1251"), "cp1251"),
    ("Петров Пётр, ЗАО Лютик, Казань".encode("cp866"), "cp866"),
    ("Сидоров Сидор, АО Василёк, Пермь".encode("koi8_r"), "koi8_r"),
    ("Иванов".encode() + b"\xff" + "Пётр Щукин, ООО Ёлка, Москва".encode(), "utf-8"),  # damaged UTF-8 stays UTF-8
])
def test_choose(sample, expected):
    assert charset.choose(sample) == expected
