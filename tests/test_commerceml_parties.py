"""1C counterparties derived from CommerceML documents when no counterparty list is exported
(issue: counterparties inside CommerceML). The documents are written as a CommerceML 2.10
exchange is (FORMATS.md §3.2: `Документ/Контрагенты/Контрагент` with `Ид`, `Наименование`,
`ОфициальноеНаименование`, `ИНН`, `КПП`, `Контакты`), reusing the writers of test_onec.py."""
from __future__ import annotations

import duckdb
from export_writers import bitrix_csv
from test_onec import INN_ORG, INN_PERSON, INN_ZERO, cml_document, cml_party

from checks.runner import run_checks
from connectors.load import discover, load


def _exchange(tmp_path, docs: list[str]):
    text = "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10" '
                      'ДатаФормирования="2026-11-20T10:00:00">', *docs, "</КоммерческаяИнформация>"])
    path = tmp_path / "to_site.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _docs():
    bns = cml_party("p-1", "Башнефтьснаб ООО", 'ООО "Башнефтьснаб"', INN_ZERO, "027401001", "+7 347 246-11-22",
                    "info@bns.ru", "Покупатель")
    ivanov = cml_party("p-2", "Иванов И.И.", "Иванов Иван Иванович", INN_PERSON, None, None, None, "Покупатель", person=True)
    # the same firm under two catalogue entries (two Ид, one INN): a real 1C duplicate, kept as two
    sber_a = cml_party("p-3", "Сбербанк", "ПАО Сбербанк", INN_ORG, "773601001", None, None, "Покупатель")
    sber_b = cml_party("p-4", "Сбербанк ПАО", "ПАО Сбербанк", INN_ORG, "773601001", None, None, "Покупатель")
    return [
        cml_document("d-1", "ЗК-1", "2026-10-01", "Заказ товара", "100.00", bns, {}),
        cml_document("d-2", "СЧ-1", "2026-10-02", "Счет на оплату", "200.00", bns, {}),
        cml_document("d-3", "ЗК-2", "2026-10-03", "Заказ товара", "300.00", ivanov, {}),
        cml_document("d-4", "ЗК-3", "2026-10-04", "Заказ товара", "400.00", sber_a, {}),
        cml_document("d-5", "ЗК-4", "2026-10-05", "Отпуск товара", "500.00", sber_b, {}),
        cml_document("d-6", "ЗК-5", "2026-10-06", "Заказ товара", "600.00", sber_b, {}),
    ]


def test_counterparties_built_from_documents(tmp_path):
    path = _exchange(tmp_path, _docs())
    con = duckdb.connect()
    reports, counts = load(discover([str(path)]), con)
    assert [(r.entity, r.rows_read) for r in reports] == [("documents", 6)]   # inputs: only what the file holds
    assert counts["counterparties"] == 4
    got = con.execute("SELECT ref, name, full_name, inn, kpp, phones, emails FROM stg.counterparties ORDER BY ref").fetchall()
    assert got[0] == ("p-1", "Башнефтьснаб ООО", 'ООО "Башнефтьснаб"', INN_ZERO, "027401001", ["+73472461122"],
                      ["info@bns.ru"])
    assert [g[0] for g in got] == ["p-1", "p-2", "p-3", "p-4"]
    assert con.execute("SELECT entity, records FROM meta.derived").fetchall() == [("counterparties", 4)]

    m = run_checks(con).metrics
    dup = m["duplicates.counterparties.redundant_share"]
    assert (dup.numerator, dup.denominator) == (1, 4)       # p-3 and p-4: one INN
    assert m["completeness.counterparties.inn"].value == 1.0
    assert m["validity.counterparties.inn_invalid_share"].value == 0.0
    assert dup.details["derived"][0]["records"] == 4 and "CommerceML" in dup.details["derived"][0]["rule"]


def test_cross_system_metrics_measured_against_derived_counterparties(tmp_path):
    path = _exchange(tmp_path, _docs())
    header = ["ID", "Название компании", "Телефон", "ИНН", "Дата создания"]
    crm = bitrix_csv(tmp_path / "COMPANY.csv", header, [
        ["1", "ООО Башнефтьснаб", "+7 347 246-11-22", INN_ZERO, "01.09.2026 10:00:00"],
        ["2", "ООО Незнакомец", "", "", "01.09.2026 10:00:00"]])
    con = duckdb.connect()
    load(discover([str(path), str(crm)]), con)
    m = run_checks(con).metrics
    cp = m["cross.counterparties.unmatched_share"]
    assert (cp.numerator, cp.denominator) == (3, 4)         # only p-1 has a CRM company
    assert (m["cross.companies.unmatched_share"].numerator, m["cross.companies.unmatched_share"].denominator) == (1, 2)


def test_a_counterparty_list_beside_the_documents_wins(tmp_path):
    """With a list exported too, the documents' parties are not counted again."""
    docs = _docs()[:2]
    listed = cml_party("p-9", "Лютик ООО", 'ООО "Лютик"', INN_ORG, None, None, None)
    path = _exchange(tmp_path, [*docs, f"  <Контрагенты>{listed}</Контрагенты>"])
    con = duckdb.connect()
    _, counts = load(discover([str(path)]), con)
    assert counts["counterparties"] == 1
    assert con.execute("SELECT count(*) FROM meta.derived").fetchone()[0] == 0
