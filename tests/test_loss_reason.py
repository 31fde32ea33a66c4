"""Loss reasons kept in custom fields: found by title (several languages) or by content, and named.

Salesforce has no standard loss-reason field (orgs add `Loss_Reason__c`, `Reason_Lost__c`...;
FORMATS.md §5.1), Bitrix24 neither (a `UF_CRM_…` list field, §1.5), amoCRM custom columns carry
titles such as `Причина отказа ОП`.
"""
from __future__ import annotations

import csv
import json

import duckdb
import pytest

from checks.runner import run_checks
from connectors.load import discover, load
from connectors.systems import amocrm, bitrix24, salesforce
from export_writers import bitrix_csv

LOST_ID = "lost_without_reason"


@pytest.mark.parametrize("profile,title", [
    (salesforce.OPPORTUNITIES, "Loss_Reason__c"), (salesforce.OPPORTUNITIES, "LossReason__c"),
    (salesforce.OPPORTUNITIES, "Reason_Lost__c"), (salesforce.OPPORTUNITIES, "Closed_Lost_Reason__c"),
    (salesforce.OPPORTUNITIES, "Motivo de pérdida"), (salesforce.OPPORTUNITIES, "Verlustgrund"),
    (salesforce.OPPORTUNITIES, "Raison de la perte"), (salesforce.OPPORTUNITIES, "Reason for Loss"),
    (amocrm.DEALS, "Причина отказа ОП"), (bitrix24.DEALS, "Причина провала"), (bitrix24.DEALS, "Причина відмови"),
])
def test_loss_reason_found_by_title(profile, title):
    header = ["Id", "Name", "StageName", "Amount", "Description", title] if profile.system == "salesforce" else \
        ["ID", "Название сделки", "Стадия сделки", "Этап сделки", "Комментарий", title]
    assert profile.map_columns(header)["loss_reason"] == [title]


def test_no_loss_reason_title_among_ordinary_columns():
    header = ["Id", "Name", "StageName", "Amount", "Description", "NextStep", "Type", "LeadSource"]
    assert "loss_reason" not in salesforce.OPPORTUNITIES.map_columns(header)


B24_HEADER = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Компания", "Ответственный", "Дата создания",
              "UF_CRM_1753862633986", "UF_CRM_1700000000001", "UF_CRM_1700000000002"]
REASONS = ["Дорого", "Выбрали конкурента", "Нет бюджета", "Не дозвонились", "Дорого", "Передумали"]


def _b24_rows():
    rows = []
    for i in range(40):
        stage = ["Сделка провалена", "Сделка успешна", "В работе", "Анализ причины провала"][i % 4]
        lost = "провал" in stage
        reason = REASONS[i % len(REASONS)] if lost and i % 8 != 0 else ""  # 15 of 20 lost deals carry a reason
        note = f"звонок {i}"  # a note filled on every deal: not a loss reason
        rows.append([str(1000 + i), f"Сделка {i}", stage, "10000", "Российский рубль", f"ООО Клиент {i}", "Мария",
                     "12.03.2024 10:00:00", reason, note, f"{i}.5" if lost else ""])
    return rows


def test_loss_reason_found_by_content_and_named(tmp_path):
    path = bitrix_csv(tmp_path / "DEAL_20240312.csv", B24_HEADER, _b24_rows())
    con = duckdb.connect()
    [rep], _ = load(discover([str(path)]), con)
    assert (rep.system, rep.entity) == ("bitrix24", "deals")
    assert rep.mapped["loss_reason"] == ["UF_CRM_1753862633986"] and rep.found_by == {"loss_reason": "content"}
    assert any(w.startswith("loss reason read from column `UF_CRM_1753862633986`, found by its content (filled on 75% "
                            "of 20 lost deals, 0% of the others)") for w in rep.warnings), rep.warnings
    assert con.execute("SELECT matched_by FROM meta.columns WHERE field = 'loss_reason'").fetchall() == [("content",)]
    assert con.execute("SELECT matched_by FROM meta.columns WHERE field = 'stage'").fetchall() == [("title",)]
    m = run_checks(con, only=lambda c: c.id.startswith("refusal.")).metrics["refusal.deals." + LOST_ID + "_share"]
    assert (m.numerator, m.denominator, m.value) == (5, 20, 0.25)
    assert m.details == {"loss_reason_columns": [{"file": rep.path, "column": "UF_CRM_1753862633986", "found_by": "content"}]}
    assert json.dumps(m.to_json(), ensure_ascii=False)


def test_no_column_taken_when_none_is_filled_mostly_on_lost_deals(tmp_path):
    rows = [r[:8] + ["", r[9], r[10]] for r in _b24_rows()]  # the reason column empty
    path = bitrix_csv(tmp_path / "DEAL.csv", B24_HEADER, rows)
    con = duckdb.connect()
    [rep], _ = load(discover([str(path)]), con)
    assert "loss_reason" not in rep.mapped and rep.found_by == {}
    m = run_checks(con, only=lambda c: c.id.startswith("refusal.")).metrics["refusal.deals." + LOST_ID + "_share"]
    assert (m.numerator, m.denominator, m.value) == (20, 20, 1.0)
    assert m.details == {"loss_reason_columns": []}


def test_salesforce_custom_field_by_title_is_named_as_title(tmp_path):
    path = tmp_path / "Opportunity.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(["Id", "AccountId", "Name", "StageName", "Amount", "Probability", "CloseDate", "IsClosed", "IsWon",
                    "OwnerId", "CreatedDate", "Reason_Lost__c"])
        w.writerow(["0065g00000AbCdEAA1", "0015g00000XyZ01AAA", "Acme", "Closed Lost", "100", "0", "2024-01-15", "true",
                    "false", "0055g000001OwnAAA", "2023-11-02T09:15:00.000Z", "Price"])
        w.writerow(["0065g00000AbCdEAA2", "0015g00000XyZ01AAA", "Acme 2", "Closed Lost", "100", "0", "2024-01-16", "true",
                    "false", "0055g000001OwnAAA", "2023-11-02T09:15:00.000Z", ""])
    con = duckdb.connect()
    [rep], _ = load(discover([str(path)]), con)
    assert rep.mapped["loss_reason"] == ["Reason_Lost__c"] and rep.found_by == {}
    m = run_checks(con, only=lambda c: c.id.startswith("refusal.")).metrics["refusal.deals." + LOST_ID + "_share"]
    assert (m.numerator, m.denominator) == (1, 2)
    assert m.details["loss_reason_columns"] == [{"file": rep.path, "column": "Reason_Lost__c", "found_by": "title"}]
