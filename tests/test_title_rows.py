"""1C saves a list's title (and sometimes a period line) above the header in TXT and HTML exports."""
import duckdb

from connectors.load import discover, load

HEADER = ["Дата", "Номер", "Контрагент", "Сумма", "Валюта", "Организация", "Ответственный", "Комментарий"]
ROWS = [
    ["01.10.2026", "СЧ-101", "ООО «Ромашка»", "12 500,00", "RUB", "ООО «Северный Ветер»", "Иванов", ""],
    ["02.10.2026", "СЧ-102", "ИП Лютиков", "3 000,50", "RUB", "ООО «Северный Ветер»", "Петрова", "срочно"],
]


def _load(path):
    con = duckdb.connect()
    reports, _ = load(discover([str(path)]), con)
    return con, reports[0]


def test_semicolon_csv_with_title_lines(tmp_path):
    lines = ["Счета на оплату покупателям", "Период: 01.10.2026 - 31.10.2026", ";".join(HEADER)]
    lines += [";".join(r) for r in ROWS]
    path = tmp_path / "Счета.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    con, rep = _load(path)
    assert (rep.system, rep.entity, rep.rows_read, rep.rows_loaded, rep.rows_rejected) == ("1c", "documents", 2, 2, 0)
    assert any("2 title line(s)" in w for w in rep.warnings)
    got = con.execute("SELECT number, amount, _line FROM stg.documents ORDER BY _record").fetchall()
    assert got == [("СЧ-101", 12500.0, 4), ("СЧ-102", 3000.5, 5)]


def test_html_table_with_title_row(tmp_path):
    cells = lambda r, tag="td": "".join(f"<{tag}>{c}</{tag}>" for c in r)  # noqa: E731
    body = "\n".join(f"<tr>{cells(r)}</tr>" for r in ROWS)
    html = (f'<html><head><meta charset="utf-8"></head><body><table>\n'
            f'<tr><td colspan="8">Счета на оплату покупателям</td></tr>\n'
            f"<tr>{cells(HEADER, 'th')}</tr>\n{body}\n</table></body></html>")
    path = tmp_path / "Счета.html"
    path.write_text(html, encoding="utf-8")
    con, rep = _load(path)
    assert (rep.system, rep.entity, rep.rows_read, rep.rows_loaded) == ("1c", "documents", 2, 2)
    assert any("1 title row(s)" in w for w in rep.warnings)
    got = con.execute("SELECT number, counterparty_name, amount, _line FROM stg.documents ORDER BY _record").fetchall()
    assert got == [("СЧ-101", "ООО «Ромашка»", 12500.0, 4), ("СЧ-102", "ИП Лютиков", 3000.5, 5)]


def test_tab_text_with_title_line_gives_the_document_type(tmp_path):
    # 1C "Текстовый документ" (ANSI): the list's title names the document type
    lines = ["Реализация товаров и услуг", "\t".join(HEADER)] + ["\t".join(r) for r in ROWS]
    path = tmp_path / "export.txt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    con, rep = _load(path)
    assert (rep.system, rep.entity, rep.rows_read, rep.rows_loaded) == ("1c", "documents", 2, 2)
    got = con.execute("SELECT number, doc_type, amount, _line FROM stg.documents ORDER BY _record").fetchall()
    assert got == [("СЧ-101", "sale", 12500.0, 3), ("СЧ-102", "sale", 3000.5, 4)]
