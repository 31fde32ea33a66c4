"""amoCRM's contacts export holds companies too (`Тип` = `компания`), and CRMs keep INN, KPP and
sites in custom fields: both must reach stg.companies (issue: companies inside amoCRM contacts).

The file is shaped as amoCRM writes it: the exact 43-column header of the real export in
../shared/real_exports/amocrm/contacts_test.csv, comma-delimited, quotes only where needed, custom
fields appended after the built-in columns under the titles the account gave them.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from export_writers import bitrix_csv, inn10

from checks.runner import run_checks
from connectors.load import discover, load

REAL = Path(__file__).resolve().parents[2] / "shared" / "real_exports" / "amocrm" / "contacts_test.csv"


def _header() -> list[str]:
    with REAL.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def _amocrm_csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


INN_A, INN_B = inn10("770123456"), inn10("504712345")


def _rows():
    contacts = [{"ID": str(100 + i), "Тип": "контакт", "Полное имя контакта": f"Иван Петров {i}", "Имя": "Иван",
                 "Название компании": "ООО Вектор" if i % 2 else "", "Ответственный": "Анна",
                 "Дата создания контакта": "01.10.2026 10:00:00", "Мобильный телефон": f"+7 916 000-00-{i:02d}"}
                for i in range(5)]
    companies = [
        {"ID": "900", "Тип": "компания", "Название компании": "ООО Вектор", "Ответственный": "Анна",
         "Дата создания контакта": "02.10.2026 11:00:00", "Рабочий телефон": "+7 495 111-22-33", "Web": "vector.ru",
         "Адрес": "Москва, ул. Ленина, 1", "ИНН": INN_A, "КПП": "770101001"},
        {"ID": "901", "Тип": "компания", "Название компании": "АО Ромашка", "Ответственный": "Олег",
         "Дата создания контакта": "03.10.2026 12:00:00", "ИНН": INN_B, "КПП": "504701001"},
    ]
    return contacts[:3] + companies[:1] + contacts[3:] + companies[1:]


@pytest.fixture()
def loaded(tmp_path):
    header = _header() + ["ИНН", "КПП"]
    path = _amocrm_csv(tmp_path / "amocrm_export_contacts_2026-11-20.csv", header, _rows())
    con = duckdb.connect()
    reports, counts = load(discover([str(path)]), con)
    return con, reports, counts


def test_company_rows_load_as_companies_with_their_fields(loaded):
    con, reports, counts = loaded
    by_entity = {r.entity: r for r in reports}
    assert set(by_entity) == {"contacts", "companies"}
    assert (by_entity["contacts"].rows_read, by_entity["companies"].rows_read) == (5, 2)
    assert counts["contacts"] == 5 and counts["companies"] == 2
    rows = con.execute("SELECT ref, name, inn, inn_valid, kpp, website, address, phones, _line FROM stg.companies "
                       "ORDER BY ref").fetchall()
    assert rows[0] == ("900", "ООО Вектор", INN_A, True, "770101001", "vector.ru", "Москва, ул. Ленина, 1",
                       ["+74951112233"], 5)
    assert rows[1][:5] == ("901", "АО Ромашка", INN_B, True, "504701001")
    assert rows[1][-1] == 8   # line numbers stay the file's own
    # contacts keep only contact rows, and their company link
    names = con.execute("SELECT ref, company_name FROM stg.contacts ORDER BY ref").fetchall()
    assert [r[0] for r in names] == ["100", "101", "102", "103", "104"]
    assert names[1][1] == "ООО Вектор"


def test_company_metrics_are_measured_not_na(loaded):
    con, _, _ = loaded
    m = run_checks(con).metrics
    assert m["completeness.companies.inn"].value == 1.0
    assert m["duplicates.companies.redundant_share"].status != "n/a"


def test_a_contacts_file_without_company_rows_stays_one_entity(tmp_path):
    path = _amocrm_csv(tmp_path / "contacts.csv", _header(), [r for r in _rows() if r["Тип"] == "контакт"])
    con = duckdb.connect()
    reports, counts = load(discover([str(path)]), con)
    assert [(r.entity, r.rows_read) for r in reports] == [("contacts", 5)]
    assert counts["companies"] == 0


COMPANY_HEADER = ["ID", "Название компании", "Телефон", "Дата создания"]


def test_inn_and_kpp_in_custom_fields_found_by_title_and_by_content(tmp_path):
    """Bitrix24 exports custom fields under the titles the portal gave them: one titled «ИНН организации»
    is found by its title; «UF_CRM_1699887766» holding INNs and «Код филиала» holding KPPs by content."""
    inns = [inn10(f"77{i:07d}") for i in range(6)]
    rows = [[str(i), f"ООО Фирма {i}", f"+7 495 100-00-0{i}", "01.10.2026 10:00:00", inns[i], inns[i][:4] + "01001",
             f"https://firma{i}.ru/"] for i in range(6)]
    bitrix_csv(tmp_path / "COMPANY.csv", COMPANY_HEADER + ["UF_CRM_1699887766", "Код филиала", "UF_CRM_SITE"], rows)
    titled = [[str(i), f"ООО Фирма {i}", "", "01.10.2026 10:00:00", inns[i]] for i in range(6)]
    (tmp_path / "sub").mkdir()
    bitrix_csv(tmp_path / "sub" / "COMPANY.csv", COMPANY_HEADER + ["ИНН организации"], titled)
    con = duckdb.connect()
    reports, _ = load(discover([str(tmp_path)]), con)
    by_path = {Path(r.path).parent.name: r for r in reports}
    content = by_path[tmp_path.name]
    assert content.mapped["inn"] == ["UF_CRM_1699887766"]
    assert content.mapped["kpp"] == ["Код филиала"]
    assert content.mapped["website"] == ["UF_CRM_SITE"]
    assert any("UF_CRM_1699887766" in w and "INN" in w for w in content.warnings)
    assert by_path["sub"].mapped["inn"] == ["ИНН организации"]
    valid = con.execute("SELECT count(*) FILTER (WHERE inn_valid), count(*) FROM stg.companies").fetchone()
    assert valid == (12, 12)


def test_phones_of_ten_digits_are_not_taken_for_inn(tmp_path):
    """A custom column of 10-digit local phone numbers is not an INN column: random 10-digit numbers
    pass the INN checksum about 1 time in 10."""
    phones = [f"91600000{i:02d}" for i in range(20)]
    rows = [[str(i), f"ООО Фирма {i}", "", "01.10.2026 10:00:00", phones[i]] for i in range(20)]
    bitrix_csv(tmp_path / "COMPANY.csv", COMPANY_HEADER + ["UF_CRM_1700000001"], rows)
    con = duckdb.connect()
    reports, _ = load(discover([str(tmp_path)]), con)
    assert "inn" not in reports[0].mapped


def test_inspect_says_how_many_of_each(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    _amocrm_csv(tmp_path / "amocrm_export_contacts_2026-11-20.csv", _header() + ["ИНН", "КПП"], _rows())
    res = CliRunner().invoke(app, ["inspect", str(tmp_path)], env={"COLUMNS": "250"})
    assert res.exit_code == 0
    assert "amocrm_export_contacts_2026-11-20.csv: 5 contacts, 2 companies" in res.output
