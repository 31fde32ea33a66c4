"""Standard company data found by what a column holds, when no title says it (custom fields).

CRMs let every portal add its own fields: an INN kept in amoCRM's «Реквизиты» text field, a
Bitrix24 `UF_CRM_1699…` titled «Номер налогоплательщика», a Salesforce `Tax__c`. A column that
no title mapped is taken as
  inn      when most of its filled cells are 10 or 12 digits (9 for none) and most of those pass the
           Russian INN checksum or the Kazakh BIN/IIN one (a random 10-digit number passes 1 in 10);
  kpp      when an INN column is known, its cells are 9 characters `NNNN[0-9A-Z]{2}NNN`, and most
           start with the same four digits as the record's INN (the tax office code);
  website  when most cells are a URL or a bare domain (and no `@`).
Each decision is reported as a warning of the file, naming the column.
"""
from __future__ import annotations

from .canonical.build import install_macros
from .readers.delimited import qident

MIN_FILLED = 3
SHARE = 0.8
VALID_SHARE = 0.6
_URL = r"^(https?://)?(www\.)?[a-z0-9а-яё-]+(\.[a-z0-9а-яё-]+)*\.[a-zа-я]{2,}(/\S*)?$"


def infer(con, table: str, candidates: list[str], mapped: dict[str, list[str]]) -> dict[str, list[str]]:
    """canonical company field → [column] for unmapped columns whose content gives them away."""
    found: dict[str, list[str]] = {}
    if not candidates:
        return found
    install_macros(con)   # inn_valid: the Russian INN and Kazakh BIN/IIN checksums (canonical/macros.sql)
    for col in candidates:
        c = qident(col)
        n, digits, urls = con.execute(
            f"""SELECT count(*) FILTER (WHERE nullif(trim({c}), '') IS NOT NULL),
                       count(*) FILTER (WHERE regexp_full_match(trim({c}), '[0-9]{{10}}|[0-9]{{12}}')),
                       count(*) FILTER (WHERE regexp_full_match(lower(trim({c})), '{_URL}') AND NOT contains({c}, '@'))
                FROM {table}""").fetchone()
        if n < MIN_FILLED:
            continue
        if "inn" not in mapped and "inn" not in found and digits >= SHARE * n:
            valid = con.execute(
                f"SELECT count(*) FILTER (WHERE inn_valid(trim({c}))) FROM {table} "
                f"WHERE regexp_full_match(trim({c}), '[0-9]{{10}}|[0-9]{{12}}')").fetchone()[0]
            if valid >= VALID_SHARE * digits:
                found["inn"] = [col]
                continue
        if "website" not in mapped and "website" not in found and urls >= SHARE * n:
            found["website"] = [col]
    inn_col = (mapped.get("inn") or found.get("inn") or [None])[0]
    if inn_col and "kpp" not in mapped:
        for col in candidates:
            if col in (inn_col, *(found.get("website") or [])):
                continue
            c, i = qident(col), qident(inn_col)
            n, shaped, same_office = con.execute(
                f"""SELECT count(*) FILTER (WHERE nullif(trim({c}), '') IS NOT NULL),
                           count(*) FILTER (WHERE regexp_full_match(trim({c}), '[0-9]{{4}}[0-9A-Z]{{2}}[0-9]{{3}}')),
                           count(*) FILTER (WHERE regexp_full_match(trim({c}), '[0-9]{{4}}[0-9A-Z]{{2}}[0-9]{{3}}')
                                            AND left(trim({c}), 4) = left(regexp_replace(coalesce({i}, ''), '[^0-9]', '', 'g'), 4))
                    FROM {table}""").fetchone()
            if n >= MIN_FILLED and shaped >= SHARE * n and same_office >= VALID_SHARE * shaped:
                found["kpp"] = [col]
                break
    return found


def describe(found: dict[str, list[str]]) -> list[str]:
    names = {"inn": "INNs", "kpp": "KPPs", "website": "websites"}
    return [f"column «{cols[0]}» holds {names[f]} (recognised by content) and is read as {f}" for f, cols in found.items()]
