"""Cloud telephony call logs: Sipuni, Mango Office, Bitrix24 call statistics, any calls table (FORMATS.md §1.6, §4).

* Sipuni (`/statistic/export`): `;`-CSV with a Russian header, maybe a BOM; both the 2020s
  24-column header and the older 19-column one; `DD.MM.YYYY HH:MM:SS`; `Входящий`/`Исходящий`,
  `Отвечен`/`Не отвечен`; durations in seconds.
* Mango Office (`/vpbx/stats/result`): `;`-CSV **without a header**, in the order of the
  requested fields; recognised by shape for the documented default order
  `records,start,finish,answer,from_extension,from_number,to_extension,to_number,
  disconnect_reason,line_number,location[,create],entry_id` (11–13 fields): epoch seconds at
  2–4, `answer` = 0 when nobody picked up. The employee's side of a call is its extension when
  there is one, else its number (often a `sip:` address), so `from_number`/`to_number` take the
  extension first (`multi` alternatives: the first non-blank). Direction then follows from
  which side is an extension.
* Bitrix24 telephony "статистика звонков": an HTML table saved as `.xls` (the Сотрудник cell is
  HTML, stripped by the reader). It gives the client's number and the portal line plus a call
  type, so they map to `client_number`/`line_number` and `build.py` orders them into from/to by
  direction. `Время звонка` (`1 мин 5 сек`) is not a number and stays in raw.
* Generic: any calls table with English or Russian titles (date, direction, from, to, duration,
  status, …), including CSV copies of Zadarma (`callstart`, `disposition`, `billseconds`) and
  UIS/CoMagic (`start_time`, `contact_phone_number`, `virtual_phone_number`, `talk_duration`)
  API reports. Capped like every generic profile.
"""
from __future__ import annotations

import re

from ..headers import norm_header
from ..model import Sample
from ..profile import Profile

# ------------------------------------------------------------------------------------------ Sipuni

_SIPUNI_19 = ("Тип", "Статус", "Время", "Схема", "Откуда", "Куда", "Кто ответил", "Длительность звонка",
              "Длительность разговора", "Время ответа", "Оценка", "ID записи", "Метка", "Теги", "ID заказа звонка",
              "Запись существует", "Новый клиент", "Состояние перезвона", "Время перезвона")

SIPUNI = Profile(
    system="sipuni", entity="calls", kinds=("csv", "xlsx", "xls"),
    markers=_SIPUNI_19,
    fields={
        "call_id": ("ID записи",), "started_at": ("Время",), "direction": ("Тип",), "status": ("Статус",),
        "from_number": ("Откуда",), "to_number": ("Куда",), "employee": ("Кто ответил",),
        "duration": ("Длительность звонка",), "billsec": ("Длительность разговора",),
        "crm_ref": ("Информация из CRM",), "owner": ("Ответственный из CRM",), "comment": ("Метка",),
    },
    required=("started_at", "direction", "status"),
)

# ------------------------------------------------------------------------------------------- Mango

_MANGO = ["records", "start", "finish", "answer", "from_extension", "from_number", "to_extension", "to_number",
          "disconnect_reason", "line_number", "location"]
_MANGO_WIDTHS = {11: _MANGO, 12: _MANGO + ["entry_id"], 13: _MANGO + ["create", "entry_id"]}
_EPOCH = re.compile(r"^\d{9,10}$")


def _mango_row_ok(r: tuple[str, ...]) -> bool:
    return (len(r) in _MANGO_WIDTHS and bool(_EPOCH.match(r[1])) and bool(_EPOCH.match(r[2]))
            and (r[3] == "0" or bool(_EPOCH.match(r[3]))) and r[8].isdigit())


def detect_mango(sample: Sample) -> float:
    if sample.delimiter != ";":
        return 0.0
    rows = [sample.header, *sample.rows] if sample.header else list(sample.rows)
    if not rows:
        return 0.0
    return round(0.97 * sum(1 for r in rows if _mango_row_ok(r)) / len(rows), 3)


def mango_columns(sample: Sample) -> list[str] | None:
    widths = [len(r) for r in [sample.header, *sample.rows] if r]
    width = max(set(widths), key=widths.count) if widths else 0
    return list(_MANGO_WIDTHS[width]) if width in _MANGO_WIDTHS else None


MANGO = Profile(
    system="mango", entity="calls", kinds=("csv",), reader="headerless",
    detector=detect_mango, columns_for=mango_columns,
    fields={
        "call_id": ("entry_id",), "started_at": ("start",), "answered_at": ("answer",), "ended_at": ("finish",),
        "from_number": ("from_extension", "from_number"), "to_number": ("to_extension", "to_number"),
        "status": ("disconnect_reason",),
    },
    multi=("from_number", "to_number"),
)

# -------------------------------------------------------------------------- Bitrix24 call statistics

BITRIX24_CALLS = Profile(
    system="bitrix24", entity="calls", kinds=("html", "xlsx", "xls", "csv"),
    markers=("Сотрудник", "Номер портала", "Номер телефона", "Тип звонка", "Время звонка", "Дата вызова", "Статус",
             "Стоимость", "CRM"),
    fields={
        "employee": ("Сотрудник",), "line_number": ("Номер портала",), "client_number": ("Номер телефона",),
        "direction": ("Тип звонка",), "started_at": ("Дата вызова",), "status": ("Статус",),
        "crm_ref": ("CRM",), "comment": ("Комментарий",),
    },
    required=("started_at", "direction"),
)

# ------------------------------------------------------------------------------------------ generic

# typical titles in English, in Russian, and the API field names of UIS/CoMagic and Zadarma
_GENERIC_MARKERS = (
    ("date", "direction", "from", "to", "duration", "status"),
    ("Дата", "Направление", "Откуда", "Куда", "Длительность", "Статус"),
    ("start_time", "direction", "contact_phone_number", "virtual_phone_number", "talk_duration", "total_duration"),
    ("callstart", "from", "to", "disposition", "billseconds", "seconds"),
)

GENERIC_CALLS = Profile(
    system="generic", entity="calls", generic=True,
    markers=_GENERIC_MARKERS[0],
    fields={
        "record_id": ("id", "call id", "call_id", "ID звонка", "ID"),
        "call_id": ("communication_id", "session id", "linkedid", "ID сессии"),
        "started_at": ("date", "start", "start time", "start_time", "started at", "call date", "call start", "callstart",
                       "datetime", "time", "calldate", "Дата", "Дата звонка", "Дата и время",
                       "Начало", "Начало звонка", "Время начала", "Время"),
        "answered_at": ("answer time", "answered at", "answer_time", "Время ответа"),
        "ended_at": ("end", "end time", "finish_time", "ended at", "Окончание", "Время окончания", "Конец"),
        "direction": ("direction", "call type", "call direction", "Направление", "Тип", "Тип звонка"),
        "status": ("status", "disposition", "result", "outcome", "call status", "Статус", "Результат", "Статус звонка"),
        "from_number": ("from", "caller", "caller number", "calling number", "src", "Откуда", "Кто звонил",
                        "Номер звонящего", "Звонящий", "От кого", "Входящий номер"),
        "to_number": ("to", "callee", "called number", "destination", "dst", "Куда", "Кому", "Кому звонили",
                      "Номер назначения", "Набранный номер"),
        "client_number": ("phone", "phone number", "client number", "client phone", "contact_phone_number",
                          "contact number", "customer number", "Телефон", "Номер телефона", "Номер клиента",
                          "Телефон клиента", "Номер абонента", "Абонент"),
        "line_number": ("line", "line number", "virtual_phone_number", "virtual number", "our number", "did",
                        "Линия", "Номер линии", "Виртуальный номер", "Наш номер"),
        "duration": ("duration", "total duration", "total_duration", "seconds", "Длительность", "Длительность звонка",
                     "Продолжительность"),
        "billsec": ("billsec", "talk time", "talk duration", "talk_duration", "billseconds", "conversation",
                    "Длительность разговора", "Время разговора", "Разговор"),
        "employee": ("employee", "agent", "operator", "extension", "sip", "Сотрудник", "Оператор", "Кто ответил",
                     "Добавочный"),
        "crm_ref": ("crm", "crm entity", "CRM"),
        "comment": ("comment", "note", "Комментарий", "Примечание"),
    },
    required=("started_at",),
    bonus=lambda s: _generic_calls_bonus(s),
)


def _generic_calls_bonus(sample: Sample) -> float:
    """The typical-title share counts for the best-matching title set (English, Russian, API names).
    A calls table names numbers; without a number column it is not a call log (a deals table
    also has a date and a status)."""
    titles = {norm_header(h) for h in sample.header}
    numbers = GENERIC_CALLS.fields["from_number"] + GENERIC_CALLS.fields["to_number"] + GENERIC_CALLS.fields["client_number"]
    if not titles & {norm_header(t) for t in numbers}:
        return -1.0
    fracs = [sum(1 for m in ms if norm_header(m) in titles) / len(ms) for ms in _GENERIC_MARKERS]
    return 0.6 * (max(fracs) - fracs[0])


PROFILES = (SIPUNI, MANGO, BITRIX24_CALLS, GENERIC_CALLS)
