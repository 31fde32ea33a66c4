"""Completeness, validity, refusal, process, automation, sanity and volume checks on tiny exports
with exact expected numbers, including zero, all-blank and n/a cases."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from export_writers import bitrix_csv, broken, inn10

from checks.runner import run_checks
from connectors.load import discover, load

AS_OF = dt.date(2026, 11, 20)
DEAL_HEADER = ["ID", "Название сделки", "Сумма", "Стадия сделки", "Причина отказа", "Источник", "Ответственный",
               "Кем создана", "Вероятность", "Дата создания", "Дата изменения", "Дата завершения", "Город"]
CONTACT_HEADER = ["ID", "Имя", "Фамилия", "Телефон", "E-mail", "Компания", "Дата создания"]
COMPANY_HEADER = ["ID", "Название компании", "Телефон", "ИНН", "Дата создания"]


def deal(id_, stage, amount="100000.00", reason="", source="Веб-сайт", owner="Анна", creator="Анна", prob="",
         created="01.10.2026 10:00:00", modified="15.11.2026 10:00:00", closed="", city="Москва"):
    return [id_, f"Сделка {id_}", amount, stage, reason, source, owner, creator, prob, created, modified, closed, city]


def run(tmp_path, deals=None, contacts=None, companies=None):
    paths = []
    if deals is not None:
        paths.append(bitrix_csv(tmp_path / "DEAL.csv", DEAL_HEADER, deals))
    if contacts is not None:
        paths.append(bitrix_csv(tmp_path / "CONTACT.csv", CONTACT_HEADER, contacts))
    if companies is not None:
        paths.append(bitrix_csv(tmp_path / "COMPANY.csv", COMPANY_HEADER, companies))
    con = duckdb.connect()
    load(discover([str(p) for p in paths]), con)
    return con, run_checks(con, as_of=AS_OF).metrics


def nd(m):
    return (m.numerator, m.denominator, m.value)


WON, LOST, LOST2, OPEN = "Сделка успешна", "Сделка провалена", "Анализ причины провала", "Cчёт на предоплату"


def test_refusal_and_volume(tmp_path):
    _, m = run(tmp_path, deals=[
        deal("1", WON, closed="01.11.2026 12:00:00"),
        deal("2", LOST, reason="Дорого", closed="02.11.2026 12:00:00"),
        deal("3", LOST2, reason="", closed="03.11.2025 12:00:00"),       # analysis stage: lost, no reason
        deal("4", LOST, reason="Другое", closed="04.10.2024 12:00:00"),   # catch-all, older than a year
        deal("5", LOST, reason="нет", closed="05.11.2026 12:00:00"),      # a placeholder is blank
        deal("6", OPEN),                                                  # Latin-C stage is open
    ])
    assert nd(m["refusal.deals.lost_without_reason_share"]) == (2, 4, 0.5)
    assert m["refusal.deals.lost_without_reason_share"].evidence.ids == ("3", "5")
    assert nd(m["refusal.deals.catch_all_reason_share"]) == (1, 2, 0.5)
    assert nd(m["volume.deals.closed_count"]) == (5, 6, 5)
    assert m["volume.deals.closed_last_12_months"].value == 3  # 01.11.2026, 02.11.2026, 05.11.2026


def test_refusal_with_no_lost_deals_is_not_a_zero(tmp_path):
    _, m = run(tmp_path, deals=[deal("1", WON, closed="01.11.2026 12:00:00"), deal("2", OPEN)])
    x = m["refusal.deals.lost_without_reason_share"]
    assert (x.value, x.status, x.denominator) == (None, "n/a", 0) and x.reason


def test_stuck_deals_and_per_stage(tmp_path):
    _, m = run(tmp_path, deals=[
        deal("1", OPEN, modified="01.11.2026 10:00:00"),    # 19 days idle: stuck
        deal("2", OPEN, modified="10.11.2026 10:00:00"),    # 10 days: moving
        deal("3", "В работе", modified="", created="01.09.2026 10:00:00"),  # no change: creation counts
        deal("4", WON, modified="01.01.2026 10:00:00", closed="01.01.2026 10:00:00"),  # closed: not counted
    ])
    assert nd(m["process.deals.stuck_share"]) == (2, 3, pytest.approx(2 / 3, abs=1e-6))
    assert set(m["process.deals.stuck_share"].evidence.ids) == {"1", "3"}
    per_stage = {d["stage"]: (d["stuck"], d["open"]) for d in m["process.deals.stuck_by_stage"].details["breakdown"]}
    assert per_stage == {OPEN: (1, 2), "В работе": (1, 1)}
    assert m["process.deals.stuck_by_stage"].value == 1.0


def test_completeness_zero_and_all_blank(tmp_path):
    _, m = run(tmp_path, deals=[deal("1", OPEN, amount="0", source="-"), deal("2", OPEN, amount="", source="")],
               contacts=[["1", "Иван", "Петров", "", "", "", ""], ["2", "Анна", "Ли", "не указано", "", "", ""]])
    assert nd(m["completeness.deals.amount"]) == (0, 2, 0.0)      # zero is not an amount
    # contract: a column empty (or absent) for the whole population is a missing input, not a 0
    for mid, field in (("completeness.deals.source", "source"), ("completeness.contacts.phone", "phone")):
        assert (m[mid].value, m[mid].status) == (None, "n/a"), mid
        assert f"has a {field}:" in m[mid].reason, mid
    # with no phone at all, validity has nothing to judge: n/a, not 0
    assert m["validity.contacts.phone_invalid_share"].status == "n/a"
    # a field no export has is 0 filled, measured
    assert nd(m["completeness.deals.currency"]) == (0, 2, 0.0)


def test_validity_counts_numbers_and_checksums(tmp_path):
    _, m = run(tmp_path,
               contacts=[["1", "Иван", "Петров", "8 (916) 123-45-67, 12345", "ivan@mail.ru", "", ""],
                         ["2", "Анна", "Ли", "+7 903 765 43 21", "anna @mail.ru", "", ""],
                         ["3", "Олег", "Сидоров", "", "oleg@yandex.ru; o.s@gmail.com", "", ""]],
               companies=[["1", "ООО «Ромашка»", "", inn10("770708389"), ""],
                          ["2", "ООО «Лютик»", "", broken(inn10("500100732")), ""],
                          ["3", "ИП Иванов", "", "12345", ""],
                          ["4", "АО «Вектор»", "", "", ""]])
    assert nd(m["validity.contacts.phone_invalid_share"]) == (1, 3, pytest.approx(1 / 3, abs=1e-6))  # per number
    assert m["validity.contacts.phone_invalid_share"].evidence.ids == ("1",)
    assert nd(m["validity.contacts.email_invalid_share"]) == (1, 4, 0.25)
    assert nd(m["completeness.companies.inn"]) == (3, 4, 0.75)
    assert nd(m["validity.companies.inn_invalid_share"]) == (2, 3, pytest.approx(2 / 3, abs=1e-6))
    assert set(m["validity.companies.inn_invalid_share"].evidence.ids) == {"2", "3"}


def test_routing_determinism_rule_vs_random(tmp_path):
    rule = [deal(str(i), OPEN, source=s, city=c, owner={"Москва": "Анна", "Казань": "Олег"}[c])
            for i, (s, c) in enumerate([("Сайт", "Москва"), ("Звонок", "Казань")] * 10)]
    _, m = run(tmp_path, deals=rule)
    assert m["automation.leads.routing_determinism"].value == pytest.approx(1.0)
    # the same owners, independent of source and city: H(owner | source, city) = H(owner)
    rnd = [deal(str(i), OPEN, source="Сайт", city="Москва", owner=("Анна", "Олег")[i % 2]) for i in range(20)]
    _, m = run(tmp_path, deals=rnd)
    assert m["automation.leads.routing_determinism"].value == pytest.approx(0.0, abs=1e-9)
    one = [deal(str(i), OPEN, owner="Анна") for i in range(5)]
    _, m = run(tmp_path, deals=one)
    x = m["automation.leads.routing_determinism"]
    assert x.value is None and "single owner" in x.reason


def test_system_created_and_bots(tmp_path):
    _, m = run(tmp_path, deals=[
        deal("1", OPEN, creator="Робот: смена стадии"), deal("2", OPEN, creator="CRM-форма"),
        deal("3", OPEN, creator="Чат-бот Алиса"), deal("4", OPEN, creator="Иван Работников"),
        deal("5", OPEN, creator=""),
    ])
    assert nd(m["automation.records.system_created_share"]) == (3, 4, 0.75)
    assert nd(m["automation.records.bot_created_share"]) == (1, 4, 0.25)


def test_score_auc_real_score_and_stage_mirror(tmp_path):
    scored = [deal("1", WON, prob="90", closed="01.11.2026 10:00:00"), deal("2", WON, prob="40", closed="01.11.2026 10:00:00"),
              deal("3", LOST, prob="60", closed="01.11.2026 10:00:00"), deal("4", LOST, prob="10", closed="01.11.2026 10:00:00"),
              deal("5", OPEN, prob="50")]
    _, m = run(tmp_path, deals=scored)
    # pairs (won, lost): 90>60, 90>10, 40<60, 40>10 → 3 of 4
    assert m["automation.deals.score_auc"].value == pytest.approx(0.75)
    mirror = [deal("1", WON, prob="100", closed="01.11.2026 10:00:00"), deal("2", LOST, prob="0", closed="01.11.2026 10:00:00"),
              deal("3", WON, prob="100", closed="01.11.2026 10:00:00"), deal("4", OPEN, prob="30")]
    _, m = run(tmp_path, deals=mirror)
    x = m["automation.deals.score_auc"]
    assert x.value is None and "mirrors the stage" in x.reason


def test_sanity_dates_and_amounts(tmp_path):
    _, m = run(tmp_path, deals=[
        deal("1", WON, amount="0", created="10.10.2026 10:00:00", closed="01.10.2026 10:00:00"),  # closed before created
        deal("2", OPEN, amount="-5000", created="01.10.2062 10:00:00", modified=""),             # typo year, negative
        deal("3", WON, amount="1 500,50", closed="01.11.2026 10:00:00"),
    ])
    assert nd(m["sanity.deals.closed_before_created"]) == (1, 2, 0.5)
    assert nd(m["sanity.deals.won_zero_amount"]) == (1, 2, 0.5)
    assert nd(m["sanity.deals.negative_amount"])[:2] == (1, 3)
    assert m["sanity.records.future_dates"].numerator == 1
    assert m["sanity.records.future_dates"].evidence.ids == ("2",)


def test_reason_profile_flags_the_first_reason_habit(tmp_path):
    deals = [deal(f"a{i}", LOST, reason="Дорого", owner="Анна", closed="01.11.2026 10:00:00") for i in range(10)]
    deals += [deal(f"b{i}", LOST, reason=r, owner="Олег", closed="01.11.2026 10:00:00")
              for i, r in enumerate(["Выбрали конкурента", "Нет бюджета", "Не дозвонились"] * 4)]
    _, m = run(tmp_path, deals=deals)
    x = m["refusal.deals.reason_by_owner"]
    assert (x.value, x.numerator, x.denominator) == (1, 1, 2)
    flagged = [d["owner"] for d in x.details["breakdown"] if d["flagged"]]
    assert flagged == ["Анна"] and x.evidence.total == 10


def test_without_exports_everything_is_na_with_a_reason(tmp_path):
    _, m = run(tmp_path, contacts=[["1", "Иван", "Петров", "+79161234567", "", "", ""]])
    for mid in ("refusal.deals.lost_without_reason_share", "volume.deals.closed_count", "cross.deals.won_without_document_share",
                "process.calls.missed_without_callback_share", "completeness.counterparties.inn"):
        assert m[mid].value is None and m[mid].status == "n/a" and m[mid].reason, mid


def test_score_auc_probability_set_by_stage_is_no_prediction(tmp_path):
    """Salesforce fills Probability from the stage: 100 on won, 0 on lost. A few open deals off
    their stage's value (a manager typed 35 instead of 30) do not make it a prediction."""
    closed = "01.11.2026 10:00:00"
    deals = ([deal(str(i), WON, prob="100", closed=closed) for i in range(10)]
             + [deal(str(10 + i), LOST, prob="0", closed=closed) for i in range(10)]
             + [deal(str(20 + i), OPEN, prob="30" if i else "35") for i in range(5)])
    _, m = run(tmp_path, deals=deals)
    x = m["automation.deals.score_auc"]
    assert x.value is None and (x.numerator, x.denominator) == (10, 20)
    assert "mirrors the stage and outcome (100 % of closed deals" in x.reason
    # one stage per value on every deal, closed ones included, with one deal off the pattern: set by the stage
    staged = ([deal(str(i), WON, prob="80", closed=closed) for i in range(10)]
              + [deal(str(10 + i), LOST, prob="20", closed=closed) for i in range(10)]
              + [deal("99", LOST, prob="100", closed=closed)] + [deal(str(30 + i), OPEN, prob="50") for i in range(9)])
    _, m = run(tmp_path, deals=staged)
    x = m["automation.deals.score_auc"]
    assert x.value is None and "only 3.3 % of scored deals differ" in x.reason
