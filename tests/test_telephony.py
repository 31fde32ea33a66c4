"""Telephony call logs in their real shapes: Sipuni `;`-CSV, Mango headerless epoch CSV,
Bitrix24 call statistics (HTML "xls"), generic calls tables; typed values in stg.calls."""
from __future__ import annotations

import datetime as dt

import duckdb
import openpyxl
import pytest

from connectors import registry
from connectors.load import discover, load
from connectors.sniff import peek

SIPUNI_24 = ("Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;Кто ответил;Длительность звонка;"
             "Длительность разговора;Время ответа;Оценка;ID записи;Метка;Теги;Инициатор завершения звонка;"
             "ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;Время перезвона;Информация из CRM;"
             "Ответственный из CRM")
SIPUNI_24_ROWS = [
    "Входящий;Отвечен;18.01.2018 14:51:49;5a60a1;Основная;;+74832783118;201;Иванов Иван (201);95;80;15;5;"
    "1516276309.9866;;;клиент;;1;1;;;Сделка #12;Иванов Иван",
    "Входящий;Не отвечен;18.01.2018 15:02:10;5a60a1;Основная;;+79161234567;200;;30;0;;;1516276930.1001;;;клиент;;0;0;"
    "Перезвонили;18.01.2018 15:10:00;;",
    "Исходящий;Отвечен;18.01.2018 15:10:00;;;+74951234567;201;+79161234567;Иванов Иван;65;60;5;;1516277400.2002;;;"
    "оператор;;1;0;;;;",
    "Исходящий;Не отвечен;18.01.2018 16:00:00;;;+74951234567;202;89035551122;;40;0;;;1516280400.3003;;;оператор;;0;0;;;;",
    "Входящий;Занято;18.01.2018 16:30:00;5a60a1;Основная;;+7 (903) 555-11-22;200;;3;0;;;1516282200.4004;;;клиент;;0;0;;;;",
]
SIPUNI_19 = ("Тип;Статус;Время;Схема;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора;Время ответа;"
             "Оценка;ID записи;Метка;Теги;ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;Время перезвона")
SIPUNI_19_ROWS = [
    "Входящий;Отвечен;18.01.2018 14:51:49;Основная;+74832783118;201;201;95;80;15;;1516276309.9866;;;;1;1;;",
    "Входящий;Не отвечен;18.01.2018 15:02:10;Основная;+74832783119;200;;30;0;;;1516276930.1001;;;;0;0;;",
    "Исходящий;Отвечен;18.01.2018 15:10:00;;201;+74832783118;201;65;60;5;;1516277400.2002;;;;1;0;;",
]

# records;start;finish;answer;from_extension;from_number;to_extension;to_number;disconnect_reason;line_number;location;entry_id
MANGO_ROWS = [
    "[rec1,rec2];1700000000;1700000125;1700000005;;79001112233;101;;1110;74951234567;abonent;MToxMDA1",
    "[];1700001000;1700001030;0;;79002223344;102;;1121;74951234567;abonent;MToxMDA2",
    "[rec3];1700002000;1700002065;1700002008;103;sip:ivanov@vpbx.mangosip.ru;;79003334455;1110;74951234567;abonent;MToxMDA3",
    "[];1700003000;1700003020;0;;79004445566;;;1130;74951234567;ivr;MToxMDA4",
    "[rec4];1700004000;1700004060;1700004002;101;;102;;1110;;abonent;MToxMDA5",
]

_USER = ('<span class="tel-stat-user-name-container"><span class="ui-icon ui-icon-common-user ui-icon-sm"><i></i></span>'
         '<span class="tel-stat-user-name">{}</span></span>')
BITRIX_HEADER = ["Сотрудник", "Номер портала", "Номер телефона", "Тип звонка", "Время звонка", "Дата вызова", "Статус",
                 "Стоимость", "Стоимость расшифровки", "Оценка", "CRM", "Комментарий"]
BITRIX_ROWS = [
    [_USER.format("Анна Смирнова"), "+7 495 123-45-67", "+7 916 123-45-67", "Входящий звонок", "1 мин 5 сек",
     "05.03.2024 10:15:00", "Успешный звонок", "0.00 руб.", "-", "-", "Контакт: Иван Петров", ""],
    [_USER.format("Анна Смирнова"), "+7 495 123-45-67", "+7 916 765-43-21", "Входящий звонок", "0 сек",
     "05.03.2024 11:00:00", "Пропущенный звонок", "0.00 руб.", "-", "-", "-", ""],
    [_USER.format("Олег Козлов"), "+7 495 123-45-67", "+7 916 123-45-67", "Исходящий звонок", "2 мин 30 сек",
     "05.03.2024 11:20:00", "Успешный звонок", "3.20 руб.", "-", "5", "Контакт: Иван Петров", "перезвонил"],
    [_USER.format("Олег Козлов"), "+7 495 123-45-67", "+7 903 111-22-33", "Исходящий звонок", "0 сек",
     "05.03.2024 12:00:00", "Занято", "0.00 руб.", "-", "-", "-", ""],
    [_USER.format("Анна Смирнова"), "Виртуальная АТС (12)", "+7 903 111-22-33", "Обратный звонок", "0 сек",
     "05.03.2024 12:30:00", "Вызов отменен", "0.00 руб.", "-", "-", "-", ""],
]


def _bitrix_html(rows) -> str:
    head = "".join(f"<td>{h}</td>" for h in BITRIX_HEADER)
    body = "".join("<tr>" + "".join(f"<td>\n\t\t\t\t\t{c}\n\t\t\t\t</td>" for c in r) + "</tr>\n" for r in rows)
    return ('<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            "<style>\n.number0 {mso-number-format:0;}\n.number2 {mso-number-format:Fixed;}\n</style>\n</head>\n<body>\n"
            f'<table border="1">\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>\n</body>\n</html>\n')


def _load(*paths):
    con = duckdb.connect()
    reports, counts = load(discover([str(p) for p in paths]), con)
    return con, reports, counts


def _calls(con):
    return con.execute(
        "SELECT call_direction, is_answered, from_e164, to_e164, started_at FROM stg.calls ORDER BY _file, _record"
    ).fetchall()


def _tally(con):
    return dict(((d, a), n) for d, a, n in
                con.execute("SELECT call_direction, is_answered, count(*) FROM stg.calls GROUP BY ALL").fetchall())


def _no_ambiguity(path, system, entity):
    """The winner is the expected profile and no other system/entity comes within the margin."""
    sample = peek(path)
    best, problem = registry.detect(sample)
    assert problem is None and (best.system, best.entity) == (system, entity)
    others = [d for d in registry.rank(sample) if (d.system, d.entity) != (system, entity)]
    assert not others or best.confidence - others[0].confidence >= registry.MARGIN


def test_sipuni_24_columns_bom_semicolon(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeff" + "\n".join([SIPUNI_24, *SIPUNI_24_ROWS]) + "\n").encode("utf-8"))
    _no_ambiguity(path, "sipuni", "calls")
    con, reports, counts = _load(path)
    (rep,) = reports
    assert (rep.system, rep.entity, rep.problem) == ("sipuni", "calls", None)
    assert (rep.delimiter, rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (";", 5, 5, 0)
    assert rep.mapped["direction"] == ["Тип"] and rep.mapped["billsec"] == ["Длительность разговора"]
    assert counts["calls"] == 5
    rows = _calls(con)
    assert rows[0] == ("inbound", True, "+74832783118", None, dt.datetime(2018, 1, 18, 14, 51, 49))
    assert rows[1][:3] == ("inbound", False, "+79161234567")
    assert rows[2][:4] == ("outbound", True, None, "+79161234567")
    assert rows[3][:4] == ("outbound", False, None, "+79035551122")
    assert rows[4][:3] == ("inbound", False, "+79035551122")  # Занято
    typed = con.execute("SELECT duration, billsec, employee, call_id, owner, crm_ref FROM stg.calls ORDER BY _record").fetchone()
    assert typed == (95.0, 80.0, "Иванов Иван (201)", "1516276309.9866", "Иванов Иван", "Сделка #12")


def test_sipuni_19_columns(tmp_path):
    path = tmp_path / "stat.csv"
    path.write_text("\n".join([SIPUNI_19, *SIPUNI_19_ROWS]) + "\n", encoding="utf-8")
    _no_ambiguity(path, "sipuni", "calls")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.rows_loaded, rep.rows_rejected) == ("sipuni", 3, 0)
    assert _tally(con) == {("inbound", True): 1, ("inbound", False): 1, ("outbound", True): 1}
    assert con.execute("SELECT to_e164 FROM stg.calls WHERE call_direction = 'outbound'").fetchone() == ("+74832783118",)


def test_mango_headerless_epoch(tmp_path):
    path = tmp_path / "stats_result.csv"
    path.write_text("\r\n".join(MANGO_ROWS) + "\r\n", encoding="utf-8")
    _no_ambiguity(path, "mango", "calls")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.entity, rep.problem) == ("mango", "calls", None)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (5, 5, 0)
    assert rep.mapped["from_number"] == ["from_extension", "from_number"]
    rows = con.execute(
        """SELECT from_number, to_number, call_direction, is_answered, from_e164, to_e164, started_at, answered_at,
                  ended_at, call_id FROM stg.calls ORDER BY _record""").fetchall()
    utc = dt.datetime(2023, 11, 14, 22, 13, 20)  # 1700000000
    assert rows[0] == ("79001112233", "101", "inbound", True, "+79001112233", None, utc,
                       utc + dt.timedelta(seconds=5), utc + dt.timedelta(seconds=125), "MToxMDA1")
    assert rows[1][:6] == ("79002223344", "102", "inbound", False, "+79002223344", None)
    assert rows[1][7] is None  # answer = 0: nobody picked up
    assert rows[2][:6] == ("103", "79003334455", "outbound", True, None, "+79003334455")  # extension before sip: address
    assert rows[3][:4] == ("79004445566", None, "inbound", False)  # dropped in the IVR
    assert rows[4][:4] == ("101", "102", "internal", True)


def test_mango_13_columns_with_create(tmp_path):
    path = tmp_path / "mango13.csv"
    lines = [r.rsplit(";", 1)[0] + ";1700000000;" + r.rsplit(";", 1)[1] for r in MANGO_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.rows_loaded) == ("mango", 5)
    assert con.execute("SELECT call_id FROM stg.calls ORDER BY _record LIMIT 1").fetchone() == ("MToxMDA1",)


def test_bitrix24_call_statistics_html_xls(tmp_path):
    path = tmp_path / "voximplant_statistic.xls"
    path.write_bytes(b"\xef\xbb\xbf" + _bitrix_html(BITRIX_ROWS).encode("utf-8"))
    _no_ambiguity(path, "bitrix24", "calls")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.entity, rep.kind, rep.problem) == ("bitrix24", "calls", "html", None)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (5, 5, 0)
    rows = con.execute(
        """SELECT employee, call_direction, is_answered, from_e164, to_e164, started_at, crm_ref
           FROM stg.calls ORDER BY _record""").fetchall()
    assert rows[0] == ("Анна Смирнова", "inbound", True, "+79161234567", "+74951234567",
                       dt.datetime(2024, 3, 5, 10, 15), "Контакт: Иван Петров")
    assert rows[1][1:5] == ("inbound", False, "+79167654321", "+74951234567")
    assert rows[2][:5] == ("Олег Козлов", "outbound", True, "+74951234567", "+79161234567")  # line → client
    assert rows[3][1:5] == ("outbound", False, "+74951234567", "+79031112233")
    assert rows[4][1:5] == ("outbound", False, None, "+79031112233")  # callback, cancelled
    assert con.execute("SELECT count(*) FROM stg.calls WHERE crm_ref IS NULL").fetchone() == (3,)  # `-` is blank


@pytest.mark.parametrize("status, answered", [
    ("Успешный звонок", True), ("Пропущенный звонок", False), ("Неуспешный звонок", False), ("Отклонено", False),
    ("Вызов отменен", False), ("Занято", False), ("Неверный номер", False), ("Временно не доступен", False),
    ("Недостаточно средств на счету", False), ("Данное направление не доступно", False), ("Не определен", None),
])
def test_bitrix24_statuses(tmp_path, status, answered):
    path = tmp_path / "calls.xls"
    row = list(BITRIX_ROWS[0])
    row[6] = status
    path.write_bytes(b"\xef\xbb\xbf" + _bitrix_html([row]).encode("utf-8"))
    con, (rep,), _ = _load(path)
    assert rep.system == "bitrix24"
    assert con.execute("SELECT is_answered FROM stg.calls").fetchone() == (answered,)


def test_generic_calls_csv_english(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "date,direction,from,to,duration,status\n"
        "2024-03-01 09:00:00,incoming,+79161234567,101,120,answered\n"
        "2024-03-01 09:05:00,incoming,89161234568,102,0,missed\n"
        "2024-03-01 10:00:00,outgoing,101,+7 (916) 123-45-69,45,answered\n"
        "2024-03-01 11:00:00,outgoing,102,+7 (916) 123-45-70,0,no answer\n", encoding="utf-8")
    _no_ambiguity(path, "generic", "calls")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.entity, rep.rows_loaded) == ("generic", "calls", 4)
    assert rep.confidence <= 0.75
    assert _tally(con) == {("inbound", True): 1, ("inbound", False): 1, ("outbound", True): 1, ("outbound", False): 1}
    assert [r[2:4] for r in _calls(con)] == [("+79161234567", None), ("+79161234568", None),
                                            (None, "+79161234569"), (None, "+79161234570")]
    assert con.execute("SELECT sum(duration) FROM stg.calls").fetchone() == (165.0,)


def test_generic_calls_xlsx_russian(tmp_path):
    path = tmp_path / "звонки.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Дата", "Направление", "Откуда", "Куда", "Длительность", "Статус", "Сотрудник"])
    ws.append([dt.datetime(2024, 4, 2, 9, 30), "Входящий", "+7 916 000-00-01", "201", 61, "Успешный звонок", "Анна"])
    ws.append([dt.datetime(2024, 4, 2, 9, 45), "Входящий", "+7 916 000-00-02", "201", 0, "Пропущенный звонок", "Анна"])
    ws.append([dt.datetime(2024, 4, 2, 10, 0), "Исходящий", "201", "+7 916 000-00-02", 33, "Успешный звонок", "Анна"])
    wb.save(path)
    _no_ambiguity(path, "generic", "calls")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.entity, rep.rows_loaded, rep.problem) == ("generic", "calls", 3, None)
    rows = _calls(con)
    assert rows[0] == ("inbound", True, "+79160000001", None, dt.datetime(2024, 4, 2, 9, 30))
    assert rows[1][:2] == ("inbound", False)
    assert rows[2][:4] == ("outbound", True, None, "+79160000002")


def test_generic_client_number_and_line_ordered_by_direction(tmp_path):
    """UIS/CoMagic-style rows (client number + virtual line + direction) become from/to."""
    path = tmp_path / "uis.csv"
    path.write_text(
        "id,start_time,direction,contact_phone_number,virtual_phone_number,talk_duration,total_duration\n"
        "1,2024-05-01 10:00:00,in,79161112233,74951110000,30,40\n"
        "2,2024-05-01 11:00:00,out,79161112233,74951110000,0,25\n", encoding="utf-8")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.entity) == ("generic", "calls")
    assert _calls(con) == [("inbound", True, "+79161112233", "+74951110000", dt.datetime(2024, 5, 1, 10)),
                           ("outbound", False, "+74951110000", "+79161112233", dt.datetime(2024, 5, 1, 11))]


def test_deals_table_is_not_a_call_log(tmp_path):
    """A generic table with a date and a status but no numbers stays a deals table."""
    path = tmp_path / "deals.csv"
    path.write_text("deal_id,deal_name,deal_stage,close_value,sales_agent,date,status\n"
                    "1,A,Won,100,Ann,2024-01-01,ok\n", encoding="utf-8")
    best, problem = registry.detect(peek(path))
    assert problem is None and (best.system, best.entity) == ("generic", "deals")
