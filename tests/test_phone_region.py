"""The default phone region is inferred per file from its data; `--region` overrides it
(connectors/canonical/regions.py). Salesforce exports: API names, every value quoted."""
from __future__ import annotations


import duckdb

from connectors.load import discover, load
from export_writers import bitrix_csv, quoted_csv

US_PHONES = ["(512) 757-6000", "(212) 736-3100", "(650) 253-0000", "512.757.6001", "+1 206 266 1000", "(415) 901-7000"]
US_E164 = ["+15127576000", "+12127363100", "+16502530000", "+15127576001", "+12062661000", "+14159017000"]


_csv = quoted_csv


def _us_accounts(path):
    return _csv(path, ["Id", "Name", "Phone", "BillingCity", "BillingCountry", "Industry", "OwnerId", "AccountSource"],
                [[f"0015g00000XyZ{i:02d}AAA", f"Company {i}", p, "Austin", "USA", "Technology", "0055g000001OwnAAA", "Web"]
                 for i, p in enumerate(US_PHONES)])


def _load(paths, region=None):
    con = duckdb.connect()
    reports, _ = load(discover([str(p) for p in paths]), con, region=region)
    return con, reports


def test_us_org_numbers_are_read_as_us(tmp_path):
    con, [rep] = _load([_us_accounts(tmp_path / "Account.csv")])
    assert (rep.system, rep.entity, rep.region) == ("salesforce", "companies", "US")
    assert rep.contract_entry()["phone_region"] == "US"
    assert any(w.startswith("phone numbers read as US numbers (100% of 5 sampled numbers without +country valid as US "
                            "vs 20% as RU; BillingCountry=USA)") for w in rep.warnings), rep.warnings
    rows = con.execute("SELECT phones, phones_invalid FROM stg.companies ORDER BY _line").fetchall()
    assert rows == [([e], []) for e in US_E164]


def test_region_override_wins(tmp_path):
    con, [rep] = _load([_us_accounts(tmp_path / "Account.csv")], region="RU")
    assert rep.region == "RU" and not any("phone numbers read as" in w for w in rep.warnings)
    invalid = con.execute("SELECT count(*) FROM stg.companies WHERE len(phones_invalid) > 0").fetchone()[0]
    assert invalid == 4  # `+1 206...` stays valid; and (415) 901-7000 turns into a Kamchatka number, as the issue saw
    assert con.execute("SELECT phones FROM stg.companies WHERE phone = '(415) 901-7000'").fetchone()[0] == ["+74159017000"]


def test_russian_and_us_files_in_one_run_each_get_their_region(tmp_path):
    us = _us_accounts(tmp_path / "Account.csv")
    ru = bitrix_csv(tmp_path / "COMPANY.csv", ["ID", "Название компании", "Тип компании", "Рабочий телефон", "Город"],
                    [["1", 'ООО "Ромашка"', "Клиент", "8 (916) 123-45-67", "Москва"],
                     ["2", "ИП Фёдоров", "Клиент", "(495) 123-45-67", "Москва"],
                     ["3", "АО Вектор", "Клиент", "+7 912 345 67 89", "Пермь"]])
    con, reports = _load([us, ru])
    assert {r.system: r.region for r in reports} == {"salesforce": "US", "bitrix24": "RU"}
    got = dict(con.execute("SELECT name, phones FROM stg.companies").fetchall())
    assert got['ООО "Ромашка"'] == ["+79161234567"] and got["ИП Фёдоров"] == ["+74951234567"]
    assert got["Company 0"] == ["+15127576000"]


def test_uk_numbers_with_country_column(tmp_path):
    path = _csv(tmp_path / "Contact.csv", ["Id", "AccountId", "LastName", "FirstName", "MailingCountry", "Phone", "Email"],
                [["0035g00000Aa001AAA", "0015g00000XyZ01AAA", "Brown", "Ann", "United Kingdom", "020 7219 3000", "a@x.co.uk"],
                 ["0035g00000Aa002AAA", "0015g00000XyZ01AAA", "Green", "Bob", "United Kingdom", "0161 234 5000", "b@x.co.uk"],
                 ["0035g00000Aa003AAA", "0015g00000XyZ01AAA", "White", "Cy", "United Kingdom", "+44 20 7219 4272", "c@x.co.uk"]])
    con, [rep] = _load([path])
    assert rep.region == "GB"
    assert [r[0] for r in con.execute("SELECT phones FROM stg.contacts ORDER BY _line").fetchall()] == [
        ["+442072193000"], ["+441612345000"], ["+442072194272"]]


def test_russian_file_stays_ru_without_a_warning(tmp_path):
    path = bitrix_csv(tmp_path / "CONTACT.csv", ["ID", "Имя", "Фамилия", "Рабочий телефон"],
                      [["1", "Иван", "Петров", "8 916 123 45 67"], ["2", "Анна", "Жукова", "89031234567"]])
    _, [rep] = _load([path])
    assert rep.region == "RU" and not any("phone numbers read as" in w for w in rep.warnings)
