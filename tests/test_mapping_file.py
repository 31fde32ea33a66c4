"""User YAML mapping files: an unknown export loads with the mapped fields; mistakes are one-line errors."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from connectors import registry
from connectors.load import discover, load
from connectors.mapping_file import load_mapping, load_mappings
from connectors.model import InputError
from connectors.sniff import peek

UNKNOWN_CSV = (
    "Номер заявки;Этап работы;Сумма заказа;Ответственный сотрудник;Тел. клиента;Моб. клиента;Заказчик;Открыта\n"
    "З-001;Оплачено;150 000,00;Иванов И.;8 (495) 123-45-67;+7 916 123-45-67;ООО «Ромашка»;01.02.2024 10:00\n"
    "З-002;Отказ клиента;20 000;Петров П.;;8-916-765-43-21;ИП Сидоров;05.02.2024 12:30\n"
    "З-003;В работе;;;;;АО Вектор;10.02.2024 09:00\n"
)

MAPPING = """\
system: mycrm
entity: deals
match: [Номер заявки, Этап работы, Сумма заказа]
delimiter: ";"
fields:
  record_id: Номер заявки
  stage: Этап работы
  amount: Сумма заказа
  owner: [Менеджер, Ответственный сотрудник]
  phone: [Тел. клиента, Моб. клиента]
  company_name: Заказчик
  created_at: Открыта
"""


@pytest.fixture
def unknown_csv(tmp_path):
    path = tmp_path / "zayavki.csv"
    path.write_text(UNKNOWN_CSV, encoding="utf-8")
    return path


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "mycrm.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def test_unknown_file_is_not_recognised_without_a_mapping(unknown_csv):
    con = duckdb.connect()
    (rep,), _ = load(discover([str(unknown_csv)]), con)
    assert rep.system == "unknown" and rep.problem.startswith("not recognised")


def test_mapping_makes_an_unknown_csv_load(unknown_csv, mapping):
    profiles = load_mappings([mapping])
    assert [(p.system, p.entity) for p in profiles] == [("mycrm", "deals")]
    best, problem = registry.detect(peek(unknown_csv), profiles)
    assert problem is None and (best.system, best.entity, best.confidence) == ("mycrm", "deals", 1.0)

    con = duckdb.connect()
    (rep,), counts = load(discover([str(unknown_csv)]), con, extra=profiles)
    assert (rep.system, rep.entity, rep.confidence, rep.problem) == ("mycrm", "deals", 1.0, None)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (3, 3, 0)
    assert rep.mapped == {"record_id": ["Номер заявки"], "stage": ["Этап работы"], "amount": ["Сумма заказа"],
                          "owner": ["Ответственный сотрудник"], "phone": ["Тел. клиента", "Моб. клиента"],
                          "company_name": ["Заказчик"], "created_at": ["Открыта"]}
    assert rep.unmapped == []
    assert counts["deals"] == 3
    rows = con.execute(
        "SELECT record_id, stage, amount, owner, phones, company_name_norm, created_at, _system "
        "FROM stg.deals ORDER BY _record").fetchall()
    assert rows[0] == ("З-001", "Оплачено", 150000.0, "Иванов И.", ["+74951234567", "+79161234567"], "ромашка",
                       dt.datetime(2024, 2, 1, 10), "mycrm")
    assert rows[1][:5] == ("З-002", "Отказ клиента", 20000.0, "Петров П.", ["+79167654321"])
    assert rows[2][2:5] == (None, None, [])


def test_mapping_wins_over_a_builtin_profile(tmp_path):
    """A matching user mapping takes a file the built-in profiles would also claim."""
    path = tmp_path / "calls.csv"
    path.write_text("date,direction,from,to,duration,status\n2024-03-01 09:00:00,incoming,+79161234567,101,120,answered\n",
                    encoding="utf-8")
    mp = tmp_path / "pbx.yml"
    mp.write_text("system: ourpbx\nentity: calls\nmatch: [date, from, to]\n"
                  "fields: {started_at: date, from_number: from, to_number: to, status: status, direction: direction}\n",
                  encoding="utf-8")
    con = duckdb.connect()
    (rep,), _ = load(discover([str(path)]), con, extra=load_mappings([mp]))
    assert (rep.system, rep.entity) == ("ourpbx", "calls")
    assert con.execute("SELECT call_direction, is_answered, from_e164 FROM stg.calls").fetchone() == (
        "inbound", True, "+79161234567")


def test_mapping_encoding_and_delimiter(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Код|Наименование|ИНН\n001|ООО Ромашка|7707083893\n002|ИП Петров|500100732259\n".encode("cp1251"))
    mp = tmp_path / "legacy.yaml"
    mp.write_text("system: legacy\nentity: companies\nmatch: [Код, Наименование]\ndelimiter: '|'\nencoding: windows-1251\n"
                  "fields:\n  record_id: Код\n  name: Наименование\n  inn: ИНН\n", encoding="utf-8")
    con = duckdb.connect()
    (rep,), _ = load(discover([str(path)]), con, extra=load_mappings([mp]))
    assert (rep.system, rep.entity, rep.encoding, rep.delimiter, rep.rows_loaded) == ("legacy", "companies", "cp1251", "|", 2)
    assert con.execute("SELECT name, inn, inn_valid FROM stg.companies ORDER BY _record").fetchall() == [
        ("ООО Ромашка", "7707083893", True), ("ИП Петров", "500100732259", True)]


def test_a_file_may_hold_several_mappings(tmp_path):
    mp = tmp_path / "many.yaml"
    mp.write_text("- {system: a, entity: deals, match: [X], fields: {title: X}}\n"
                  "- {system: b, entity: contacts, match: [Y], fields: {full_name: Y}}\n", encoding="utf-8")
    assert [(p.system, p.entity) for p in load_mapping(mp)] == [("a", "deals"), ("b", "contacts")]


@pytest.mark.parametrize("text, message", [
    ("system: x\nentity: deal\nmatch: [A]\nfields: {title: A}\n", "unknown entity 'deal'; use one of: companies"),
    ("system: x\nentity: deals\nmatch: [A]\nfields: {sum: A}\n", "unknown field 'sum' for deals; use one of: record_id"),
    ("system: x\nentity: deals\nfields: {title: A}\n", "`match:` is missing or empty; add it"),
    ("system: x\nentity: deals\nmatch: [A]\n", "`fields:` is missing or empty; add it"),
    ("system: x\nentity: deals\nmatch: [A]\nfields: {title: A}\ncolumns: 3\n", "unknown key 'columns'; use only system"),
    ("system: x\nentity: deals\nmatch: [A]\nfields: {title: {a: 1}}\n", "`fields.title` must be a column title"),
    ("system: x y\nentity: deals\nmatch: [A]\nfields: {title: A}\n", "system name 'x y' may use only"),
    ("system: x\nentity: deals\nmatch: [A]\ndelimiter: ';;'\nfields: {title: A}\n", "must be one character"),
    ("system: x\nentity: deals\nmatch: [A]\nencoding: klingon\nfields: {title: A}\n", "unknown encoding 'klingon'"),
    ("system: x\nentity: deals\n  match: [A\n", "invalid YAML at line"),
    ("just text\n", "not a mapping (expected keys"),
])
def test_bad_mapping_is_one_clear_line(tmp_path, text, message):
    mp = tmp_path / "bad.yaml"
    mp.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_mapping(mp)
    line = str(err.value)
    assert message in line and "\n" not in line and line.startswith(str(mp))


def test_two_mappings_of_one_system_and_entity_are_refused(tmp_path, mapping):
    twin = tmp_path / "twin.yaml"
    twin.write_text(MAPPING.replace("match: [Номер заявки, Этап работы, Сумма заказа]", "match: [Номер заявки]"),
                    encoding="utf-8")
    with pytest.raises(InputError, match="already maps mycrm deals; give one of them another system name"):
        load_mappings([mapping, twin])


def test_missing_mapping_file(tmp_path):
    with pytest.raises(InputError, match="no such mapping file; check the path"):
        load_mappings([tmp_path / "nope.yaml"])


def test_cli_bad_mapping_exits_2_without_traceback(tmp_path, unknown_csv):
    mp = tmp_path / "bad.yaml"
    mp.write_text("system: x\nentity: deals\nmatch: [A]\nfields: {sum: A}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["inspect", "--mapping", str(mp), str(unknown_csv)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "unknown field 'sum' for deals" in result.output
    assert len([ln for ln in result.output.splitlines() if ln.strip()]) == 1


def test_cli_mapping_option_is_repeatable(tmp_path, unknown_csv, mapping):
    other = tmp_path / "other.yaml"
    other.write_text("system: other\nentity: contacts\nmatch: [Имя клиента]\nfields: {full_name: Имя клиента}\n",
                     encoding="utf-8")
    result = CliRunner().invoke(app, ["inspect", "--json", "--mapping", str(other), "--mapping", str(mapping),
                                      str(unknown_csv)])
    assert result.exit_code == 0, result.output
    assert '"system": "mycrm"' in result.output and '"rows_loaded": 3' in result.output
