"""Readers chosen by a profile's `reader` other than `table`/`headerless`: the 1C family.

Each returns [(entity, RawTable), ...]: one file may hold several entities (CommerceML).

* `commerceml` → readers/commerceml.py, `bank` → readers/bank_exchange.py. The file's kind decides
  first (an `xml` sample is CommerceML, a `bank` sample a bank statement), so a user override such
  as `PATH:1c:documents` reads a 1C file correctly whichever 1C profile it names.
* `1c-list:<entity>` → a 1C list export ("Вывести список" / "Сохранить как": XLSX, XLS, ODS,
  HTML, TXT). Read like any table, except that tab-separated text is split without CSV quoting
  (1C writes `"Лютик" ООО` verbatim, which a CSV parser would reject), then computed columns:
    documents  `doc_type` = invoice | sale | return | order | tax_invoice | adjustment, from a
               type column (Вид документа, Тип документа, Хозяйственная операция, Вид операции)
               and otherwise from a per-file constant: the title rows above the header, the sheet
               name, or the file name ("Счета на оплату покупателям" → invoice);
    payments   `direction` = Поступление | Списание, from the `Поступление`/`Списание` amount
               columns of a bank-statement journal, else from the same per-file constant
               ("Поступления на расчетный счет"); `amount` when the journal has no single sum column.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..headers import norm_header
from ..model import InputError, Reject, Sample
from .delimited import RawTable, qident, read_delimited, sql_str, unique_names
from .tabular import load_rows

TYPE_COLUMNS = ("Вид документа", "Тип документа", "ХозОперация", "Хозяйственная операция")  # a value is the type
WEAK_TYPE_COLUMNS = ("Вид операции",)  # БП's "Товары"/"Услуги": used only when it names a type
_DEFAULT_SHEETS = {"tdsheet", "лист1", "sheet1", "sheet", "лист"}
_TOTALS = ("итого", "всего", "total", "totals")
# First match wins: "Счет на оплату по заказу" is an invoice, "Реализация по заказу" a sale.
DOC_KINDS = (
    ("return", re.compile(r"возврат|\breturn")),
    ("adjustment", re.compile(r"корректировк")),
    ("tax_invoice", re.compile(r"\bсч[её]т[а-я]*[\s-]*фактур")),
    ("invoice", re.compile(r"\bсч[её]т|\binvoice")),
    ("sale", re.compile(r"реализац|отгруз|отпуск товар|продаж|\bупд\b|накладн|\bакт(ы|ов)?\b|\bsales?\b")),
    ("order", re.compile(r"заказ|\border")),
)
FLOWS = (("Поступление", re.compile(r"поступлен|поступил")), ("Списание", re.compile(r"списан")))


def read(reader: str, con, sample: Sample, path: Path, table: str, workdir: Path) -> list[tuple[str, RawTable]]:
    if sample.kind == "xml":
        from .commerceml import read_commerceml

        results = read_commerceml(con, path, table, sample.encoding)
        for entity, raw in results:
            if entity == "documents":
                add_doc_type(con, raw, None)
                add_status(con, raw)
        return results
    if sample.kind == "bank":
        from .bank_exchange import read_bank

        return [("payments", read_bank(con, sample, path, table))]
    if reader.startswith("1c-list:"):
        entity = reader.split(":", 1)[1]
        raw = read_list(con, sample, path, table, workdir)
        if entity == "documents":
            add_doc_type(con, raw, file_context(sample, path))
            add_status(con, raw)
        elif entity == "payments":
            add_direction(con, raw, file_context(sample, path))
        return [(entity, raw)]
    raise InputError(f"a {sample.kind} file cannot be read as '{reader}'; name its format with PATH:system:entity")


# ---------------------------------------------------------------- 1C list exports

def read_list(con, sample: Sample, path: Path, table: str, workdir: Path) -> RawTable:
    if sample.kind == "csv" and sample.delimiter == "\t":
        return read_tab_text(con, sample, path, table)
    if sample.kind == "csv":
        return read_delimited(con, path, table, workdir, encoding=sample.encoding, delimiter=sample.delimiter,
                              names=unique_names(sample.header), header=True, skip=sample.header_row,
                              as_view=False)  # computed columns are added to it below
    if sample.kind == "html":
        from .html_table import read_html_table

        return read_html_table(con, path, table, sample.encoding)
    if sample.kind in ("xlsx", "xls", "ods"):
        from .spreadsheet import read_spreadsheet

        return read_spreadsheet(con, path, table, sample.sheet, sample.header_row)
    raise InputError(f"a {sample.kind} file is not a 1C list export; save the list as XLSX")


def _unquote(cell: str) -> str:
    """`"a ""b"" c"` (a spreadsheet's TSV quoting) → `a "b" c`; quotes inside text stay as written."""
    if len(cell) >= 2 and cell[0] == cell[-1] == '"' and '"' not in cell[1:-1].replace('""', ""):
        return cell[1:-1].replace('""', '"')
    return cell


def read_tab_text(con, sample: Sample, path: Path, table: str) -> RawTable:
    """1C "Текстовый документ" (TXT, UTF-8 or ANSI = windows-1251): one line per row, cells split on tabs."""
    encoding = "utf-8-sig" if sample.bom and sample.encoding == "utf-8" else (sample.encoding or "utf-8")
    rejects: list[Reject] = []
    state = {"padded": 0, "replaced": 0}
    fh = path.open(encoding=encoding, errors="replace", newline=None)
    lines = enumerate(fh, 1)
    header: list[str] = []
    titles_left = sample.header_row  # title lines above the header (the sniffer found them)
    for _, line in lines:
        if line.strip():
            if titles_left:
                titles_left -= 1
                continue
            header = [_unquote(c.strip()) for c in line.rstrip("\r\n").split("\t")]
            break
    while header and not header[-1]:
        header.pop()
    names = unique_names(header)
    width = len(names)

    def rows():
        with fh:
            for lineno, line in lines:
                text = line.rstrip("\r\n")
                state["replaced"] += text.count("\ufffd")
                cells = [_unquote(c) or None for c in text.split("\t")]
                if not any(c and c.strip() for c in cells):
                    continue  # empty lines are layout, not records
                first = next((c for c in cells if c and c.strip()), "")
                if first.strip().lower().rstrip(":") in _TOTALS:
                    rejects.append(Reject(lineno, "totals row, not a record", text))
                    continue
                extra = [c for c in cells[width:] if c and c.strip()]
                if extra:
                    rejects.append(Reject(lineno, f"{len(cells)} cells, the header has {width}", text))
                    continue
                if len(cells) < width:
                    state["padded"] += 1
                yield lineno, cells[:width] + [None] * (width - len(cells))

    raw = load_rows(con, table, names, rows(), rejects, sample.encoding)
    if sample.header_row:
        raw.warnings.append(f"{sample.header_row} title line(s) above the header skipped (not records)")
    if state["padded"]:
        raw.warnings.append(f"{state['padded']} line(s) had fewer cells than the header (blank cells added); "
                            "a line break inside a cell splits a row: re-export as XLSX if rows look cut")
    if state["replaced"]:
        raw.warnings.append(f"{state['replaced']} undecodable byte(s) replaced with U+FFFD (file is not clean {sample.encoding})")
        raw.replaced = state["replaced"]
    return raw


def file_context(sample: Sample, path: Path) -> list[tuple[str, str]]:
    """Per-file text that names the list: title rows above the header, the sheet name, the file name."""
    out = []
    if sample.titles:
        out.append(("title row", " ".join(sample.titles)))
    elif sample.kind in ("xlsx", "xls", "ods") and sample.header_row > 0 and sample.sheet:
        try:
            from python_calamine import CalamineWorkbook

            from .spreadsheet import cell_text

            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sample.sheet).to_python(
                skip_empty_area=False, nrows=sample.header_row)
            titles = [t for r in rows for t in (cell_text(c) for c in r) if t]
            if titles:
                out.append(("title row", " ".join(titles)))
        except Exception:  # titles are a hint only; the table itself was read already
            pass
    if sample.sheet and sample.sheet.strip().lower() not in _DEFAULT_SHEETS:
        out.append(("sheet name", sample.sheet))
    out.append(("file name", path.stem.replace("_", " ")))
    return out


def doc_kind(text: str | None) -> str | None:
    if not text:
        return None
    low = text.lower().replace("ё", "е")
    return next((kind for kind, rx in DOC_KINDS if rx.search(low)), None)


def _columns(raw: RawTable, titles: tuple[str, ...]) -> list[str]:
    by_norm = {norm_header(c): c for c in reversed(raw.columns)}
    return [by_norm[norm_header(t)] for t in titles if norm_header(t) in by_norm]


def _value_case(con, raw: RawTable, col: str, classify) -> str | None:
    """SQL CASE mapping a column's distinct values through `classify` (type columns hold few values)."""
    values = [v for (v,) in con.execute(
        f"SELECT DISTINCT trim({qident(col)}) FROM {raw.table} WHERE {qident(col)} IS NOT NULL LIMIT 5001").fetchall()]
    if len(values) > 5000:
        return None
    by_code: dict[str, list[str]] = {}
    for v in values:
        code = classify(v)
        if code:
            by_code.setdefault(code, []).append(v)
    if not by_code:
        return None
    whens = " ".join(f"WHEN trim({qident(col)}) IN ({', '.join(sql_str(v) for v in vs)}) THEN {sql_str(code)}"
                     for code, vs in by_code.items())
    return f"CASE {whens} END"


def _add(con, raw: RawTable, name: str, expr: str) -> None:
    con.execute(f"ALTER TABLE {raw.table} ADD COLUMN {qident(name)} VARCHAR")
    con.execute(f"UPDATE {raw.table} SET {qident(name)} = {expr}")
    raw.columns.append(name)


def _from_context(context, classify) -> tuple[str, str, str] | None:
    for where, text in context or []:
        code = classify(text)
        if code:
            return code, where, text
    return None


def add_doc_type(con, raw: RawTable, context: list[tuple[str, str]] | None) -> None:
    """Column `doc_type`: the row's type column when it names a type, else the file's, else the type as written."""
    if "doc_type" in raw.columns:
        return
    strong, weak = _columns(raw, TYPE_COLUMNS), _columns(raw, WEAK_TYPE_COLUMNS)
    parts = [e for col in strong + weak if (e := _value_case(con, raw, col, doc_kind))]
    found = _from_context(context, doc_kind)
    if found:
        parts.append(sql_str(found[0]))
    parts += [f"nullif(trim({qident(col)}), '')" for col in strong]
    if found and raw.loaded:
        raw.warnings.append(f"doc_type '{found[0]}' taken from the {found[1]} '{found[2][:80]}' where no column names the type")
    elif not strong and not parts and raw.loaded:
        raw.warnings.append("document type unknown (no `Вид документа` column, no list title): doc_type left blank; "
                            "add the column to the list or name the file after the list, e.g. 'Счета на оплату'")
    _add(con, raw, "doc_type", f"coalesce({', '.join(parts)})" if parts else "CAST(NULL AS VARCHAR)")


_YES = ("да", "true", "истина", "1", "yes", "проведен")
_NO = ("нет", "false", "ложь", "0", "no", "не проведен")


def add_status(con, raw: RawTable) -> None:
    """Column `status` from 1C's posting flags, unless the export has a status column of its own."""
    if _columns(raw, ("Статус", "Статус заказа", "Состояние", "status")):
        return
    posted, deleted = _columns(raw, ("Проведен", "Проведён")), _columns(raw, ("ПометкаУдаления", "Пометка удаления"))
    if not posted and not deleted:
        return
    flag = "lower(trim({}))"
    whens = []
    if deleted:
        whens.append(f"WHEN {flag.format(qident(deleted[0]))} IN ({', '.join(map(sql_str, _YES))}) THEN 'deleted'")
    if posted:
        col = flag.format(qident(posted[0]))
        whens.append(f"WHEN {col} IN ({', '.join(map(sql_str, _YES))}) THEN 'posted'")
        whens.append(f"WHEN {col} IN ({', '.join(map(sql_str, _NO))}) THEN 'not_posted'")
    _add(con, raw, "status", f"CASE {' '.join(whens)} END")


def flow_of(text: str | None) -> str | None:
    low = (text or "").lower().replace("ё", "е")
    return next((flow for flow, rx in FLOWS if rx.search(low)), None)


def add_direction(con, raw: RawTable, context: list[tuple[str, str]] | None) -> None:
    """Columns `direction` (and `amount` for a journal with separate in/out sums) of a 1C payments list."""
    if _columns(raw, ("Направление", "direction")):
        return
    incoming, outgoing = _columns(raw, ("Поступление",)), _columns(raw, ("Списание",))
    nonblank = "nullif(trim({}), '')"
    parts = []
    if incoming or outgoing:
        whens = [f"WHEN {nonblank.format(qident(c[0]))} IS NOT NULL THEN {sql_str(label)}"
                 for c, label in ((incoming, "Поступление"), (outgoing, "Списание")) if c]
        parts.append(f"CASE {' '.join(whens)} END")
        if not _columns(raw, ("Сумма документа", "Сумма", "СуммаДокумента", "amount")):
            sums = [nonblank.format(qident(c[0])) for c in (incoming, outgoing) if c]
            _add(con, raw, "amount", f"coalesce({', '.join(sums)})")
    found = _from_context(context, flow_of)
    if found:
        parts.append(sql_str(found[0]))
        if raw.loaded and not (incoming or outgoing):
            raw.warnings.append(f"direction '{found[0]}' taken from the {found[1]} '{found[2][:80]}'")
    if parts:
        _add(con, raw, "direction", f"coalesce({', '.join(parts)})")
