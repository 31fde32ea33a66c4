"""The committed sample exports: reproducible, in the real systems' byte formats, and counted
correctly in TRUTH.json."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
GENERATOR = SAMPLE / "generate.py"
EXPORTS = SAMPLE / "exports"
HAND_WRITTEN = {"generate.py", "README.md", "self_assessment.yaml"}
CML_NS = "urn:1C.ru:commerceml_2"
XSD = Path("/work/shared/real_exports/commerceml/commerceml-2.10.xsd")


def generated_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and p.name not in HAND_WRITTEN and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((SAMPLE / "TRUTH.json").read_text(encoding="utf-8"))


def bitrix_files() -> list[Path]:
    return sorted((EXPORTS / "bitrix24").glob("*.csv"))


def bitrix_records(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def master_rows() -> list[list[str]]:
    with open(EXPORTS / "telephony" / "Master.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# --------------------------------------------------------------------------- (a) reproducible

def test_regenerating_gives_identical_bytes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True)
    committed = generated_files(SAMPLE)
    fresh = generated_files(tmp_path)
    assert fresh == committed
    for rel in committed:
        assert (tmp_path / rel).read_bytes() == (SAMPLE / rel).read_bytes(), rel


def test_total_size_is_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 3_000_000


# --------------------------------------------------------------------------- (b) formats

def test_bitrix_file_names_look_like_step_export() -> None:
    names = [p.name for p in bitrix_files()]
    assert len(names) == 4
    for prefix in ("DEAL", "CONTACT", "COMPANY", "LEAD"):
        assert any(re.fullmatch(prefix + r"_20261120_[0-9a-f]{8}_[0-9a-f]{13}\.csv", n) for n in names), prefix


@pytest.mark.parametrize("path", bitrix_files(), ids=lambda p: p.name.split("_")[0])
def test_bitrix_csv_bytes(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    text = raw[3:].decode("utf-8")
    assert text.endswith(";\n")
    record_re = re.compile(r'(?:"(?:[^"]|"")*";)+')
    # physical lines; a quoted cell may span lines, so a record ends where quotes balance
    pending = ""
    records = []
    for line in text.split("\n")[:-1]:
        pending = pending + "\n" + line if pending else line
        if pending.count('"') % 2 == 0:
            assert pending.endswith('";'), pending[-40:]
            assert record_re.fullmatch(pending), pending[:80]
            records.append(pending)
            pending = ""
    assert pending == ""
    header = records[0]
    cells = header[:-1].split(";")
    assert all(c.startswith('"') and c.endswith('"') for c in cells)
    widths = {len(r) for r in bitrix_records(path)}
    assert len(widths) == 1          # every record has the header's width (+ the trailing empty cell)


def test_bitrix_deals_content() -> None:
    path = next(p for p in bitrix_files() if p.name.startswith("DEAL_"))
    rows = bitrix_records(path)
    head = rows[0]
    assert {"ID", "Сумма", "Компания", "Стадия сделки", "Дата завершения", "Причина отказа"} <= set(head)
    assert any(h.startswith("UF_CRM_") for h in head)
    stages = {r[head.index("Стадия сделки")] for r in rows[1:]}
    assert "Cчёт на предоплату" in stages and "Счёт на предоплату" in stages      # Latin C and Cyrillic С
    assert "\u0043чёт на предоплату" in stages
    date_re = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}")
    for r in rows[1:]:
        assert date_re.fullmatch(r[head.index("Дата создания")])
        amount = r[head.index("Сумма")]
        assert amount == "" or re.fullmatch(r"\d+\.\d{2}", amount)
    assert any("\n" in c for r in rows[1:] for c in r)       # a multi-line comment exists


def test_master_csv_is_headerless_cdr_csv() -> None:
    raw = (EXPORTS / "telephony" / "Master.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    rows = master_rows()
    assert rows and all(len(r) == 21 for r in rows)
    assert not rows[0][9].lower().startswith("start")
    ts = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert len(lines) == len(rows)
    for line, r in zip(lines, rows):
        assert re.search(r'"DOCUMENTATION","\d+\.\d+","","","\d+\.\d+",\d+$', line), line  # sequence bare
        assert re.search(r'",\d+,\d+,"(ANSWERED|NO ANSWER|BUSY)","DOCUMENTATION"', line)   # ints bare
        assert ts.fullmatch(r[9]) and ts.fullmatch(r[11])
        if r[14] == "ANSWERED":
            assert ts.fullmatch(r[10])
        else:
            assert r[10] == "" and f'"{r[9]}",,"{r[11]}"' in line            # empty, unquoted answer
    linked = {}
    for r in rows:
        linked.setdefault(r[19], []).append(r)
    multi = [legs for legs in linked.values() if len(legs) > 1]
    assert multi and all(sum(l[14] == "ANSWERED" for l in legs) <= 1 for legs in multi)
    inbound_src = {r[1] for r in rows if r[3] in ("ext-group", "from-did-direct")}
    assert any(s.startswith("8") for s in inbound_src)
    assert any(s.startswith("+7") for s in inbound_src)
    assert any(s.startswith("7") for s in inbound_src)


def test_counterparty_inn_cells_are_text() -> None:
    ws = openpyxl.load_workbook(EXPORTS / "1c" / "Контрагенты.xlsx").active
    head = [c.value for c in ws[1]]
    inn_col, kpp_col = head.index("ИНН"), head.index("КПП")
    inns = []
    for row in ws.iter_rows(min_row=2):
        for cell in (row[inn_col], row[kpp_col]):
            if cell.value is not None:
                assert cell.data_type == "s", cell.coordinate
        if row[inn_col].value is not None:
            inns.append(row[inn_col].value)
    assert any(v.startswith("0") for v in inns)


@pytest.mark.parametrize("name,column", [("Счета на оплату.xlsx", "Сумма"),
                                         ("Реализация товаров и услуг.xlsx", "Сумма"),
                                         ("Поступление на расчетный счет.xlsx", "Сумма документа")])
def test_document_sums_are_numbers_and_dates_russian(name: str, column: str) -> None:
    wb = openpyxl.load_workbook(EXPORTS / "1c" / name)
    ws = wb.active
    assert ws.title == "TDSheet"
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        assert row[head.index(column)].data_type == "n"
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", row[head.index("Дата")].value)
    assert wb.properties.modified.year == 2026 and wb.properties.created == wb.properties.modified


def test_commerceml_parses_with_namespace() -> None:
    path = EXPORTS / "1c" / "commerceml" / "documents.xml"
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{CML_NS}}}КоммерческаяИнформация"
    assert root.get("ВерсияСхемы") == "2.10" and root.get("ДатаФормирования")
    ops = {d.findtext(f"{{{CML_NS}}}ХозОперация") for d in root.iter(f"{{{CML_NS}}}Документ")}
    assert ops == {"Счет на оплату", "Отпуск товара"}
    for d in root.iter(f"{{{CML_NS}}}Документ"):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.findtext(f"{{{CML_NS}}}Дата"))
        assert re.fullmatch(r"\d+\.\d{2}", d.findtext(f"{{{CML_NS}}}Сумма"))
        assert d.find(f".//{{{CML_NS}}}Контрагент/{{{CML_NS}}}ИНН") is not None
    if XSD.exists():
        schema = etree.XMLSchema(etree.parse(str(XSD)))
        assert schema.validate(etree.parse(str(path))), schema.error_log


# --------------------------------------------------------------------------- (c) truth counts

def count_records(rel: str) -> int:
    path = EXPORTS / rel
    if rel.startswith("bitrix24/"):
        return len(bitrix_records(path)) - 1
    if rel.endswith(".xlsx"):
        ws = openpyxl.load_workbook(path).active
        return sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row))
    if rel.endswith(".xml"):
        return len(etree.parse(str(path)).getroot().findall(f"{{{CML_NS}}}Документ"))
    if rel.endswith("Master.csv"):
        return len(master_rows())
    raise AssertionError(rel)


def test_truth_lists_every_file(truth: dict) -> None:
    assert sorted(truth["files"]) == generated_files(EXPORTS)


def test_truth_record_counts_match_files(truth: dict) -> None:
    for rel, info in truth["files"].items():
        assert count_records(rel) == info["records"], rel


CONTRACT_METRICS = [
    "duplicates.contacts.redundant_share", "duplicates.companies.redundant_share",
    "duplicates.counterparties.redundant_share", "completeness.contacts.phone",
    "completeness.contacts.email", "completeness.companies.inn", "completeness.deals.amount",
    "completeness.deals.source", "completeness.counterparties.inn",
    "validity.contacts.phone_invalid_share", "validity.contacts.email_invalid_share",
    "validity.companies.inn_invalid_share", "validity.counterparties.inn_invalid_share",
    "refusal.deals.lost_without_reason_share", "refusal.deals.catch_all_reason_share",
    "cross.counterparties.unmatched_share", "cross.companies.unmatched_share",
    "cross.matched.conflict_share", "cross.deals.won_without_document_share",
    "cross.payments.without_deal_share", "cross.calls.inbound_unlinked_share",
    "process.deals.stuck_share", "process.calls.missed_without_callback_share",
    "process.leads.first_response_median_minutes", "automation.leads.routing_determinism",
    "automation.records.system_created_share", "automation.deals.score_auc",
    "volume.deals.closed_count", "volume.deals.closed_last_12_months",
]


def test_truth_has_every_contract_metric_and_consistent_shares(truth: dict) -> None:
    metrics = truth["metrics"]
    assert set(CONTRACT_METRICS) <= set(metrics)
    for mid, m in metrics.items():
        if "numerator" in m:
            assert 0 <= m["numerator"] <= m["denominator"], mid
            assert m["value"] == pytest.approx(m["numerator"] / m["denominator"], abs=1e-6), mid
    assert metrics["automation.deals.score_auc"]["value"] is None
    q = truth["maturity"]["questions"]
    assert [q[k]["level_signal"] for k in ("Q1", "Q2", "Q3", "Q5")] == [1, 2, 2, 1]
    assert truth["maturity"]["level"] == 1


def test_truth_counts_agree_with_simple_file_facts(truth: dict) -> None:
    """A few metrics whose truth can be read straight off a file, as a cross-check of the model."""
    deals = next(p for p in bitrix_files() if p.name.startswith("DEAL_"))
    rows = bitrix_records(deals)
    head, body = rows[0], rows[1:]
    stage, reason = head.index("Стадия сделки"), head.index("Причина отказа")
    lost = [r for r in body if r[stage] in ("Сделка провалена", "Анализ причины провала")]
    m = truth["metrics"]["refusal.deals.lost_without_reason_share"]
    assert m["denominator"] == len(lost)
    assert m["numerator"] == sum(1 for r in lost if r[reason] == "")
    won = sum(1 for r in body if r[stage] == "Сделка успешна")
    assert truth["metrics"]["volume.deals.closed_count"]["value"] == won + len(lost)
    calls = {r[19] for r in master_rows() if r[3] in ("ext-group", "from-did-direct")}
    assert truth["metrics"]["process.calls.missed_without_callback_share"]["inbound_calls"] == len(calls)
