"""Telephony as real PBXs write it (issue 11, point 8).

* Asterisk cdr_csv (FORMATS.md §4.1, 21 fields): a leg ANSWERED by a non-dialling application
  (a zero-second `Hangup`, `Playback`) is no answered call; a caller with a six-digit city number
  arriving on a trunk context is an outside caller, not an extension.
* Sipuni `/statistic/export` (§4.4): `;`-CSV with a Russian header; real files vary: no `;`
  after the header while every data row has one, titles with units (`Длительность звонка, сек`),
  title lines above the header.
"""
from __future__ import annotations

import duckdb
import pytest

from checks import prepare
from connectors.load import discover, load

# accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end,
# duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence
_ROW = ('"","{src}","{dst}","{ctx}","""{src}"" <{src}>","{chan}","{dchan}","{app}","{data}","{start}",{answer},'
        '"{start}",{dur},{bill},"{disp}","DOCUMENTATION","{uid}","","","{lid}",{seq}')


def cdr(src, dst, ctx, chan, dchan, app, start, billsec, disp, uid, lid, seq, data=""):
    answer = f'"{start}"' if disp == "ANSWERED" else ""
    return _ROW.format(src=src, dst=dst, ctx=ctx, chan=chan, dchan=dchan, app=app, data=data, start=start,
                       answer=answer, dur=billsec + 5, bill=billsec, disp=disp, uid=uid, lid=lid, seq=seq)


MASTER = [
    # 1: a city caller (6 digits) on the trunk, dialled to 101 who answered
    cdr("214943", "211553", "from-pstn", "SIP/211553-00000013", "SIP/101-00000014", "Dial", "2024-03-01 10:00:00", 23,
        "ANSWERED", "1709280000.1", "1709280000.1", 1, "SIP/101,60"),
    # 2: a mobile caller; the ring group did not answer, the dialplan "answered" and hung up at once
    cdr("89245555937", "211553", "from-pstn", "SIP/211553-00000015", "SIP/101-00000016", "Dial", "2024-03-01 11:00:00", 0,
        "NO ANSWER", "1709283600.2", "1709283600.2", 2, "SIP/101&SIP/102,30"),
    cdr("89245555937", "211553", "from-pstn", "SIP/211553-00000015", "", "Hangup", "2024-03-01 11:00:30", 0,
        "ANSWERED", "1709283600.2", "1709283600.2", 3),
    # 3: an IVR message played for 12 s, then hang up: answered by the PBX, not by a person
    cdr("84951234567", "211553", "from-trunk", "SIP/trunk-00000017", "", "Playback", "2024-03-01 12:00:00", 12,
        "ANSWERED", "1709287200.3", "1709287200.3", 4, "closed-message"),
    # 4: an internal call between extensions, answered
    cdr("101", "102", "from-internal", "SIP/101-00000018", "SIP/102-00000019", "Dial", "2024-03-01 13:00:00", 40,
        "ANSWERED", "1709290800.4", "1709290800.4", 5, "SIP/102,30"),
    # 5: an outbound call from 101
    cdr("101", "89161234567", "from-internal", "SIP/101-0000001a", "SIP/trunk-0000001b", "Dial", "2024-03-01 14:00:00", 61,
        "ANSWERED", "1709294400.5", "1709294400.5", 6, "SIP/trunk/89161234567"),
]


def _load(path):
    con = duckdb.connect()
    reports, _ = load(discover([str(path)]), con)
    return con, reports


def test_asterisk_trunk_context_and_pbx_answered_legs(tmp_path):
    path = tmp_path / "Master.csv"
    path.write_text("\n".join(MASTER) + "\n", encoding="utf-8")
    con, [rep] = _load(path)
    assert (rep.system, rep.entity, rep.rows_loaded) == ("asterisk", "calls", 6)
    assert rep.mapped["context"] == ["dcontext"] and rep.mapped["app"] == ["lastapp"]
    legs = con.execute("SELECT from_number, app, call_direction, is_answered FROM stg.calls ORDER BY _line").fetchall()
    assert legs == [("214943", "Dial", "inbound", True), ("89245555937", "Dial", "inbound", False),
                    ("89245555937", "Hangup", "inbound", False), ("84951234567", "Playback", "inbound", False),
                    ("101", "Dial", "internal", True), ("101", "Dial", "outbound", True)]
    con.execute("CREATE SCHEMA dq")
    prepare.run("calls", con, {})
    calls = con.execute("SELECT ref, direction, answered, number, legs FROM dq.calls ORDER BY started_at").fetchall()
    assert calls == [("1709280000.1", "inbound", True, None, 1),  # outside, but a city number without its area code has no E.164
                     ("1709283600.2", "inbound", False, "+79245555937", 2),
                     ("1709287200.3", "inbound", False, "+74951234567", 1),
                     ("1709290800.4", "internal", True, None, 1),
                     ("1709294400.5", "outbound", True, "+79161234567", 1)]


SIPUNI_HEADER = ("Тип;Статус;Время;Схема;Откуда;Куда;Кто ответил;Длительность звонка, сек;Длительность разговора, сек;"
                 "Время ответа, сек;Оценка;ID записи;Метка;Теги;ID заказа звонка;Запись существует;Новый клиент;"
                 "Состояние перезвона;Время перезвона")
SIPUNI_ROWS = [
    "Входящий;Отвечен;18.01.2018 14:51:49;Основная;+74832783118;+74951234567;Иванов (201);125;110;15;;rec1;;;;1;0;;",
    "Входящий;Не отвечен;18.01.2018 15:01:02;Основная;+79161234567;+74951234567;;30;0;0;;rec2;;;;0;1;Не перезвонили;",
    "Исходящий;Отвечен;18.01.2018 15:10:00;Основная;201;+79031234567;Иванов (201);60;50;10;;rec3;;;;1;0;;",
]


@pytest.mark.parametrize("titles,header_end,first_line", [
    ([], "", 2),                                                              # no `;` after the header only
    ([], ";", 2),
    (["Статистика звонков"], "", 3),                                          # a title line, header without `;`
    (["Статистика звонков", "Период: 18.01.2018 - 18.01.2018"], ";", 4),      # two title lines
])
def test_sipuni_layouts(tmp_path, titles, header_end, first_line):
    path = tmp_path / "sipuni.csv"
    lines = [*titles, SIPUNI_HEADER + header_end, *(r + ";" for r in SIPUNI_ROWS)]
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    con, [rep] = _load(path)
    assert (rep.system, rep.entity, rep.rows_read, rep.rows_loaded, rep.rows_rejected, rep.problem) == (
        "sipuni", "calls", 3, 3, 0, None)
    assert rep.mapped["duration"] == ["Длительность звонка, сек"]
    assert rep.mapped["billsec"] == ["Длительность разговора, сек"]
    assert "trailing delimiter on every line (empty last column dropped)" in rep.warnings
    rows = con.execute("SELECT _line, call_id, duration, billsec, call_direction, is_answered FROM stg.calls ORDER BY _line"
                       ).fetchall()
    assert rows == [(first_line, "rec1", 125.0, 110.0, "inbound", True),
                    (first_line + 1, "rec2", 30.0, 0.0, "inbound", False),
                    (first_line + 2, "rec3", 60.0, 50.0, "outbound", True)]
