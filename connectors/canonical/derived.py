"""Entities built from what other records carry, when their own export is missing.

1C counterparties inside CommerceML documents: every `Документ` of a CommerceML 2 exchange
(orders, invoices, sales) carries its `Контрагенты/Контрагент` with `Ид`, name, full name, INN,
KPP, contacts and address (FORMATS.md §3.2; the reader keeps the first as `Контрагент.<field>`).
When no counterparty catalogue or list is loaded, stg.counterparties is built from them: one
record per distinct counterparty, by `Ид`, else INN, else name; its `_file`/`_line` are those of
the first document naming it. meta.derived says so, and the evidence of every figure over
counterparties repeats it.
"""
from __future__ import annotations

from ..model import FileReport

# canonical counterparty field -> column of the CommerceML documents raw table (readers/commerceml.py)
PARTY_COLUMNS = {
    "record_id": "Контрагент.Ид", "name": "Контрагент.Наименование", "full_name": "Контрагент.ПолноеНаименование",
    "inn": "Контрагент.ИНН", "kpp": "Контрагент.КПП", "phone": "Контрагент.Телефон", "email": "Контрагент.Почта",
    "address": "Контрагент.Адрес",
}
RULE = ("built from the counterparties named in CommerceML documents (no counterparty list was exported): "
        "one per distinct Ид, else INN, else name")


def party_sources(by_entity: dict[str, list[FileReport]]) -> list[FileReport]:
    """Stand-in counterparty reports over the documents' raw tables, when no counterparties were loaded."""
    if by_entity.get("counterparties"):
        return []
    out = []
    for rep in by_entity.get("documents", []):
        columns = {c for cols in rep.mapped.values() for c in cols} | set(rep.unmapped)
        mapped = {f: [c] for f, c in PARTY_COLUMNS.items() if c in columns}
        if {"record_id", "name", "inn"} & set(mapped):
            out.append(FileReport(path=rep.path, sha256=rep.sha256, system=rep.system, entity="counterparties",
                                  raw_table=rep.raw_table, clean_table=rep.clean_table, region=rep.region,
                                  mapped=mapped))
    return out


def distinct_parties(typed_sql: str) -> str:
    """One row per counterparty: the first document's, keyed by Ид, else INN, else name."""
    key = "coalesce('id:' || record_id, 'inn:' || inn, 'name:' || lower(name))"
    return (f"SELECT * FROM ({typed_sql}) WHERE {key} IS NOT NULL "
            f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _file, _record) = 1")


def record(con, sources: list[FileReport]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute("CREATE OR REPLACE TABLE meta.derived (entity VARCHAR, file VARCHAR, records BIGINT, rule VARCHAR)")
    for rep in sources:
        n = con.execute("SELECT count(*) FROM _stg_counterparties WHERE _file = ?", [rep.path]).fetchone()[0]
        con.execute("INSERT INTO meta.derived VALUES ('counterparties', ?, ?, ?)", [rep.path, n, RULE])
