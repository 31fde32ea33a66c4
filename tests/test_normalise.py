"""The SQL normalisation macros (connectors/canonical/macros.sql) against reference libraries
and the definitions in FORMATS.md §6 and the contract's "Terms used below".

Reference values come from python-stdnum, phonenumbers and datetime, never from the macros.
"""
from __future__ import annotations

import datetime as dt
import random

import duckdb
import phonenumbers
import pytest
from stdnum.ru import inn as ru_inn

from connectors.canonical import phones as phones_mod
from connectors.canonical.build import date_style, install_macros
from connectors.canonical.phones import build_phone_map


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    install_macros(c)
    c.execute("CREATE SCHEMA stg")
    yield c
    c.close()


def _map(con, sql: str, values: list) -> dict:
    """value -> sql(value) for many values in one query (`v` is the value)."""
    rows = con.execute(f"SELECT v, {sql} FROM (SELECT unnest(?::VARCHAR[]) AS v)", [values]).fetchall()
    return dict(rows)


# ------------------------------------------------------------------ INN

def _kz_valid(s: str) -> bool:
    """FORMATS.md §6.4: Kazakhstan IIN/BIN check digit, written from the text, not from the macro."""
    d = [int(c) for c in s]
    check = sum(d[i] * (i + 1) for i in range(11)) % 11
    if check == 10:
        check = sum(d[i] * w for i, w in enumerate([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])) % 11
        if check == 10:
            return False
    return check == d[11]


def _inn_reference(s: str) -> bool:
    return ru_inn.is_valid(s) or (len(s) == 12 and s.isdigit() and _kz_valid(s))


def test_inn_valid_matches_stdnum_on_random_numbers(con):
    rnd = random.Random(20240312)
    values = {"".join(rnd.choice("0123456789") for _ in range(rnd.choice((10, 12)))) for _ in range(4000)}
    for _ in range(800):  # valid ones too, so both outcomes are well represented
        body = "".join(rnd.choice("0123456789") for _ in range(9))
        values.add(body + ru_inn.calc_company_check_digit(body))
        body = "".join(rnd.choice("0123456789") for _ in range(10))
        values.add(body + ru_inn.calc_personal_check_digits(body))
    values = sorted(values)
    got = _map(con, "inn_valid(v)", values)
    mismatches = [(v, got[v], _inn_reference(v)) for v in values if got[v] != _inn_reference(v)]
    assert mismatches == []
    assert sum(got.values()) > 1500 and len(values) - sum(got.values()) > 3000


@pytest.mark.parametrize("value,valid", [
    ("7707083893", True),     # Сбербанк (FORMATS.md §6.1)
    ("500100732259", True),
    ("7707083894", False),
    ("940140000385", True),   # KZ BIN, python-stdnum kz/bin docstring (§6.4)
    ("990140004654", True),
    ("0274062111", ru_inn.is_valid("0274062111")),  # leading zero kept (Bashkortostan)
    ("0274062" + "11" + ru_inn.calc_company_check_digit("027406211")[0], True),
    ("770708389", False),     # 9 digits
    ("77070838931", False),   # 11 digits
    ("7707083893000", False),
    ("", False),
    ("abcdefghij", False),    # ten characters, no digits: false, not a conversion error
    ("7707 083 893", False),  # inn_valid takes digits; inn_digits() strips spaces first
])
def test_inn_valid_known_cases(con, value, valid):
    assert con.execute("SELECT inn_valid(?)", [value]).fetchone()[0] is valid


def test_inn_valid_null_and_inn_digits(con):
    assert con.execute("SELECT inn_valid(NULL)").fetchone()[0] is False
    assert con.execute("SELECT inn_digits(' 7707 083 893 '), inn_valid(inn_digits('ИНН 7707083893'))").fetchone() == (
        "7707083893", True)
    assert con.execute("SELECT inn_digits('нет')").fetchone()[0] is None


# ------------------------------------------------------------------ phones

def _lib_e164(cell: str) -> list[str]:
    try:
        n = phonenumbers.parse(cell, "RU")
    except phonenumbers.NumberParseException:
        return []
    return [phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)] if phonenumbers.is_valid_number(n) else []


def _phone_map(con, cells: list[str], monkeypatch=None) -> dict[str, tuple[list, list]]:
    con.execute("CREATE OR REPLACE TABLE _cells AS SELECT unnest(?::VARCHAR[]) AS raw", [cells])
    build_phone_map(con, "SELECT raw FROM _cells", "RU")
    return {raw: (list(e), list(i)) for raw, e, i in con.execute("SELECT raw, e164, invalid FROM stg.phone_map").fetchall()}


# FORMATS.md §6.5, region RU
TABLE_65 = [
    ("+7 (916) 123-45-67", "+79161234567"), ("8 (916) 123-45-67", "+79161234567"), ("89161234567", "+79161234567"),
    ("8-916-123-45-67", "+79161234567"), ("79161234567", "+79161234567"), ("9161234567", "+79161234567"),
    ("916 123 45 67", "+79161234567"), ("7 916 123 45 67", "+79161234567"), ("7(916)1234567", "+79161234567"),
    ("(495) 123-45-67", "+74951234567"), ("8 800 555 35 35", "+78005553535"), ("87011234567", "+77011234567"),
    ("+7 701 123 45 67", "+77011234567"), ("8 (7172) 12-34-56", "+77172123456"), ("81079246516548", "+79246516548"),
    ("80291234567", None), ("+7 916 123-45-67 доб. 123", "+79161234567"), ("211474", None),
    ("007 916 123 45 67", None), ("+8 916 123 45 67", None),
]


def test_phone_table_of_formats_md(con):
    got = _phone_map(con, [c for c, _ in TABLE_65])
    for cell, want in TABLE_65:
        e164, invalid = got[cell]
        assert e164 == ([want] if want else []), cell
        assert e164 == _lib_e164(cell), cell
        assert invalid == ([] if want else [cell]), cell


def test_phone_cell_with_two_numbers(con):
    cell = "8 916 123 45 67, 8 903 765 43 21"
    got = _phone_map(con, [cell, "89161234567; 84951234567"])
    want = [phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            for m in phonenumbers.PhoneNumberMatcher(cell, "RU")]
    assert want == ["+79161234567", "+79037654321"]
    assert got[cell] == (want, [])
    assert got["89161234567; 84951234567"] == (["+79161234567", "+74951234567"], [])


def _spellings(rnd: random.Random, n: int) -> set[str]:
    prefixes = ["9", "9", "9", "495", "499", "812", "343", "383", "4012", "8352", "7172", "727", "701", "705", "777",
                "800", "301", "0", "1", "2", "5", "6"]
    out = set()
    while len(out) < n:
        p = rnd.choice(prefixes)
        nat = (p + "".join(rnd.choice("0123456789") for _ in range(10)))[:10]
        a, b, c, d = nat[:3], nat[3:6], nat[6:8], nat[8:]
        out.add(rnd.choice([
            f"+7 ({a}) {b}-{c}-{d}", f"8 ({a}) {b}-{c}-{d}", f"8{nat}", f"8-{a}-{b}-{c}-{d}", f"7{nat}", nat,
            f"{a} {b} {c} {d}", f"7 {a} {b} {c} {d}", f"7({a}){b}{c}{d}", f"+7{nat}", f"+7 {a} {b}{c}{d}",
            f"8.{a}.{b}.{c}.{d}", f"({a}) {b}-{c}-{d}", f" +7-{a}-{b}-{c}-{d} ", f"+8 {a} {b} {c} {d}",
            f"007 {a} {b}{c}{d}", f"810 7{nat}", f"8107{nat}", f"+7 {nat} доб. 12", f"{b}{c}{d}", f"{b}-{c}-{d}",
            f"+375 29 {b}{c}{d}", f"+380 {a[:2]} {b}{c}{d}", f"8{nat}0", f"+7 {a} {b} {c}", f"тел. 8{nat}",
        ]))
    return out


def _watch_slow_path(monkeypatch) -> list[str]:
    """The cells build_phone_map sends to the library path, collected as it runs."""
    slow: list[str] = []
    original = phones_mod.slow_path_table

    def spy(cells_, region):
        slow.extend(cells_)
        return original(cells_, region)

    monkeypatch.setattr(phones_mod, "slow_path_table", spy)
    return slow


def test_phone_fast_path_and_library_agree_exactly(con, monkeypatch):
    cells = sorted(_spellings(random.Random(65), 4000))
    slow = _watch_slow_path(monkeypatch)
    got = _phone_map(con, cells)
    assert sorted(got) == cells
    fast = set(cells) - set(slow)
    assert len(fast) > 1500 and len(slow) > 800, (len(fast), len(slow))  # both paths really ran
    wrong = []
    for cell in cells:
        want = _lib_e164(cell)
        e164, invalid = got[cell]
        if e164 != want or invalid != ([] if want else [cell.strip()]):
            wrong.append((cell, "fast" if cell in fast else "slow", e164, invalid, want))
    assert wrong == []
    assert sum(1 for c in fast if got[c][0]) > 500 and sum(1 for c in fast if not got[c][0]) > 100


def test_phone_cells_with_several_numbers_agree_with_the_library(con, monkeypatch):
    """Cells holding several numbers (`a, b`, `a; b`, `a/b`, one per line, a number twice) are
    split in SQL; the result must equal the library path's parse_cell on every cell."""
    rnd = random.Random(66)
    singles = sorted(_spellings(rnd, 600))
    cells = set()
    while len(cells) < 1500:
        a, b = rnd.choice(singles), rnd.choice(singles)
        sep = rnd.choice([", ", "; ", "/", "\n", ",", " ; ", ",,"])
        cells.add(rnd.choice([a + sep + b, a + sep + a, a + sep + b + sep + a, sep + a, a + sep]))
    cells = sorted(c for c in cells if c.strip())
    slow = _watch_slow_path(monkeypatch)
    got = _phone_map(con, cells)
    fast = set(cells) - set(slow)
    assert len(fast) > 300 and len(slow) > 300, (len(fast), len(slow))
    wrong = [(c, got[c], phones_mod.parse_cell(c, "RU")) for c in cells
             if got[c] != tuple(map(list, phones_mod.parse_cell(c, "RU")))]
    assert wrong == []
    assert any(len(got[c][0]) == 2 for c in fast) and any(got[c][1] for c in fast)


def test_phone_blank_cells_are_not_mapped(con):
    got = _phone_map(con, ["", "   ", "89161234567"])
    assert sorted(got) == ["89161234567"]


# ------------------------------------------------------------------ timestamps

@pytest.mark.parametrize("text,style,want", [
    ("22.03.2022 13:32:57", "dmy", dt.datetime(2022, 3, 22, 13, 32, 57)),   # amoCRM, Sipuni, Bitrix ru
    ("22.03.2022 13:32", "dmy", dt.datetime(2022, 3, 22, 13, 32)),
    ("22.03.2022", "dmy", dt.datetime(2022, 3, 22)),                         # 1C list `Дата`
    ("1.2.2024", "dmy", dt.datetime(2024, 2, 1)),
    (" 18.01.2018 14:51:49 ", "dmy", dt.datetime(2018, 1, 18, 14, 51, 49)),
    ("22.03.22", "dmy", dt.datetime(2022, 3, 22)),                           # two-digit year: 2022, not 22 AD
    ("01.02.99", "dmy", dt.datetime(1999, 2, 1)),
    ("2024-01-27 15:07:24", "dmy", dt.datetime(2024, 1, 27, 15, 7, 24)),     # Asterisk, FreePBX
    ("2024-01-27", "dmy", dt.datetime(2024, 1, 27)),                         # CommerceML xsd:date
    ("2024-03-12T10:15:00", "dmy", dt.datetime(2024, 3, 12, 10, 15)),        # CommerceML ДатаФормирования
    ("2024-03-12T10:15:00Z", "dmy", dt.datetime(2024, 3, 12, 10, 15)),
    ("2024-03-12T10:15:00+03:00", "dmy", dt.datetime(2024, 3, 12, 10, 15)),
    ("1706368044", "dmy", dt.datetime(2024, 1, 27, 15, 7, 24)),              # Mango: unix epoch seconds (UTC)
    ("10/20/2016", "mdy", dt.datetime(2016, 10, 20)),                        # Maven CRM re-saved copy
    ("3/1/2017", "mdy", dt.datetime(2017, 3, 1)),
    ("3/1/2017", "dmy", dt.datetime(2017, 1, 3)),
    ("20/10/2016", "dmy", dt.datetime(2016, 10, 20)),
    ("3/1/17", "mdy", dt.datetime(2017, 3, 1)),
    ("10/20/2016 1:05 PM", "mdy", dt.datetime(2016, 10, 20, 13, 5)),
    ("не закрыта", "dmy", None),                                              # amoCRM open deal
    ("T", "dmy", None),                                                       # 1C "empty date"
    ("", "dmy", None), ("-", "dmy", None), (None, "dmy", None),
    ("31.02.2024", "dmy", None),
])
def test_crm_ts(con, text, style, want):
    assert con.execute("SELECT crm_ts(?, ?)", [text, style]).fetchone()[0] == want


def test_crm_ts_epoch_agrees_with_python(con):
    rnd = random.Random(4)
    stamps = [str(rnd.randrange(1_000_000_000, 1_900_000_000)) for _ in range(500)]
    got = _map(con, "crm_ts(v, 'dmy')", stamps)
    for s in stamps:
        assert got[s] == dt.datetime.fromtimestamp(int(s), dt.timezone.utc).replace(tzinfo=None), s


def test_crm_ts_ru_dates_agree_with_python(con):
    rnd = random.Random(5)
    start = dt.datetime(1995, 1, 1)
    values = {}
    for _ in range(500):
        t = start + dt.timedelta(seconds=rnd.randrange(0, 40 * 365 * 86400))
        values[t.strftime("%d.%m.%Y %H:%M:%S")] = t
        values[t.strftime("%Y-%m-%d %H:%M:%S")] = t
        values[t.strftime("%d.%m.%Y")] = t.replace(hour=0, minute=0, second=0)
    got = _map(con, "crm_ts(v, 'dmy')", list(values))
    assert {k: got[k] for k in values} == values


def test_date_style_reads_us_dates_from_the_column(con):
    con.execute("""CREATE OR REPLACE TABLE _dates AS SELECT * FROM (VALUES
        ('10/20/2016', '20/10/2016', '3/1/2017'), ('3/1/2017', '3/1/2017', '1/2/2017'),
        ('1/15/2017', '15/1/2017', NULL), (NULL, NULL, '')) t(us, eu, ambiguous)""")
    assert date_style(con, "_dates", "us") == "mdy"
    assert date_style(con, "_dates", "eu") == "dmy"
    assert date_style(con, "_dates", "ambiguous") == "dmy"
    got = con.execute(f"SELECT crm_ts(us, '{date_style(con, '_dates', 'us')}') AS t FROM _dates ORDER BY t NULLS LAST").fetchall()
    assert [g for (g,) in got] == [dt.datetime(2016, 10, 20), dt.datetime(2017, 1, 15), dt.datetime(2017, 3, 1), None]


# ------------------------------------------------------------------ amounts

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("text,want", [
    (f"1{NBSP}234{NBSP}567,89", 1234567.89),
    ("1 234 567,89", 1234567.89),
    (f"1{NNBSP}234,5", 1234.5),
    ("150000.00", 150000.0),       # Bitrix24 OPPORTUNITY
    ("1,234.56", 1234.56),
    ("1.234.567,89", 1234567.89),
    ("12 300 ₽", 12300.0),
    (f"12{NBSP}300{NBSP}₽", 12300.0),
    ("1 234,56 руб.", 1234.56),
    ("$1,234.56", 1234.56),
    ("-500", -500.0),
    ("0", 0.0),                    # a zero is a value, not a blank
    ("0,00", 0.0),
    ("", None), ("   ", None), ("-", None), ("—", None), ("нет", None), ("n/a", None), ("null", None),
    ("не указано", None), (None, None), ("abc", None),
])
def test_crm_amount(con, text, want):
    assert con.execute("SELECT crm_amount(?)", [text]).fetchone()[0] == want


# ------------------------------------------------------------------ company names

SAME_COMPANY = ["ООО «Ромашка»", "Ромашка ООО", '"РОМАШКА"', "OOO Pомашка", "ООО \"Ромашка\"", "Ромашка, ООО",
                "Общество с ограниченной ответственностью «Ромашка»", "ТОО Ромашка", "АО «Ромашка»", "ИП Ромашка",
                "  ромашка  ", "OOO «POMAШКА»"]


def test_company_norm_folds_forms_quotes_case_and_lookalikes(con):
    got = _map(con, "company_norm(v)", SAME_COMPANY)
    assert set(got.values()) == {"ромашка"}, got


@pytest.mark.parametrize("a,b,same", [
    ("ООО «Ёлка»", "елка", True),
    ("ПАО «Сбербанк»", "Сбербанк ПАО", True),
    ("Ромашка Плюс", "Ромашка", False),
    ("ООО Ромашка-Юг", "Ромашка Юг", True),
    ("Acme LLC", "ACME", True),
    ("Пароход", "Ромашка", False),
])
def test_company_norm_pairs(con, a, b, same):
    x, y = con.execute("SELECT company_norm(?), company_norm(?)", [a, b]).fetchone()
    assert (x == y) is same, (x, y)
    assert x and y


def test_company_norm_of_nothing(con):
    assert con.execute("SELECT company_norm(NULL), company_norm(''), company_norm('ООО'), company_norm('«»')").fetchone() == (
        None, None, None, None)


# ------------------------------------------------------------------ blanks

@pytest.mark.parametrize("text", [None, "", "   ", "\t", NBSP, "-", "—", "–", "--", " - ", "нет", "Нет", "НЕТ", "n/a",
                                  "N/A", "null", "NULL", "none", "не указано", "Не указано", "не заполнено",
                                  "НЕ ЗАПОЛНЕНО", "n/a "])
def test_is_blank_placeholders(con, text):
    assert con.execute("SELECT is_blank(?), clean_text(?)", [text, text]).fetchone() == (True, None)


@pytest.mark.parametrize("text", ["0", "Иван", "нетто", "-5", "нет данных", "a", "Нетология"])
def test_is_blank_keeps_values(con, text):
    assert con.execute("SELECT is_blank(?), clean_text(?)", [text, f"  {text} "]).fetchone() == (False, text)


# ------------------------------------------------------------------ deal state

@pytest.mark.parametrize("stage,hint,won,closed,state", [
    ("Cчёт на предоплату", None, None, None, "open"),   # Latin C (U+0043), as in Bitrix24's lang file
    ("Счёт на предоплату", None, None, None, "open"),
    ("Новая", None, None, None, "open"),
    ("Сделка успешна", None, None, None, "won"),
    ("Cделка успешна", None, None, None, "won"),        # Latin C again: still the won stage
    ("  сделка   успешна ", None, None, None, "won"),
    ("Сделка провалена", None, None, None, "lost"),
    ("Cделка провалена", None, None, None, "lost"),
    ("Анализ причины провала", None, None, None, "lost"),
    ("C14:LOSE", None, None, None, "lost"),              # custom pipeline stage code
    ("C14:NEW", None, None, None, "open"),
    ("C3:WON", None, None, None, "won"),
    ("WON", None, None, None, "won"),
    ("LOSE", None, None, None, "lost"),
    ("APOLOGY", None, None, None, "lost"),
    ("Успешно реализовано", None, None, None, "won"),   # amoCRM
    ("Закрыто и не реализовано", None, None, None, "lost"),
    ("Первичный контакт", None, None, None, "open"),
    ("Won", None, None, None, "won"), ("Lost", None, None, None, "lost"), ("Engaging", None, None, None, "open"),
    ("Closed Won", None, None, None, "won"), ("Closed Lost", None, None, None, "lost"),
    ("Своя стадия", "S", None, None, "won"),             # STAGE_SEMANTIC_ID
    ("Своя стадия", "F", None, None, "lost"),
    ("Своя стадия", "P", None, None, "open"),
    (None, None, "Y", "Y", "won"),
    (None, None, "N", "Y", "lost"),
    (None, None, "нет", "да", "lost"),
    (None, None, None, "Да", "open"),
    (None, None, None, None, "open"),
])
def test_deal_state(con, stage, hint, won, closed, state):
    assert con.execute("SELECT deal_state(?, ?, ?, ?)", [stage, hint, won, closed]).fetchone()[0] == state
