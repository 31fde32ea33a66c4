#!/usr/bin/env python3
"""Seeded generator of the sample exports of one fictional company.

ООО «Северный Ветер» sells ventilation equipment to businesses; eight managers work in
Bitrix24, the accountant works in 1C, the office phones run on Asterisk.  This script writes
their exports byte-for-byte the way those systems write them (see /work/shared/FORMATS.md)
and builds data-quality defects in on purpose.  Because it builds them, it knows the true
value of every audit metric; it writes those to TRUTH.json, computed from its own model
(never by re-reading the files).

    python sample_data/generate.py [OUT_DIR]        # default: the folder of this script;
                                                    # exports go to OUT_DIR/exports/

Deterministic: one random.Random(SEED), a fixed reference date, no wall clock, fixed XLSX
properties and zip timestamps, so two runs give identical bytes.
Standard library + openpyxl + lxml only.
"""
from __future__ import annotations

import calendar
import io
import json
import math
import random
import statistics
import sys
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

# --------------------------------------------------------------------------- constants

SEED = 20261122
AS_OF = datetime(2026, 11, 20)                 # the audit's reference date (00:00)
EXPORT_STAMP = "20261120"                      # Bitrix puts date('Ymd') into file names
XLSX_TIME = datetime(2026, 11, 20, 9, 0, 0)    # fixed workbook properties / zip entry times
CML_STAMP = "2026-11-20T09:00:00"
CALLS_FROM = datetime(2026, 9, 21)             # the PBX keeps ~60 days of Master.csv
CALLS_TO = datetime(2026, 11, 19, 22, 0)
STUCK_DAYS = 14
TWELVE_MONTHS_AGO = datetime(2025, 11, 20)

OUR_ORG_1C = "Северный Ветер ООО"
ACCOUNTANT = "Белова Татьяна Николаевна"
ONEC_ADMIN = "Администратор"


@dataclass(frozen=True)
class Manager:
    name: str      # Bitrix formatted user name
    ext: str       # Asterisk extension


MANAGERS = [
    Manager("Сергей Петров", "101"), Manager("Анна Кузнецова", "102"),
    Manager("Дмитрий Волков", "103"), Manager("Елена Смирнова", "104"),
    Manager("Алексей Морозов", "105"), Manager("Ольга Новикова", "106"),
    Manager("Игорь Лебедев", "107"), Manager("Мария Соколова", "108"),
]
# Defect: this manager always picks the first reason of the list for every lost deal.
FIRST_REASON_PICKER = "Алексей Морозов"

# city, tax region code (INN prefix), phone area code, weight
CITIES = [
    ("Москва", "77", "495", 30), ("Санкт-Петербург", "78", "812", 14),
    ("Екатеринбург", "66", "343", 9), ("Новосибирск", "54", "383", 7),
    ("Казань", "16", "843", 8), ("Нижний Новгород", "52", "831", 8),
    ("Уфа", "02", "347", 9), ("Краснодар", "23", "861", 8),
]
CITY_INFO = {c[0]: c for c in CITIES}

# Routing rule of the sales department (level-2 sign): the city picks a team, the kind of
# source picks the team member.  ~90% of leads follow it, the rest are grabbed by hand.
TEAMS = {
    "Москва": ("Сергей Петров", "Анна Кузнецова"),
    "Санкт-Петербург": ("Дмитрий Волков", "Елена Смирнова"),
    "Нижний Новгород": ("Дмитрий Волков", "Елена Смирнова"),
    "Екатеринбург": ("Алексей Морозов", "Ольга Новикова"),
    "Уфа": ("Алексей Морозов", "Ольга Новикова"),
    "Новосибирск": ("Ольга Новикова", "Алексей Морозов"),
    "Казань": ("Игорь Лебедев", "Мария Соколова"),
    "Краснодар": ("Мария Соколова", "Игорь Лебедев"),
    "": ("Сергей Петров", "Анна Кузнецова"),
}
DIGITAL_SOURCES = {"Веб-сайт", "CRM-форма", "Электронная почта", "Реклама", ""}

# Bitrix24 display names (FORMATS.md §1.5)
STAGE_NEW, STAGE_DOCS, STAGE_WORK, STAGE_FINAL = "Новая", "Подготовка документов", "В работе", "Финальный счёт"
STAGE_INVOICE_LATIN = "Cчёт на предоплату"       # U+0043 LATIN C, as in Bitrix's lang file
STAGE_INVOICE_CYR = "Счёт на предоплату"         # retyped by the admin in the second pipeline
STAGE_WON, STAGE_LOSE, STAGE_APOLOGY = "Сделка успешна", "Сделка провалена", "Анализ причины провала"
PROBABILITY = {STAGE_NEW: 10, STAGE_DOCS: 20, "invoice": 40, STAGE_WORK: 60, STAGE_FINAL: 80,
               STAGE_WON: 100, STAGE_LOSE: 0, STAGE_APOLOGY: 0}
PIPELINE_MAIN, PIPELINE_SERVICE = "Общая", "Сервисное обслуживание"
LOSS_REASONS = ["Дорого", "Выбрали конкурента", "Нет бюджета", "Не дозвонились", "Другое"]
CATCH_ALL = {"Другое"}
LOST_STAGES = {STAGE_LOSE, STAGE_APOLOGY}
DEAL_SOURCES = [("Звонок", 22), ("Веб-сайт", 18), ("Существующий клиент", 14), ("CRM-форма", 12),
                ("По рекомендации", 10), ("Электронная почта", 8), ("Выставка", 6), ("Реклама", 5),
                ("Обратный звонок", 4), ("Другое", 1)]
LEAD_SOURCES = [("Веб-сайт", 22), ("CRM-форма", 18), ("Звонок", 20), ("Электронная почта", 9),
                ("Реклама", 8), ("Выставка", 6), ("По рекомендации", 9), ("Обратный звонок", 8)]
CONTACT_SOURCES = [("Звонок", 30), ("Веб-сайт", 20), ("Существующий клиент", 15), ("Выставка", 10),
                   ("По рекомендации", 15), ("Электронная почта", 10)]
INDUSTRIES = [("Производство", 40), ("Другое", 25), ("Доставка", 10), ("Консалтинг", 5),
              ("Финансы", 5), ("Информационные технологии", 5), ("", 10)]
POSITIONS = ["Генеральный директор", "Главный инженер", "Инженер-проектировщик", "Менеджер по закупкам",
             "Снабженец", "Главный механик", "Коммерческий директор", "Бухгалтер", "Секретарь",
             "Руководитель проекта", "Прораб", "Главный энергетик", "Заместитель директора", ""]
SYS_DEAL_FROM_LEAD = "Робот: Сделка из лида"
SYS_LEAD_FROM_CALL = "Робот: Лид из звонка"
SYS_FORM = "CRM-форма"
SYSTEM_ACCOUNTS = {SYS_DEAL_FROM_LEAD, SYS_LEAD_FROM_CALL, SYS_FORM}
BLANK_PLACEHOLDERS = {"", "-", "—", "нет", "n/a", "null", "не указано", "не заполнено"}

MOBILE_PREFIXES = ["903", "905", "906", "909", "910", "912", "915", "916", "917", "919", "922",
                   "925", "926", "929", "950", "952", "960", "961", "977", "985", "999"]

# --------------------------------------------------------------------------- name pools

MALE_FIRST = ["Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Виктор",
              "Владимир", "Владислав", "Геннадий", "Григорий", "Денис", "Дмитрий", "Евгений",
              "Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Максим", "Михаил",
              "Никита", "Николай", "Олег", "Павел", "Пётр", "Роман", "Семён", "Сергей",
              "Станислав", "Степан", "Фёдор", "Юрий", "Ярослав"]
FEMALE_FIRST = ["Алёна", "Алина", "Анастасия", "Анна", "Валентина", "Вера", "Виктория", "Галина",
                "Дарья", "Екатерина", "Елена", "Ирина", "Ксения", "Лариса", "Людмила", "Марина",
                "Мария", "Надежда", "Наталья", "Нина", "Оксана", "Ольга", "Полина", "Светлана",
                "Софья", "Татьяна", "Юлия"]
# father's name -> (male patronymic, female patronymic)
PATRONYMICS = [("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"),
               ("Андреевич", "Андреевна"), ("Борисович", "Борисовна"), ("Викторович", "Викторовна"),
               ("Владимирович", "Владимировна"), ("Дмитриевич", "Дмитриевна"),
               ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"), ("Игоревич", "Игоревна"),
               ("Михайлович", "Михайловна"), ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"),
               ("Павлович", "Павловна"), ("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"),
               ("Юрьевич", "Юрьевна"), ("Фёдорович", "Фёдоровна"), ("Семёнович", "Семёновна"),
               ("Геннадьевич", "Геннадьевна")]
SURNAMES = """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов
Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров
Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов
Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов
Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов
Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв
Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров
Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов
Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов
Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов
Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Мальцев Логинов
Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин Хохлов Жданов Носков
Левченко Шевченко Бондаренко Ковальчук Полянский Савицкий""".split()

NAME_ROOTS = ["Север", "Тепло", "Климат", "Строй", "Техно", "Пром", "Энерго", "Аква", "Арктик",
              "Сибирь", "Урал", "Волга", "Балт", "Нева", "Кама", "Дон", "Инвест", "Металл", "Транс",
              "Агро", "Нефте", "Газ", "Авто", "Лес", "Град", "Мега", "Профи", "Эко", "Стандарт",
              "Термо", "Вент", "Монолит", "Ресурс", "Магистраль", "Капитал", "Регион"]
NAME_TAILS = ["строй", "монтаж", "сервис", "проект", "торг", "снаб", "инжиниринг", "пром", "лайн",
              "тех", "холдинг", "комплект", "групп", "маркет", "альянс", "систем", "мастер", "логистик"]
# Standalone names, some with ё (which people type as е), for the famous «Ромашка» example.
PLAIN_NAMES = ["Ромашка", "Зелёная роща", "Берёзка", "Гранит", "Орион", "Меридиан", "Атлант",
               "Полюс", "Кристалл", "Тёплый дом", "Снежинка", "Ёлочка", "Звезда", "Империя",
               "Созвездие", "Горизонт", "Омега", "Фаворит", "Пчёлка", "Весна"]
TRAP_NAME = "Вектор"     # two different companies with the same name and different valid INNs

LEGAL_FORMS = [("ООО", 70), ("АО", 9), ("ПАО", 3), ("ЗАО", 4), ("ИП", 14)]
FULL_FORMS = {"ООО": "Общество с ограниченной ответственностью", "АО": "Акционерное общество",
              "ПАО": "Публичное акционерное общество", "ЗАО": "Закрытое акционерное общество",
              "ИП": "Индивидуальный предприниматель"}

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                     "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "",
                     "e", "yu", "ya"]))
# Cyrillic letters that have Latin twins; used to plant homoglyph defects.
LOOKALIKE = {"А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
             "С": "C", "Т": "T", "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
             "х": "x"}

DEAL_TITLES = ["Поставка приточной установки", "Монтаж вентиляции склада", "Вентиляция офиса",
               "Кондиционирование цеха", "Поставка вентиляторов", "Проект ОВиК",
               "Замена калориферов", "Система дымоудаления", "Поставка воздуховодов",
               "Чиллер для производства", "Рекуператоры", "Вытяжка для кухни ресторана",
               "Тепловые завесы", "Вентиляция бассейна", "Модернизация ПВУ"]
SERVICE_TITLES = ["Сервисное обслуживание вентиляции", "ТО кондиционеров", "Ремонт ПВУ",
                  "Чистка воздуховодов", "Годовой договор на ТО"]
OBJECT_KINDS = [("Офис", 25), ("Склад", 25), ("Производство", 25), ("ТЦ", 8), ("Ресторан", 7),
                ("", 10)]
UF_OBJECT = "UF_CRM_1718114400123"      # a custom field without a title: exported as its code
DEAL_COMMENTS = ["Клиент просит КП до пятницы.\nПерезвонить главному инженеру.",
                 "Нужен выезд на объект.\nЗамер 12 точек, согласовать доступ с охраной.",
                 "Сравнивают с \"Арктикой\" и ещё одним поставщиком.\nСкидка до 7% согласована.",
                 "Счёт отправлен на почту.\nЖдём оплату; бухгалтерия клиента в отпуске до конца месяца."]


# --------------------------------------------------------------------------- small helpers

def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def work_time(rng: random.Random, day: date, late: bool = False) -> datetime:
    """A moment of an office day; `late` gives evening calls/forms (19:00-22:00)."""
    if late:
        minute = rng.randrange(19 * 60, 22 * 60)
    else:
        minute = rng.randrange(9 * 60, 19 * 60)
    return datetime(day.year, day.month, day.day) + timedelta(minutes=minute, seconds=rng.randrange(60))


def office_between(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    """A working-hours moment strictly after lo and not after hi (people edit CRMs at work)."""
    days = max((hi.date() - lo.date()).days, 0)
    for _ in range(6):
        t = work_time(rng, lo.date() + timedelta(days=rng.randint(0, days)))
        if lo < t <= hi:
            return t
    return min(lo + timedelta(minutes=rng.randint(1, 30)), hi)


def fmt_dt(d: datetime) -> str:
    return d.strftime("%d.%m.%Y %H:%M:%S")


def fmt_d(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def translit(s: str) -> str:
    return "".join(TRANSLIT.get(ch, ch) for ch in s.lower() if ch.isalnum() or ch in "-.")


def norm_name(s: str) -> str:
    """The contract's normalised company base: case folded, ё→е (legal forms are never part
    of a base in this model)."""
    return " ".join(s.lower().replace("ё", "е").split())


def to_lookalike(rng: random.Random, s: str, letters: int = 2) -> str:
    """Replace a few Cyrillic letters by their Latin twins (a homoglyph defect)."""
    idx = [i for i, ch in enumerate(s) if ch in LOOKALIKE]
    chosen = sorted(rng.sample(idx, min(letters, len(idx))))
    out = list(s)
    for i in chosen:
        out[i] = LOOKALIKE[out[i]]
    return "".join(out)


def inn_check10(body9: str) -> str:
    w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return str(sum(a * int(b) for a, b in zip(w, body9)) % 11 % 10)


def inn_checks12(body10: str) -> str:
    w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    c11 = str(sum(a * int(b) for a, b in zip(w11, body10)) % 11 % 10)
    c12 = str(sum(a * int(b) for a, b in zip(w12, body10 + c11)) % 11 % 10)
    return c11 + c12


def inn_is_valid(inn: str) -> bool:
    """Russian INN checksum (FORMATS.md §6.1); used only to assert the generator's intent."""
    if not inn.isdigit():
        return False
    if len(inn) == 10:
        return inn_check10(inn[:9]) == inn[9]
    if len(inn) == 12:
        return inn_checks12(inn[:10]) == inn[10:]
    return False


def kz_bin_is_valid(v: str) -> bool:
    """Kazakhstan BIN/IIN checksum: the contract counts a 12-digit value passing it as valid."""
    if len(v) != 12 or not v.isdigit():
        return False
    d = [int(c) for c in v]
    s = sum(d[i] * (i + 1) for i in range(11)) % 11
    if s == 10:
        s = sum(d[i] * w for i, w in enumerate([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])) % 11
    return s != 10 and s == d[11]


def fmt_phone(e164: str, style: str) -> str:
    """Write +7XXXXXXXXXX the way people type it."""
    n = e164[2:]
    a, b, c, d = n[:3], n[3:6], n[6:8], n[8:]
    return {
        "plus_paren": f"+7 ({a}) {b}-{c}-{d}",
        "eight_paren": f"8 ({a}) {b}-{c}-{d}",
        "plus_space": f"+7 {a} {b}{c}{d}",
        "bare7": f"7{n}",
        "bare8": f"8{n}",
        "plus_bare": f"+7{n}",
        "eight_dash": f"8-{a}-{b}-{c}-{d}",
        "eight_space": f"8 {a} {b} {c} {d}",
        "paren_only": f"({a}) {b}-{c}-{d}",
    }[style]


PHONE_STYLES = [("plus_paren", 30), ("eight_paren", 20), ("bare8", 12), ("plus_bare", 12),
                ("eight_dash", 8), ("plus_space", 8), ("bare7", 5), ("eight_space", 5)]


def share(num: int, den: int, **extra) -> dict:
    out = {"numerator": num, "denominator": den,
           "value": round(num / den, 6) if den else None}
    out.update(extra)
    return out


class Unique:
    """Draws values from a generator function until an unused one comes out."""

    def __init__(self) -> None:
        self.used: dict[str, None] = {}

    def take(self, make) -> str:
        while True:
            v = make()
            if v not in self.used:
                self.used[v] = None
                return v


# --------------------------------------------------------------------------- the model

@dataclass
class Org:
    """One real organisation (the truth behind CRM companies and 1C counterparties)."""
    oid: int
    kind: str              # customer (CRM + 1C), prospect (CRM only), onec_only (1C only)
    form: str
    base: str              # name without legal form; for ИП the owner's full name
    city: str
    inn: str               # always the valid INN; records may carry a defective copy
    kpp: str
    phone: str             # E.164
    email: str
    industry: str
    tags: dict = field(default_factory=dict)   # which deliberate defects apply
    has_deals: bool = True


@dataclass
class CrmCompany:
    org: Org
    title: str
    nbase: str             # normalised name the title stands for
    phone_text: str
    phone: str | None      # E.164 or None when blank
    email_text: str
    email: str | None      # normalised
    inn_text: str
    inn_state: str         # valid / invalid / blank
    industry: str
    ctype: str
    owner: str
    creator: str
    created: datetime
    modified: datetime
    defect: str = ""
    id: int = 0


@dataclass
class Counterparty:
    org: Org
    name: str
    full_name: str
    nbase: str
    ckind: str
    inn_text: str
    inn_state: str
    kpp: str
    phone_text: str
    phone: str | None
    email_text: str
    email: str | None
    guid: str
    defect: str = ""
    row: int = 0


@dataclass
class Person:
    pid: int
    first: str
    last: str
    middle: str
    org: Org | None
    company: CrmCompany | None
    mobile: str | None
    direct: str | None
    email: str | None
    position: str
    tags: dict = field(default_factory=dict)


@dataclass
class Contact:
    person: Person
    first: str
    last: str
    middle: str
    phone_text: str
    phones: list            # list of (text, e164 or None) for every number in the cell
    email_text: str
    email_state: str        # valid / invalid / blank
    company_title: str
    position: str
    source: str
    owner: str
    creator: str
    created: datetime
    modified: datetime
    defect: str = ""
    id: int = 0

    @property
    def display(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Lead:
    title: str
    first: str
    last: str
    phone_text: str
    phone: str | None
    email_text: str
    company_name: str
    status: str
    source: str
    city: str
    owner: str
    routed: bool
    creator: str
    created: datetime
    modified: datetime
    person: Person | None = None
    id: int = 0


@dataclass
class Deal:
    title: str
    amount_text: str
    company: CrmCompany
    contact: Contact | None
    stage: str
    outcome: str            # won / lost / open
    source: str
    owner: str
    creator: str
    created: datetime
    modified: datetime
    planned_close: date
    closed: datetime | None
    pipeline: str
    comment: str
    reason: str
    uf_object: str
    id: int = 0


@dataclass
class Doc:
    kind: str               # invoice / sale
    day: date
    amount: float
    cp: Counterparty
    via: str                # xlsx / cml
    comment: str
    guid: str
    time: str
    number: str = ""
    deal: Deal | None = None


@dataclass
class Payment:
    day: date
    amount: float
    cp: Counterparty
    invoice: Doc | None
    in_number: str
    number: str = ""


@dataclass
class CallEvent:
    """One call (all legs of it share a linkedid)."""
    direction: str          # in / out / internal
    number: str | None      # E.164 of the outside party
    style: str              # how the number is written in the CDR
    start: datetime
    exts: list              # extensions rung (in) / dialing ext (out)
    answered_by: str | None
    disposition: str        # for out/internal: ANSWERED / NO ANSWER / BUSY; in: derived
    ring: int
    talk: int
    movable: bool
    tag: str
    linkedid: str = ""


# --------------------------------------------------------------------------- organisations

def base_name_pools(rng: random.Random) -> tuple[list[str], list[str]]:
    plain = [n for n in PLAIN_NAMES if n != "Ромашка"]
    combos = [r + t for r in NAME_ROOTS for t in NAME_TAILS]
    rng.shuffle(plain)
    rng.shuffle(combos)
    return plain, combos


def make_person_name(rng: random.Random, female: bool | None = None) -> tuple[str, str, str]:
    if female is None:
        female = rng.random() < 0.4
    last = rng.choice(SURNAMES)
    if female:
        first = rng.choice(FEMALE_FIRST)
        if last.endswith(("ов", "ев", "ёв", "ин", "ын")):
            last += "а"
        elif last.endswith("ский"):
            last = last[:-4] + "ская"
        middle = rng.choice(PATRONYMICS)[1]
    else:
        first = rng.choice(MALE_FIRST)
        middle = rng.choice(PATRONYMICS)[0]
    return first, last, middle


def make_inn(rng: random.Random, region: str, twelve: bool, used: Unique) -> str:
    def draw() -> str:
        office = region + f"{rng.randint(1, 29):02d}"
        if twelve:
            body = office + "".join(str(rng.randrange(10)) for _ in range(6))
            return body + inn_checks12(body)
        body = office + "".join(str(rng.randrange(10)) for _ in range(5))
        return body + inn_check10(body)
    return used.take(draw)


def make_landline(rng: random.Random, city: str, phones: Unique) -> str:
    area = CITY_INFO[city][2]
    return phones.take(lambda: f"+7{area}{rng.randint(2, 9)}{rng.randrange(10 ** 6):06d}")


def make_mobile(rng: random.Random, phones: Unique) -> str:
    return phones.take(lambda: f"+7{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10 ** 7):07d}")


def make_orgs(rng: random.Random, phones: Unique, emails: Unique,
              inns: Unique) -> tuple[list[Org], list[str]]:
    """All organisations; also returns the unused names (1C legal names for brand conflicts)."""
    kinds = ["customer"] * 126 + ["prospect"] * 106 + ["onec_only"] * 56
    plain, combos = base_name_pools(rng)
    used_bases: dict[str, None] = {}
    orgs: list[Org] = []
    for oid, kind in enumerate(kinds, start=1):
        city = pick(rng, [(c[0], c[3]) for c in CITIES])
        form = pick(rng, LEGAL_FORMS)
        if oid == 1 or oid == 127:
            # The trap pair: same name, different legal form/city/INN -> two companies.
            form, base = ("ООО", TRAP_NAME) if oid == 1 else ("АО", TRAP_NAME)
            city = "Москва" if oid == 1 else "Казань"
        elif oid == 2:
            form, base = "ООО", "Ромашка"
        elif form == "ИП":
            while True:
                f, l, m = make_person_name(rng)
                base = f"{l} {f} {m}"
                if norm_name(base) not in used_bases:
                    break
        else:
            base = plain.pop() if plain and rng.random() < 0.12 else combos.pop()
        if base != TRAP_NAME:
            used_bases[norm_name(base)] = None
        region = CITY_INFO[city][1]
        inn = make_inn(rng, region, form == "ИП", inns)
        kpp = "" if form == "ИП" else inn[:4] + "01001"
        phone = make_landline(rng, city, phones)
        if form == "ИП":
            last, first = base.split()[:2]
            email = emails.take(lambda: f"{translit(last)}.{translit(first)[0]}{rng.randint(1, 99)}@"
                                        f"{rng.choice(['mail.ru', 'yandex.ru', 'gmail.com'])}")
            domain = ""
        else:
            domain = translit(base.replace(" ", "-"))
            if base == TRAP_NAME and oid > 1:
                domain += "-" + translit(city)[:3]        # the second «Вектор» has its own site
            email = emails.take(lambda: f"{rng.choice(['info', 'office', 'zakaz', 'snab'])}@{domain}.ru")
        org = Org(oid, kind, form, base, city, inn, kpp, phone, email, pick(rng, INDUSTRIES))
        org.tags["domain"] = domain
        orgs.append(org)
    return orgs, combos


def assign_org_defects(rng: random.Random, orgs: list[Org]) -> None:
    """Decide, per organisation, which deliberate defects its records get (disjoint sets)."""
    customers = [o for o in orgs if o.kind == "customer" and o.base not in (TRAP_NAME, "Ромашка")]
    prospects = [o for o in orgs if o.kind == "prospect" and o.base != TRAP_NAME]
    onec_only = [o for o in orgs if o.kind == "onec_only"]
    romashka = next(o for o in orgs if o.base == "Ромашка")
    trap = [o for o in orgs if o.base == TRAP_NAME]

    pool = customers[:]
    rng.shuffle(pool)

    def take(n: int, cond=lambda o: True) -> list[Org]:
        chosen = [o for o in pool if cond(o)][:n]
        for o in chosen:
            pool.remove(o)
        return chosen

    # Why: the same client entered twice/thrice in Bitrix (same INN, the name spelt differently).
    romashka.tags["crm_dups"] = ["suffix", "quoted_upper"]
    for o in take(9):
        o.tags["crm_dups"] = [rng.choice(["suffix", "quoted_upper", "plain", "lookalike", "ascii_quotes"])]
    for o in take(1, lambda o: o.form != "ИП"):
        o.tags["crm_dups"] = ["lookalike", "suffix"]
    # Why: INN missing in Bitrix; matching with 1C must fall back to name + phone.
    for o in take(6, lambda o: o.form != "ИП"):
        o.tags["crm_blank_inn"] = True
    # Why: INN missing in 1C; the same fall-back from the other side.
    for o in take(4, lambda o: o.form != "ИП"):
        o.tags["onec_blank_inn"] = True
    # Why: the accountant created the counterparty twice (same INN).
    for o in take(6, lambda o: o.form != "ИП"):
        o.tags["onec_dup"] = True
    # Why: copies typed twice disagree: 1C keeps an old phone / another e-mail / the legal name.
    for o in take(10):
        o.tags["conflict_phone"] = True
    for o in take(8, lambda o: o.form != "ИП"):
        o.tags["conflict_email"] = True
    for o in take(5, lambda o: o.form != "ИП"):
        o.tags["conflict_name"] = True
    # Documents of these counterparties came through the CommerceML exchange, not the lists.
    for o in take(15, lambda o: o.form != "ИП"):
        o.tags["cml"] = True
    # Why: clients served only by the accountant -> payments with no CRM deal.
    for o in take(9):
        o.has_deals = False
    trap[0].has_deals = False         # names are ambiguous by design; keep deals off them
    trap[1].has_deals = False

    ppool = prospects[:]
    rng.shuffle(ppool)
    for o in ppool[:4]:
        o.tags["crm_dups"] = [rng.choice(["suffix", "quoted_upper", "plain"])]
    # Why: a duplicate without INN, found only by name + shared phone (one with a homoglyph).
    ppool[4].tags["crm_namephone_dup"] = "lookalike"
    ppool[5].tags["crm_namephone_dup"] = "suffix"
    for o in ppool[6:14]:
        if o.form != "ИП":
            o.tags["crm_invalid_inn"] = True
    for o in ppool[14:52]:
        o.tags["crm_blank_inn"] = True
    for o in ppool[52:70]:
        o.has_deals = False

    opool = onec_only[:]
    rng.shuffle(opool)
    for o in opool[:8]:
        o.tags["onec_blank_inn"] = True
    for o in opool[8:13]:
        if o.form != "ИП":
            o.tags["onec_invalid_inn"] = True
    opool[13].tags["onec_dup"] = True
    for o in opool[14:19]:
        if o.form != "ИП":
            o.tags["cml"] = True


def bad_inn(rng: random.Random, inn: str) -> str:
    """An INN that fails: wrong check digit, or a digit lost when typing."""
    if rng.random() < 0.7:
        return inn[:-1] + str((int(inn[-1]) + rng.randint(1, 9)) % 10)
    return inn[:-1]


def crm_title(rng: random.Random, org: Org, style: str) -> str:
    """How a manager typed the company's name (all variants normalise to the same base)."""
    b, f = org.base, org.form
    if style == "lookalike":
        return f"ИП {to_lookalike(rng, b)}" if f == "ИП" else f"{f} «{to_lookalike(rng, b.upper(), 3)}»"
    if f == "ИП":
        return {"std": f"ИП {b}", "suffix": f"{b} ИП", "quoted_upper": f"ИП {b.upper()}",
                "plain": b, "ascii_quotes": f"ИП \"{b}\""}[style]
    return {"std": f"{f} «{b}»", "suffix": f"{b} {f}", "quoted_upper": f"\"{b.upper()}\"",
            "plain": b, "ascii_quotes": f"{f} \"{b}\""}[style]


def make_crm_companies(rng: random.Random, orgs: list[Org]) -> list[CrmCompany]:
    recs: list[CrmCompany] = []
    titles: dict[str, None] = {}
    for org in orgs:
        if org.kind == "onec_only":
            continue
        created = office_between(rng, datetime(2023, 3, 1), datetime(2026, 9, 30))
        owner = rng.choice(MANAGERS).name
        # the name+phone fall-back needs a phone on both sides
        must_phone = (org.kind == "customer" and (org.tags.get("crm_blank_inn") or org.tags.get("onec_blank_inn"))) \
            or org.tags.get("conflict_phone") or org.tags.get("crm_namephone_dup")
        phone = org.phone if (must_phone or rng.random() > 0.10) else None
        email = org.email if (org.tags.get("conflict_email") or rng.random() > 0.25) else None
        if org.tags.get("crm_blank_inn"):
            inn_text, state = "", "blank"
        elif org.tags.get("crm_invalid_inn"):
            inn_text, state = bad_inn(rng, org.inn), "invalid"
        else:
            inn_text, state = org.inn, "valid"
        style = "std" if rng.random() < 0.8 or org.base == TRAP_NAME else rng.choice(["plain", "ascii_quotes"])
        title = crm_title(rng, org, style)
        ctype = "Клиент" if org.kind == "customer" else rng.choice(["Клиент", "Другое", "Партнер", ""])
        primary = CrmCompany(org, title, norm_name(org.base),
                             fmt_phone(phone, pick(rng, PHONE_STYLES)) if phone else "", phone,
                             email or "", email, inn_text, state, org.industry, ctype, owner,
                             owner if rng.random() < 0.8 else rng.choice(MANAGERS).name,
                             created, created, "")
        org.tags["primary"] = primary
        group = [primary]
        for style in org.tags.get("crm_dups", []):
            dup_phone = org.phone if rng.random() < 0.6 else None
            dup_email = org.email if rng.random() < 0.6 else None
            group.append(CrmCompany(
                org, crm_title(rng, org, style), norm_name(org.base),
                fmt_phone(dup_phone, pick(rng, PHONE_STYLES)) if dup_phone else "", dup_phone,
                (dup_email.upper() if dup_email and rng.random() < 0.5 else dup_email or ""), dup_email,
                org.inn, "valid", org.industry, ctype, rng.choice(MANAGERS).name,
                rng.choice(MANAGERS).name, created + timedelta(days=rng.randint(20, 400)), created,
                f"duplicate_same_inn:{style}"))
        if org.tags.get("crm_namephone_dup"):
            style = org.tags["crm_namephone_dup"]
            group.append(CrmCompany(
                org, crm_title(rng, org, style), norm_name(org.base),
                fmt_phone(org.phone, "bare8"), org.phone, "", None, "", "blank", "", ctype,
                rng.choice(MANAGERS).name, rng.choice(MANAGERS).name,
                created + timedelta(days=rng.randint(20, 300)), created,
                f"duplicate_name_phone:{style}"))
        for rec in group:
            if rec.created > datetime(2026, 11, 10):
                rec.created = datetime(2026, 11, 10) - timedelta(hours=rng.randint(1, 2000))
            rec.modified = office_between(rng, rec.created, min(rec.created + timedelta(days=200),
                                                                datetime(2026, 11, 19, 18, 0)))
            if rec.title in titles:           # exact titles stay unique: deals link by title
                raise RuntimeError(f"duplicate title {rec.title}")
            titles[rec.title] = None
        recs.extend(group)
    recs.sort(key=lambda r: r.created)
    next_id = 2
    for r in recs:
        r.id = next_id
        next_id += rng.randint(1, 3)
    return recs


def onec_name(org: Org, style: str = "std") -> tuple[str, str]:
    """1C list names: short name with the form at the end, full name spelled out."""
    b = org.base
    full = f"{FULL_FORMS[org.form]} \"{b}\"" if org.form != "ИП" else f"{FULL_FORMS['ИП']} {b}"
    if style == "std":
        return f"{b} {org.form}", full
    return (f"{org.form} \"{b}\"" if org.form != "ИП" else f"ИП {b}"), full


def make_counterparties(rng: random.Random, orgs: list[Org], phones: Unique,
                        names_pool: list[str]) -> list[Counterparty]:
    recs: list[Counterparty] = []
    for org in orgs:
        if org.kind == "prospect":
            continue
        name, full = onec_name(org)
        nbase = norm_name(org.base)
        if org.tags.get("conflict_name"):
            # 1C holds the legal name, the CRM the brand: only the INN ties them.
            legal = names_pool.pop()
            name, full = f"{legal} {org.form}", f"{FULL_FORMS[org.form]} \"{legal}\""
            nbase = norm_name(legal)
        phone = org.phone
        if org.tags.get("conflict_phone"):
            phone = make_landline(rng, org.city, phones)
            org.tags["old_phone"] = phone
        elif not (org.tags.get("onec_blank_inn") or org.tags.get("crm_blank_inn")) and rng.random() < 0.12:
            phone = None
        email = org.email if rng.random() < 0.7 else None
        if org.tags.get("conflict_email"):
            email = "buh@" + org.email.split("@")[1]
        if org.tags.get("onec_blank_inn"):
            inn_text, state = "", "blank"
        elif org.tags.get("onec_invalid_inn"):
            inn_text, state = bad_inn(rng, org.inn), "invalid"
        else:
            inn_text, state = org.inn, "valid"
        ckind = "Индивидуальный предприниматель" if org.form == "ИП" else "Юридическое лицо"
        style = rng.choice(["plus_paren", "eight_paren", "paren_only"])
        rec = Counterparty(org, name, full, nbase, ckind, inn_text, state, org.kpp,
                           fmt_phone(phone, style) if phone else "", phone, email or "", email,
                           str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        recs.append(rec)
        org.tags["cp"] = rec
        if org.tags.get("onec_dup"):
            name2, _ = onec_name(org, "quoted")
            recs.append(Counterparty(org, name2, full, nbase, ckind, org.inn, "valid", org.kpp,
                                     "", None, "", None,
                                     str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                     "duplicate_same_inn"))
    # 1C sorts the list by name
    recs.sort(key=lambda r: r.name.lower())
    for i, r in enumerate(recs, start=2):
        r.row = i
    return recs


# --------------------------------------------------------------------------- people

def typo(rng: random.Random, word: str) -> str:
    """A plausible keyboard slip inside a surname."""
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]      # swapped letters
    return word[:i] + word[i] + word[i:]                               # doubled letter


def person_email(rng: random.Random, first: str, last: str, org: Org | None, emails: Unique) -> str:
    f, l = translit(first), translit(last)
    domain = org.tags.get("domain") if org else ""
    if domain and rng.random() < 0.65:
        return emails.take(lambda: rng.choice([f"{f[0]}.{l}", f"{l}", f"{l}.{f[0]}", f"{f}.{l}"]) + f"@{domain}.ru")
    return emails.take(lambda: rng.choice([f"{l}.{f}", f"{f}.{l}", f"{l}{f[0]}", f"{f[0]}{l}"])
                       + f"{rng.randint(1, 99)}@" + rng.choice(["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru"]))


def make_persons(rng: random.Random, orgs: list[Org], phones: Unique, emails: Unique) -> list[Person]:
    persons: list[Person] = []
    # full names are unique per normalised company name (the two «Вектор» share one namespace)
    namespace: dict[str, dict[str, None]] = {}
    for org in orgs:
        if org.kind == "onec_only":
            continue
        n = rng.choice([2, 2, 3, 3, 4]) if org.kind == "customer" else rng.choice([1, 1, 2, 2, 3])
        names_here = namespace.setdefault(norm_name(org.base), {})
        for _ in range(n):
            while True:
                first, last, middle = make_person_name(rng)
                key = norm_name(f"{last} {first} {middle}")
                if key not in names_here:
                    names_here[key] = None
                    break
            persons.append(Person(len(persons) + 1, first, last, middle, org, org.tags["primary"],
                                  None, None, None, rng.choice(POSITIONS)))
    for _ in range(22):        # private persons with no company in the CRM
        first, last, middle = make_person_name(rng)
        persons.append(Person(len(persons) + 1, first, last, middle, None, None, None, None, None, ""))
    # Why: namesakes in different companies are different people (no shared phone/e-mail).
    with_company = [p for p in persons if p.org]
    made = 0
    while made < 3:
        a, b = rng.sample(with_company, 2)
        full = norm_name(f"{a.last} {a.first} {a.middle}")
        if norm_name(a.org.base) == norm_name(b.org.base) or a.tags or b.tags or \
                full in namespace[norm_name(b.org.base)]:
            continue
        b.first, b.last, b.middle = a.first, a.last, a.middle
        namespace[norm_name(b.org.base)][full] = None
        a.tags["namesake"] = b.tags["namesake_of"] = a.pid
        made += 1
    for p in persons:
        p.mobile = make_mobile(rng, phones) if rng.random() > 0.08 else None
        if p.mobile and p.org and rng.random() < 0.10:
            p.direct = make_landline(rng, p.org.city, phones)
        if rng.random() < 0.72:
            p.email = person_email(rng, p.first, p.last, p.org, emails)
    return persons


def choose_person_defects(rng: random.Random, persons: list[Person], emails: Unique) -> None:
    """Disjoint sets of people get: duplicates, switchboard phone, invalid phone/e-mail, '-'."""
    orgs_with3: dict[int, list[Person]] = {}
    for p in persons:
        if p.org and p.org.kind == "customer":
            orgs_with3.setdefault(p.org.oid, []).append(p)
    big = [ps for ps in orgs_with3.values() if len(ps) >= 3]
    rng.shuffle(big)
    # Why: three people of one company typed the reception's number (switchboard): NOT duplicates.
    for ps in big[:2]:
        for p in ps[:3]:
            p.tags["switchboard"] = True
            p.mobile, p.direct = None, None
            if not p.email:
                p.email = person_email(rng, p.first, p.last, p.org, emails)
    free = [p for p in persons if not p.tags and p.org]
    rng.shuffle(free)
    # duplicates need a phone to be found by; typo/no-middle variants need an e-mail too
    dup_candidates = [p for p in free if p.mobile]
    yo_people = [p for p in dup_candidates if "ё" in f"{p.first}{p.last}{p.middle}"]
    chosen: list[Person] = []
    for p in yo_people[:9]:
        p.tags["dups"] = ["yo"]
        chosen.append(p)
    rest = [p for p in dup_candidates if p not in chosen]
    with_mail = [p for p in rest if p.email]
    for p in with_mail[:12]:
        p.tags["dups"] = [rng.choice(["typo", "no_middle"])]
        chosen.append(p)
    rest = [p for p in rest if p not in chosen]
    for p in rest[:19]:
        p.tags["dups"] = ["format"]
        chosen.append(p)
    triples = [p for p in chosen if p.email][:6]
    for p in triples:
        p.tags["dups"] = p.tags["dups"] + ["format" if p.tags["dups"][0] != "format" else "case"]
    left = [p for p in free if "dups" not in p.tags]
    for p in left[:22]:
        p.tags["invalid_phone"] = True          # Why: garbage typed into the phone field
    for p in left[22:42]:
        p.tags["invalid_email"] = True          # Why: e-mail with a missing @ / TLD / a comma
    for p in left[42:48]:
        p.tags["phone_dash"] = True             # Why: '-' typed into the phone field = blank
    for p in left[48:54]:
        p.tags["email_net"] = True              # Why: 'нет' typed into the e-mail field = blank


def invalid_phone_text(rng: random.Random, used: Unique) -> str:
    return used.take(lambda: rng.choice([
        f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        f"8916{rng.randrange(10 ** 6):06d}",
        f"+7 (9{rng.randint(10, 99)}) {rng.randint(10, 99)}",
        f"+7 (000) 000-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        f"{rng.randint(100, 999)}",
    ]))


def invalid_email_text(rng: random.Random, p: Person) -> str:
    u = f"{translit(p.first)[0]}.{translit(p.last)}"
    return rng.choice([f"{u}@mail", f"{u}.mail.ru", f"{u}@@yandex.ru", f"{u}@yandex,ru",
                       f"{u} @mail.ru", f"{u}@gmail"])


def make_contacts(rng: random.Random, persons: list[Person], used_bad: Unique) -> list[Contact]:
    contacts: list[Contact] = []
    for p in persons:
        created = office_between(rng, datetime(2023, 4, 1), datetime(2026, 10, 31))
        if p.company and created < p.company.created:
            created = office_between(rng, p.company.created, p.company.created + timedelta(days=3))
        owner = p.company.owner if p.company and rng.random() < 0.8 else rng.choice(MANAGERS).name
        # phone cell
        phones: list = []
        if p.tags.get("switchboard"):
            phones = [(fmt_phone(p.org.phone, pick(rng, PHONE_STYLES)), p.org.phone)]
        elif p.tags.get("invalid_phone"):
            phones = [(invalid_phone_text(rng, used_bad), None)]
        elif p.mobile:
            phones = [(fmt_phone(p.mobile, pick(rng, PHONE_STYLES)), p.mobile)]
            if p.direct:
                phones.append((fmt_phone(p.direct, pick(rng, PHONE_STYLES)), p.direct))
        phone_text = ", ".join(t for t, _ in phones) if phones else ("-" if p.tags.get("phone_dash") else "")
        if p.tags.get("invalid_email"):
            email_text, state = invalid_email_text(rng, p), "invalid"
        elif p.email:
            email_text, state = p.email, "valid"
        else:
            email_text, state = ("нет" if p.tags.get("email_net") else ""), "blank"
        title = p.company.title if p.company else ""
        c = Contact(p, p.first, p.last, p.middle if rng.random() < 0.75 or p.tags.get("dups") else "",
                    phone_text, phones, email_text, state, title, p.position,
                    pick(rng, CONTACT_SOURCES) if rng.random() < 0.85 else "", owner,
                    owner if rng.random() < 0.85 else rng.choice(MANAGERS).name, created, created)
        contacts.append(c)
        for variant in p.tags.get("dups", []):
            contacts.append(duplicate_contact(rng, c, variant))
    for c in contacts:
        c.modified = office_between(rng, c.created, min(c.created + timedelta(days=300),
                                                        datetime(2026, 11, 19, 18, 30)))
    contacts.sort(key=lambda c: c.created)
    next_id = 40
    for c in contacts:
        c.id = next_id
        next_id += rng.randint(1, 4)
    return contacts


def duplicate_contact(rng: random.Random, c: Contact, variant: str) -> Contact:
    """The same person typed again later: phone in another format, e-mail in another case,
    a name with е for ё, a typo or without patronymic."""
    p = c.person
    style = rng.choice([s for s in ("eight_paren", "plus_space", "bare7")
                        if fmt_phone(p.mobile, s) != c.phone_text.split(", ")[0]])
    first, last, middle = c.first, c.last, c.middle
    email_text, state = c.email_text, c.email_state
    if variant == "yo":
        first, last, middle = (x.replace("ё", "е").replace("Ё", "Е") for x in (first, last, middle))
        email_text = email_text if rng.random() < 0.5 else ""
    elif variant == "typo":
        last = typo(rng, last)
        email_text = email_text.upper() if rng.random() < 0.5 else email_text.capitalize()
    elif variant == "no_middle":
        middle = ""
        email_text = email_text[0].upper() + email_text[1:]
    elif variant == "format":
        email_text = email_text if rng.random() < 0.6 else ""
    elif variant == "case":
        email_text = email_text.upper()
    state = "valid" if email_text else "blank"
    created = office_between(rng, c.created + timedelta(days=3),
                             max(c.created + timedelta(days=4), min(c.created + timedelta(days=400),
                                                                    datetime(2026, 11, 12, 12, 0))))
    owner = rng.choice(MANAGERS).name
    return Contact(p, first, last, middle, fmt_phone(p.mobile, style), [(fmt_phone(p.mobile, style), p.mobile)],
                   email_text, state, c.company_title, c.position if rng.random() < 0.5 else "",
                   pick(rng, CONTACT_SOURCES), owner, owner, created, created, f"duplicate:{variant}")


# --------------------------------------------------------------------------- leads

def routed_owner(source: str, city: str) -> str:
    team = TEAMS[city]
    return team[0] if source in DIGITAL_SOURCES else team[1]


def make_leads(rng: random.Random, persons: list[Person], contacts: list[Contact],
               phones: Unique, emails: Unique) -> list[Lead]:
    leads: list[Lead] = []
    converted_pool = [p for p in persons if p.mobile and p.org and not p.tags]
    rng.shuffle(converted_pool)
    contact_by_person = {}
    for c in contacts:
        contact_by_person.setdefault(c.person.pid, c)
    for i in range(400):
        # 25% of leads fall into the telephony window (the last 60 days)
        if i < 100:
            created_day = (CALLS_FROM + timedelta(days=rng.randrange(59))).date()
        else:
            created_day = (datetime(2026, 1, 15) + timedelta(days=rng.randrange(249))).date()
        source = pick(rng, LEAD_SOURCES) if rng.random() > 0.03 else ""
        web = source in ("Веб-сайт", "CRM-форма", "Электронная почта", "Реклама")
        created = work_time(rng, created_day, late=web and rng.random() < 0.25)
        city = pick(rng, [(c[0], c[3]) for c in CITIES]) if rng.random() > 0.06 else ""
        routed = rng.random() < 0.9
        owner = routed_owner(source, city) if routed else rng.choice(MANAGERS).name
        if source == "CRM-форма" or (source == "Обратный звонок" and rng.random() < 0.7):
            creator = SYS_FORM
        elif source == "Звонок" and rng.random() < 0.85:
            creator = SYS_LEAD_FROM_CALL
        else:
            creator = owner if rng.random() < 0.8 else rng.choice(MANAGERS).name
        if rng.random() < 0.02:
            creator = ""                       # Why: creator unknown (user deleted)
        # a few recent leads are existing contacts calling again (same phone as the contact)
        person = converted_pool.pop() if i < 100 and i % 6 == 3 and converted_pool else None
        if person:
            first, last, phone = person.first, person.last, person.mobile
            company = person.company.title if person.company else ""
            email = person.email or ""
        else:
            first, last, _ = make_person_name(rng)
            phone = make_mobile(rng, phones) if rng.random() < 0.88 else None
            if phone is None and rng.random() < 0.5:
                phone = make_landline(rng, city or "Москва", phones)
            email = person_email(rng, first, last, None, emails) if rng.random() < 0.55 else ""
            company = (rng.choice(["ООО ", "", "АО "]) + rng.choice(NAME_ROOTS) + rng.choice(NAME_TAILS)) \
                if rng.random() < 0.6 else ""      # free text typed into the lead form
        style = pick(rng, [("plus_bare", 35), ("bare8", 20), ("plus_paren", 20), ("eight_paren", 15),
                           ("plus_space", 10)])
        title = {"CRM-форма": "CRM-форма: Заявка на расчёт", "Веб-сайт": "Заявка с сайта",
                 "Звонок": "Входящий звонок", "Обратный звонок": "Обратный звонок",
                 "Электронная почта": "Письмо на info@", "Реклама": "Заявка из рекламы",
                 "Выставка": "Выставка «Мир Климата»", "По рекомендации": "По рекомендации",
                 "": "Лид"}[source]
        if rng.random() < 0.4:
            title += f" — {rng.choice(['вентиляция', 'кондиционирование', 'ПВУ', 'воздуховоды', 'сервис'])}"
        age = (AS_OF - created).days
        if age <= 14:
            status = pick(rng, [("Не обработан", 45), ("В работе", 40), ("Обработан", 10), ("Некачественный лид", 5)])
        else:
            status = pick(rng, [("Качественный лид", 30), ("Некачественный лид", 25), ("Обработан", 25),
                                ("В работе", 15), ("Не обработан", 5)])
        modified = office_between(rng, created, min(created + timedelta(days=30), datetime(2026, 11, 19, 20, 0)))
        leads.append(Lead(title, first, last, fmt_phone(phone, style) if phone else "", phone, email,
                          company, status, source, city, owner, routed, creator, created, modified, person))
    leads.sort(key=lambda l: l.created)
    next_id = 1500
    for l in leads:
        l.id = next_id
        next_id += rng.randint(1, 3)
    return leads


# --------------------------------------------------------------------------- deals

def avoid(d: datetime, lo: datetime, hi: datetime, push: timedelta) -> datetime:
    """Move a timestamp out of an ambiguous band around a metric's cut-off."""
    return d - push if lo <= d < hi else d


def make_deals(rng: random.Random, orgs: list[Org], crm: list[CrmCompany],
               contacts: list[Contact]) -> list[Deal]:
    by_org: dict[int, list[CrmCompany]] = {}
    for r in crm:
        by_org.setdefault(r.org.oid, []).append(r)
    contacts_by_org: dict[int, list[Contact]] = {}
    for c in contacts:
        if c.person.org:
            contacts_by_org.setdefault(c.person.org.oid, []).append(c)
    customers = [o for o in orgs if o.kind == "customer" and o.has_deals]
    prospects = [o for o in orgs if o.kind == "prospect" and o.has_deals]
    deals: list[Deal] = []
    for i in range(900):
        outcome = pick(rng, [("won", 36), ("lost", 34), ("open", 30)])
        if outcome == "won":
            org = rng.choice(customers) if rng.random() < 0.85 else rng.choice(prospects)
        else:
            org = rng.choice(customers) if rng.random() < 0.5 else rng.choice(prospects)
        recs = by_org[org.oid]
        company = recs[0] if len(recs) == 1 or rng.random() < 0.7 else rng.choice(recs[1:])
        people = contacts_by_org.get(org.oid, [])
        contact = rng.choice(people) if people and rng.random() < 0.85 else None
        pipeline = PIPELINE_SERVICE if rng.random() < 0.15 else PIPELINE_MAIN
        owner = company.owner if rng.random() < 0.6 else rng.choice(MANAGERS).name
        closed = None
        if outcome in ("won", "lost"):
            closed = work_time(rng, (datetime(2024, 11, 25) + timedelta(days=rng.randrange(724))).date())
            # keep close dates off the 12-month cut-off so "last 12 months" is unambiguous
            closed = avoid(closed, datetime(2025, 11, 17), datetime(2025, 11, 24), timedelta(days=7))
            created = work_time(rng, closed.date() - timedelta(days=rng.randint(3, 120)))
            modified = office_between(rng, closed, min(closed + timedelta(days=3), datetime(2026, 11, 19, 20, 0)))
            if outcome == "won":
                stage = STAGE_WON
            else:
                stage = STAGE_APOLOGY if rng.random() < 0.15 else STAGE_LOSE
        else:
            created = work_time(rng, (datetime(2026, 3, 1) + timedelta(days=rng.randrange(262))).date())
            stuck = rng.random() < 0.58 and created < datetime(2026, 11, 2)
            if stuck:
                # Why: open deals nobody touched for weeks (stuck); all well before the cut-off
                modified = office_between(rng, created, min(created + timedelta(days=120), datetime(2026, 11, 3)))
            else:
                modified = office_between(rng, max(created, datetime(2026, 11, 8)), datetime(2026, 11, 19, 19, 0))
            stage = pick(rng, [(STAGE_NEW, 25), (STAGE_DOCS, 20), ("invoice", 20), (STAGE_WORK, 25),
                               (STAGE_FINAL, 10)])
        if stage == "invoice":
            stage = STAGE_INVOICE_LATIN if pipeline == PIPELINE_MAIN else STAGE_INVOICE_CYR
        reason = loss_reason(rng, owner) if outcome == "lost" else ""
        amount = round(math.exp(rng.uniform(math.log(30_000), math.log(3_500_000))), -2)
        r = rng.random()
        # Why: amount never filled in (0.00 is what Bitrix exports for an empty sum) or left blank
        amount_text = "0.00" if r < 0.04 else ("" if r < 0.05 else f"{amount:.2f}")
        source = pick(rng, DEAL_SOURCES) if rng.random() > 0.12 else ""     # Why: source not chosen
        cr = rng.random()
        if cr < 0.19:
            creator = SYS_DEAL_FROM_LEAD
        elif cr < 0.28:
            creator = SYS_FORM
        elif cr < 0.30:
            creator = ""
        else:
            creator = owner if rng.random() < 0.8 else rng.choice(MANAGERS).name
        titles = SERVICE_TITLES if pipeline == PIPELINE_SERVICE else DEAL_TITLES
        title = rng.choice(titles) if rng.random() > 0.1 else ""
        comment = rng.choice(DEAL_COMMENTS) if rng.random() < 0.015 else (
            "Повторная заявка" if rng.random() < 0.05 else "")
        deals.append(Deal(title, amount_text, company, contact, stage, outcome, source, owner, creator,
                          created, modified, (created + timedelta(days=rng.randint(14, 60))).date(),
                          closed, pipeline, comment, reason, pick(rng, OBJECT_KINDS)))
    deals.sort(key=lambda d: d.created)
    next_id = 800
    for d in deals:
        d.id = next_id
        next_id += rng.randint(1, 3)
        if not d.title:
            d.title = f"Сделка #{d.id}"
    return deals


def loss_reason(rng: random.Random, owner: str) -> str:
    if owner == FIRST_REASON_PICKER:
        return LOSS_REASONS[0]             # Why: always the first item of the list
    if rng.random() < 0.5:
        return ""                          # Why: the reason is not filled in (~40% overall)
    return pick(rng, [("Дорого", 20), ("Выбрали конкурента", 25), ("Нет бюджета", 18),
                      ("Не дозвонились", 12), ("Другое", 25)])


# --------------------------------------------------------------------------- 1C documents

def new_guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def doc_time(rng: random.Random) -> str:
    return f"{rng.randint(9, 18):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def make_documents(rng: random.Random, orgs: list[Org], deals: list[Deal]) -> tuple[list[Doc], list[Payment]]:
    docs: list[Doc] = []
    payments: list[Payment] = []

    def add(kind: str, day: date, amount: float, org: Org, comment: str = "",
            deal: Deal | None = None) -> Doc | None:
        if day >= AS_OF.date():
            return None                    # 1C holds no documents dated after the export
        cps = org.tags["cps"]
        cp = cps[0] if len(cps) == 1 or rng.random() < 0.6 else cps[1]
        d = Doc(kind, day, amount, cp, "cml" if org.tags.get("cml") else "xlsx", comment,
                new_guid(rng), doc_time(rng), deal=deal)
        docs.append(d)
        return d

    def amount_of(deal: Deal) -> float:
        try:
            v = float(deal.amount_text)
        except ValueError:
            v = 0.0
        return v if v > 0 else round(rng.uniform(50_000, 900_000), -2)

    for deal in deals:
        if deal.outcome != "won" or deal.company.org.kind != "customer":
            continue
        if rng.random() < 0.30:
            continue     # Why: won in the CRM, but no invoice/sale in 1C near the date (not linked)
        close_day = deal.closed.date()
        amount = amount_of(deal)
        inv = add("invoice", close_day - timedelta(days=rng.randint(0, 8)), amount, deal.company.org,
                  rng.choice(["", "", f"по заявке {deal.company.org.base}", "предоплата 100%"]), deal)
        if rng.random() < 0.8:
            add("sale", close_day + timedelta(days=rng.randint(0, 16)), amount, deal.company.org, "", deal)
        if inv:
            deal_payment(rng, inv, payments)
    for org in orgs:
        if org.kind == "prospect":
            continue
        if org.kind == "onec_only" or not org.has_deals:
            # Why: clients the accountant serves without the CRM -> documents/payments w/o deal
            for _ in range(rng.randint(1, 5)):
                day = (datetime(2024, 6, 1) + timedelta(days=rng.randrange(895))).date()
                amount = round(rng.uniform(20_000, 600_000), -2)
                inv = add("invoice", day, amount, org)
                if rng.random() < 0.75:
                    add("sale", day + timedelta(days=rng.randint(0, 12)), amount, org)
                if inv:
                    deal_payment(rng, inv, payments)
        elif rng.random() < 0.5:
            # history from before the CRM was introduced
            day = (datetime(2023, 1, 10) + timedelta(days=rng.randrange(500))).date()
            amount = round(rng.uniform(20_000, 400_000), -2)
            inv = add("invoice", day, amount, org, "ввод остатков" if rng.random() < 0.1 else "")
            add("sale", day + timedelta(days=rng.randint(0, 10)), amount, org)
            deal_payment(rng, inv, payments)
    return docs, payments


def deal_payment(rng: random.Random, inv: Doc, payments: list[Payment]) -> None:
    if rng.random() > 0.85:
        return
    day = inv.day + timedelta(days=rng.randint(1, 20))
    if day >= AS_OF.date():
        return
    in_no = str(rng.randint(100, 9999))
    if rng.random() < 0.15:
        half = round(inv.amount / 2, 2)
        payments.append(Payment(day, half, inv.cp, inv, in_no))
        day2 = day + timedelta(days=rng.randint(5, 25))
        if day2 < AS_OF.date():
            payments.append(Payment(day2, round(inv.amount - half, 2), inv.cp, inv, str(int(in_no) + 1)))
        return
    payments.append(Payment(day, inv.amount, inv.cp, inv, in_no))


def settle_document_edges(docs: list[Doc], deals: list[Deal]) -> None:
    """No document sits 29-31 days from a won deal of the same organisation, so the ±30-day
    rule gives the same answer whether one compares dates or timestamps."""
    won_by_org: dict[int, list[date]] = {}
    for d in deals:
        if d.outcome == "won":
            won_by_org.setdefault(d.company.org.oid, []).append(d.closed.date())
    for _ in range(20):
        moved = False
        for doc in docs:
            for cd in won_by_org.get(doc.cp.org.oid, []):
                delta = (doc.day - cd).days
                if abs(delta) in (29, 30, 31):
                    step = 4 if delta > 0 else -4
                    if doc.day + timedelta(days=step) >= AS_OF.date():
                        step = -4                  # never push a document past the export date
                    doc.day += timedelta(days=step)
                    moved = True
        if not moved:
            return
    raise RuntimeError("could not settle document dates")


def number_documents(docs: list[Doc], payments: list[Payment]) -> None:
    for kind in ("invoice", "sale"):
        seq = sorted((d for d in docs if d.kind == kind), key=lambda d: (d.day, d.time))
        for i, d in enumerate(seq, start=1):
            d.number = f"СВ00-{i:06d}"
    payments.sort(key=lambda p: (p.day, p.in_number))
    for i, p in enumerate(payments, start=1):
        p.number = f"СВ00-{i:06d}"


# --------------------------------------------------------------------------- calls

def call_day(rng: random.Random) -> date:
    while True:
        d = (CALLS_FROM + timedelta(days=rng.randrange((CALLS_TO - CALLS_FROM).days + 1))).date()
        if d.weekday() < 5 or rng.random() < 0.15:
            return d


def inbound_style(rng: random.Random) -> str:
    return pick(rng, [("bare8", 40), ("plus_bare", 35), ("bare7", 25)])


def make_calls(rng: random.Random, leads: list[Lead], contacts: list[Contact], crm: list[CrmCompany],
               orgs: list[Org], phones: Unique) -> list[CallEvent]:
    ext_of = {m.name: m.ext for m in MANAGERS}
    exts = [m.ext for m in MANAGERS]
    events: list[CallEvent] = []

    def inbound(number: str, start: datetime, tag: str, movable: bool, answer_p: float,
                prefer: str | None = None) -> CallEvent:
        group = rng.random() < 0.65
        if group:
            ring_exts = sorted(rng.sample(exts, rng.choice([2, 3, 3, 4])))
            if prefer and prefer not in ring_exts:
                ring_exts = sorted(ring_exts[:-1] + [prefer])
        else:
            ring_exts = [prefer or rng.choice(exts)]
        answered = rng.random() < answer_p
        by = (prefer if prefer in ring_exts and rng.random() < 0.7 else rng.choice(ring_exts)) if answered else None
        ev = CallEvent("in", number, inbound_style(rng), start, ring_exts, by, "", rng.randint(4, 28),
                       rng.randint(20, 600) if answered else 0, movable, tag)
        events.append(ev)
        return ev

    def outbound(ext: str, number: str, start: datetime, tag: str, movable: bool) -> CallEvent:
        disp = pick(rng, [("ANSWERED", 65), ("NO ANSWER", 25), ("BUSY", 10)])
        ev = CallEvent("out", number, pick(rng, [("bare8", 70), ("plus_bare", 20), ("bare7", 10)]),
                       start, [ext], ext if disp == "ANSWERED" else None, disp, rng.randint(3, 30),
                       rng.randint(15, 900) if disp == "ANSWERED" else 0, movable, tag)
        events.append(ev)
        return ev

    # 1) leads of the last 60 days: the call that created them, and the manager's first call
    for lead in leads:
        if not lead.phone or lead.created < CALLS_FROM:
            continue
        if lead.source == "Звонок" and lead.creator == SYS_LEAD_FROM_CALL:
            start = lead.created - timedelta(seconds=rng.randint(40, 150))
            inbound(lead.phone, start, "lead_origin", False, 0.75, ext_of[lead.owner])
        if rng.random() < 0.8:
            delay = min(max(math.exp(rng.gauss(math.log(40), 1.2)), 3), 4000)
            first = lead.created + timedelta(seconds=int(delay * 60))      # whole seconds, as in the CDR
            if first.hour >= 20 or first.hour < 9:       # evening forms are called next morning
                nxt = first.date() + timedelta(days=1 if first.hour >= 20 else 0)
                first = datetime(nxt.year, nxt.month, nxt.day, 9) + timedelta(minutes=rng.randint(5, 90))
            if first < CALLS_TO:
                ev = outbound(ext_of[lead.owner], lead.phone, first, "lead_first_call", False)
                if ev.disposition != "ANSWERED" and rng.random() < 0.6:
                    outbound(ext_of[lead.owner], lead.phone, first + timedelta(hours=rng.randint(1, 5)),
                             "lead_retry", True)

    # pools of outside numbers
    crm_numbers: list[str] = []
    seen: dict[str, None] = {}
    for c in contacts:
        for _, e in c.phones:
            if e and e not in seen:
                seen[e] = None
                crm_numbers.append(e)
    for r in crm:
        if r.phone and r.phone not in seen:
            seen[r.phone] = None
            crm_numbers.append(r.phone)
    # leads of the window call again now and then (older leads are not in the PBX log)
    lead_numbers = [l.phone for l in leads if l.phone and l.created >= CALLS_FROM]
    # Why: callers not in the CRM: new people, and 1C-only clients the CRM never heard of
    unknown = [make_mobile(rng, phones) for _ in range(170)]
    unknown += [o.phone for o in orgs if o.kind == "onec_only"][:40]
    unknown += [o.tags["old_phone"] for o in orgs if "old_phone" in o.tags]

    # 2) background inbound calls
    for _ in range(1000):
        r = rng.random()
        pool = crm_numbers if r < 0.62 else (lead_numbers if r < 0.72 else unknown)
        number = rng.choice(pool)
        late = rng.random() < 0.1
        start = work_time(rng, call_day(rng), late=late)
        ev = inbound(number, start, "background", True, 0.55 if late else 0.87)
        if ev.answered_by is None and rng.random() < 0.45:
            # Why: only about half of the missed calls are called back within a day
            back = start + timedelta(minutes=rng.randint(3, 20 * 60))
            if back < CALLS_TO:
                outbound(rng.choice(ev.exts), number, back, "callback", False)

    # 3) background outbound calls
    for _ in range(420):
        number = rng.choice(crm_numbers) if rng.random() < 0.9 else rng.choice(unknown)
        outbound(rng.choice(exts), number, work_time(rng, call_day(rng)), "background", True)

    # 4) internal calls between managers (not client calls)
    for _ in range(25):
        a, b = rng.sample(exts, 2)
        events.append(CallEvent("internal", None, "", work_time(rng, call_day(rng)), [a, b], b, "ANSWERED",
                                rng.randint(2, 10), rng.randint(10, 200), True, "internal"))
    settle_call_edges(events, leads)
    events.sort(key=lambda e: e.start)
    return events


def settle_call_edges(events: list[CallEvent], leads: list[Lead]) -> None:
    """Keep movable calls out of the 23-25 h band after a missed call from the same number
    and out of the ±2 min band around a lead's creation, so window rules are unambiguous."""
    for _ in range(50):
        moved = False
        by_number: dict[str, list[CallEvent]] = {}
        for e in events:
            if e.number:
                by_number.setdefault(e.number, []).append(e)
        for e in events:
            if e.direction != "in" or e.answered_by:
                continue
            for other in by_number[e.number]:
                counts = other.direction == "out" or (other.direction == "in" and other.answered_by)
                if counts and other is not e and timedelta(hours=23) <= other.start - e.start <= timedelta(hours=25):
                    if other.movable:
                        other.start += timedelta(hours=3)
                    elif e.movable:
                        e.start -= timedelta(hours=3)
                    else:
                        raise RuntimeError("fixed calls on a callback edge")
                    moved = True
        for lead in leads:
            if not lead.phone:
                continue
            for other in by_number.get(lead.phone, []):
                if abs(other.start - lead.created) <= timedelta(minutes=2) and other.movable:
                    other.start += timedelta(minutes=10)
                    moved = True
        for e in events:
            if e.start >= CALLS_TO:
                e.start -= timedelta(hours=6)
                moved = True
        if not moved:
            return
    raise RuntimeError("could not settle call times")


# --------------------------------------------------------------------------- writers

def bitrix_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """Bitrix24 csv.php: BOM, every cell quoted with "" escaping, ';' after every cell, LF."""
    def line(cells: list[str]) -> str:
        return "".join('"' + str(c).replace('"', '""') + '";' for c in cells) + "\n"
    return b"\xef\xbb\xbf" + "".join([line(header)] + [line(r) for r in rows]).encode("utf-8")


def bitrix_name(rng: random.Random, entity: str) -> str:
    return f"{entity}_{EXPORT_STAMP}_{rng.getrandbits(32):08x}_{rng.getrandbits(52):013x}.csv"


DEAL_HEADER = ["ID", "Название сделки", "Сумма", "Валюта", "Компания", "Контакт", "Стадия сделки",
               "Вероятность", "Источник", "Ответственный", "Кем создана", "Дата создания",
               "Дата изменения", "Предполагаемая дата закрытия", "Дата завершения", "Направление",
               "Комментарий", "Причина отказа", UF_OBJECT]
CONTACT_HEADER = ["ID", "Имя", "Фамилия", "Отчество", "Телефон", "E-mail", "Компания", "Должность",
                  "Тип контакта", "Источник", "Ответственный", "Кем создан", "Дата создания",
                  "Дата изменения"]
COMPANY_HEADER = ["ID", "Название компании", "Тип компании", "Телефон", "E-mail", "ИНН",
                  "Сфера деятельности", "Ответственный", "Кем создана", "Дата создания", "Дата изменения"]
LEAD_HEADER = ["ID", "Название лида", "Имя", "Фамилия", "Телефон", "E-mail", "Название компании",
               "Статус", "Источник", "Город", "Ответственный", "Кем создан", "Дата создания",
               "Дата изменения"]


def deal_row(d: Deal) -> list[str]:
    stage_key = "invoice" if d.stage in (STAGE_INVOICE_LATIN, STAGE_INVOICE_CYR) else d.stage
    return [str(d.id), d.title, d.amount_text, "Российский рубль", d.company.title,
            d.contact.display if d.contact else "", d.stage, str(PROBABILITY[stage_key]), d.source,
            d.owner, d.creator, fmt_dt(d.created), fmt_dt(d.modified), fmt_d(d.planned_close),
            fmt_dt(d.closed) if d.closed else "", d.pipeline, d.comment, d.reason, d.uf_object]


def contact_row(c: Contact) -> list[str]:
    return [str(c.id), c.first, c.last, c.middle, c.phone_text, c.email_text, c.company_title,
            c.position, "Клиенты" if c.company_title else "Другое", c.source, c.owner, c.creator,
            fmt_dt(c.created), fmt_dt(c.modified)]


def company_row(r: CrmCompany) -> list[str]:
    return [str(r.id), r.title, r.ctype, r.phone_text, r.email_text, r.inn_text, r.industry, r.owner,
            r.creator, fmt_dt(r.created), fmt_dt(r.modified)]


def lead_row(l: Lead) -> list[str]:
    return [str(l.id), l.title, l.first, l.last, l.phone_text, l.email_text, l.company_name, l.status,
            l.source, l.city, l.owner, l.creator, fmt_dt(l.created), fmt_dt(l.modified)]


def xlsx_bytes(header: list[str], rows: list[list], text_cols: set[int], money_cols: set[int]) -> bytes:
    """A 1C-style list saved as XLSX: sheet TDSheet, header row, INN/KPP as text, sums numeric.
    openpyxl stamps 'modified' with the wall clock and zip entries with the current time, so
    write through ExcelWriter with fixed properties and re-pack the zip with fixed times."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TDSheet"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([None if v == "" else v for v in row])     # 1C leaves empty cells empty
    for col in range(1, len(header) + 1):
        letter = openpyxl.utils.get_column_letter(col)
        for cell in ws[letter][1:]:
            if col - 1 in text_cols:
                cell.number_format = "@"
            elif col - 1 in money_cols:
                cell.number_format = "#,##0.00"
        ws.column_dimensions[letter].width = max(10, min(60, max(len(str(c.value or "")) for c in ws[letter]) + 2))
    wb.properties.creator = "1С:Предприятие"
    wb.properties.lastModifiedBy = None
    wb.properties.created = XLSX_TIME
    wb.properties.modified = XLSX_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=XLSX_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def commerceml_bytes(docs: list[Doc]) -> bytes:
    ns = "urn:1C.ru:commerceml_2"

    def el(parent, tag: str, text: str | None = None):
        e = etree.SubElement(parent, f"{{{ns}}}{tag}")
        if text is not None:
            e.text = text
        return e

    root = etree.Element(f"{{{ns}}}КоммерческаяИнформация", nsmap={None: ns})
    root.set("ВерсияСхемы", "2.10")
    root.set("ДатаФормирования", CML_STAMP)
    for d in sorted((d for d in docs if d.via == "cml"), key=lambda d: (d.day, d.time, d.kind)):
        doc = el(root, "Документ")
        el(doc, "Ид", d.guid)
        el(doc, "Номер", d.number)
        el(doc, "Дата", d.day.isoformat())
        el(doc, "ХозОперация", "Счет на оплату" if d.kind == "invoice" else "Отпуск товара")
        el(doc, "Роль", "Продавец")
        el(doc, "Валюта", "руб")
        el(doc, "Курс", "1")
        el(doc, "Сумма", f"{d.amount:.2f}")
        cps = el(doc, "Контрагенты")
        cp = el(cps, "Контрагент")
        el(cp, "Ид", d.cp.guid)
        el(cp, "Наименование", d.cp.name)
        # РеквизитыЮрЛица is an xsd:group in CommerceML 2.10: its elements sit directly in Контрагент
        el(cp, "ОфициальноеНаименование", d.cp.full_name)
        if d.cp.inn_text:
            el(cp, "ИНН", d.cp.inn_text)
        if d.cp.kpp:
            el(cp, "КПП", d.cp.kpp)
        if d.cp.phone_text or d.cp.email_text:
            contacts = el(cp, "Контакты")
            if d.cp.phone_text:
                c = el(contacts, "Контакт")
                el(c, "Тип", "Телефон рабочий")
                el(c, "Значение", d.cp.phone_text)
            if d.cp.email_text:
                c = el(contacts, "Контакт")
                el(c, "Тип", "Почта")
                el(c, "Значение", d.cp.email_text)
        el(cp, "Роль", "Покупатель")
        el(doc, "Время", d.time)
        if d.comment:
            el(doc, "Комментарий", d.comment)
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def cdr_lines(events: list[CallEvent]) -> list[str]:
    """Asterisk cdr_csv with loguniqueid, loguserfield and newcdrcolumns: 21 fields, strings
    quoted, integers bare, empty unquoted answer time for unanswered legs."""
    q = lambda s: '"' + s.replace('"', '""') + '"'          # noqa: E731
    ts = lambda d: d.strftime("%Y-%m-%d %H:%M:%S")          # noqa: E731
    legs: list[tuple] = []
    chan = 0x2A0
    uniq = 0
    seq = 0
    trunk = "trunk_rt"
    names = {m.ext: m.name for m in MANAGERS}

    def epoch(d: datetime) -> int:
        return calendar.timegm(d.timetuple()) - 3 * 3600    # the PBX runs on Moscow time

    for ev in events:
        uniq += 1
        uid = f"{epoch(ev.start)}.{uniq}"
        ev.linkedid = uid
        if ev.direction == "in":
            src = fmt_phone(ev.number, ev.style)
            clid = f'"{src}" <{src}>'
            group = len(ev.exts) > 1
            dst, ctx = ("600", "ext-group") if group else (ev.exts[0], "from-did-direct")
            chan += 1
            caller_chan = f"PJSIP/{trunk}-{chan:08x}"
            dial = "&".join(f"PJSIP/{x}" for x in ev.exts) + (",25,t" if group else ",30,t")
            answer_at = ev.start + timedelta(seconds=ev.ring)
            for x in ev.exts:
                chan += 1
                seq += 1
                if ev.answered_by == x:
                    end = answer_at + timedelta(seconds=ev.talk)
                    row = (src, dst, ctx, clid, caller_chan, f"PJSIP/{x}-{chan:08x}", "Dial", dial,
                           ev.start, answer_at, end, "ANSWERED")
                else:
                    end = answer_at if ev.answered_by else ev.start + timedelta(seconds=ev.ring)
                    disp = "BUSY" if (not ev.answered_by and (ev.ring + int(x)) % 9 == 0) else "NO ANSWER"
                    row = (src, dst, ctx, clid, caller_chan, f"PJSIP/{x}-{chan:08x}", "Dial", dial,
                           ev.start, None, end, disp)
                legs.append((row, uid, seq))
        elif ev.direction == "out":
            x = ev.exts[0]
            dst = fmt_phone(ev.number, ev.style)
            chan += 2
            answer_at = ev.start + timedelta(seconds=ev.ring)
            end = answer_at + timedelta(seconds=ev.talk) if ev.disposition == "ANSWERED" else (
                ev.start + timedelta(seconds=ev.ring if ev.disposition == "NO ANSWER" else 1))
            seq += 1
            row = (x, dst, "from-internal", f'"{names[x]}" <{x}>', f"PJSIP/{x}-{chan - 1:08x}",
                   f"PJSIP/{trunk}-{chan:08x}", "Dial", f"PJSIP/{dst}@{trunk},60,T", ev.start,
                   answer_at if ev.disposition == "ANSWERED" else None, end, ev.disposition)
            legs.append((row, uid, seq))
        else:
            a, b = ev.exts
            chan += 2
            answer_at = ev.start + timedelta(seconds=ev.ring)
            seq += 1
            row = (a, b, "from-internal", f'"{names[a]}" <{a}>', f"PJSIP/{a}-{chan - 1:08x}",
                   f"PJSIP/{b}-{chan:08x}", "Dial", f"PJSIP/{b},20,tr", ev.start, answer_at,
                   answer_at + timedelta(seconds=ev.talk), "ANSWERED")
            legs.append((row, uid, seq))
    lines = []
    # cdr_csv appends a record when the leg hangs up -> file order is by end time
    for row, uid, s in sorted(legs, key=lambda t: (t[0][10], t[2])):
        src, dst, ctx, clid, ch, dch, app, data, start, answer, end, disp = row
        billsec = int((end - answer).total_seconds()) if answer else 0
        duration = int((end - start).total_seconds())
        fields = [q(""), q(src), q(dst), q(ctx), q(clid), q(ch), q(dch), q(app), q(data), q(ts(start)),
                  q(ts(answer)) if answer else "", q(ts(end)), str(duration), str(billsec), q(disp),
                  q("DOCUMENTATION"), q(uid), q(""), q(""), q(uid), str(s)]
        lines.append(",".join(fields) + "\n")
    return lines


# --------------------------------------------------------------------------- truth

def entropy(counts: list[int]) -> float:
    n = sum(counts)
    return -sum(c / n * math.log2(c / n) for c in counts if c)


def routing_determinism(leads: list[Lead]) -> dict:
    owners: dict[str, int] = {}
    by_key: dict[tuple, dict[str, int]] = {}
    for l in leads:
        owners[l.owner] = owners.get(l.owner, 0) + 1
        k = by_key.setdefault((l.source, l.city), {})
        k[l.owner] = k.get(l.owner, 0) + 1
    h = entropy(list(owners.values()))
    n = len(leads)
    h_cond = sum(sum(v.values()) / n * entropy(list(v.values())) for v in by_key.values())
    return {"value": round(1 - h_cond / h, 6), "H_owner_bits": round(h, 6),
            "H_owner_given_source_city_bits": round(h_cond, 6), "leads": n,
            "leads_following_rule": sum(1 for l in leads if l.routed or l.owner == routed_owner(l.source, l.city)),
            "rule": "city picks a team, a digital source (site, CRM form, e-mail, ads, blank) the first "
                    "member, other sources the second; ~10% of leads are grabbed by hand"}


def is_blank(v: str) -> bool:
    return v.strip().lower() in BLANK_PLACEHOLDERS


def compute_truth(m: dict) -> dict:
    contacts: list[Contact] = m["contacts"]
    crm: list[CrmCompany] = m["crm"]
    cps: list[Counterparty] = m["cps"]
    deals: list[Deal] = m["deals"]
    leads: list[Lead] = m["leads"]
    docs: list[Doc] = m["docs"]
    payments: list[Payment] = m["payments"]
    events: list[CallEvent] = m["events"]
    metrics: dict[str, dict] = {}

    # duplicates -- the model knows who is who
    persons = {c.person.pid for c in contacts}
    metrics["duplicates.contacts.redundant_share"] = share(
        len(contacts) - len(persons), len(contacts), records=len(contacts), distinct=len(persons))
    crm_orgs = {r.org.oid for r in crm}
    metrics["duplicates.companies.redundant_share"] = share(
        len(crm) - len(crm_orgs), len(crm), records=len(crm), distinct=len(crm_orgs))
    cp_orgs = {c.org.oid for c in cps}
    metrics["duplicates.counterparties.redundant_share"] = share(
        len(cps) - len(cp_orgs), len(cps), records=len(cps), distinct=len(cp_orgs))

    # completeness
    metrics["completeness.contacts.phone"] = share(sum(not is_blank(c.phone_text) for c in contacts), len(contacts))
    metrics["completeness.contacts.email"] = share(sum(not is_blank(c.email_text) for c in contacts), len(contacts))
    metrics["completeness.companies.inn"] = share(sum(not is_blank(r.inn_text) for r in crm), len(crm))
    metrics["completeness.deals.amount"] = share(
        sum(1 for d in deals if d.amount_text and float(d.amount_text) != 0), len(deals))
    metrics["completeness.deals.source"] = share(sum(not is_blank(d.source) for d in deals), len(deals))
    metrics["completeness.counterparties.inn"] = share(sum(not is_blank(c.inn_text) for c in cps), len(cps))

    # validity
    values = [(t, e) for c in contacts if not is_blank(c.phone_text) for t, e in c.phones]
    rec_bad = sum(1 for c in contacts if not is_blank(c.phone_text) and any(e is None for _, e in c.phones))
    rec_n = sum(1 for c in contacts if not is_blank(c.phone_text))
    metrics["validity.contacts.phone_invalid_share"] = share(
        sum(1 for _, e in values if e is None), len(values),
        unit_note="per phone number (a cell holding several numbers counts each)",
        per_record=share(rec_bad, rec_n))
    nb_mail = [c for c in contacts if not is_blank(c.email_text)]
    metrics["validity.contacts.email_invalid_share"] = share(
        sum(1 for c in nb_mail if c.email_state == "invalid"), len(nb_mail))
    nb_inn = [r for r in crm if not is_blank(r.inn_text)]
    metrics["validity.companies.inn_invalid_share"] = share(
        sum(1 for r in nb_inn if r.inn_state == "invalid"), len(nb_inn))
    nb_cinn = [c for c in cps if not is_blank(c.inn_text)]
    metrics["validity.counterparties.inn_invalid_share"] = share(
        sum(1 for c in nb_cinn if c.inn_state == "invalid"), len(nb_cinn))

    # refusal
    lost = [d for d in deals if d.outcome == "lost"]
    no_reason = [d for d in lost if is_blank(d.reason)]
    with_reason = [d for d in lost if not is_blank(d.reason)]
    catch_all = [d for d in with_reason if d.reason in CATCH_ALL]
    metrics["refusal.deals.lost_without_reason_share"] = share(
        len(no_reason), len(lost), ids=[str(d.id) for d in no_reason])
    metrics["refusal.deals.catch_all_reason_share"] = share(len(catch_all), len(with_reason))

    # cross-system (same company == same organisation in this model; see TRUTH notes)
    cp_org_ids = {c.org.oid for c in cps}
    unmatched_cp = [c for c in cps if c.org.oid not in crm_orgs]
    metrics["cross.counterparties.unmatched_share"] = share(
        len(unmatched_cp), len(cps), rows=[c.row for c in unmatched_cp])
    unmatched_crm = [r for r in crm if r.org.oid not in cp_org_ids]
    metrics["cross.companies.unmatched_share"] = share(
        len(unmatched_crm), len(crm), ids=[str(r.id) for r in unmatched_crm])
    pairs = conflicts = 0
    kinds = {"name": 0, "phone": 0, "email": 0}
    for r in crm:
        for c in cps:
            if r.org.oid != c.org.oid:
                continue
            pairs += 1
            diff = {"name": r.nbase != c.nbase,
                    "phone": bool(r.phone and c.phone and r.phone != c.phone),
                    "email": bool(r.email and c.email and r.email != c.email)}
            for k, v in diff.items():
                kinds[k] += v
            conflicts += any(diff.values())
    metrics["cross.matched.conflict_share"] = share(conflicts, pairs, pairs_with_difference_in=kinds)
    docs_by_org: dict[int, list[date]] = {}
    for d in docs:
        docs_by_org.setdefault(d.cp.org.oid, []).append(d.day)
    won = [d for d in deals if d.outcome == "won"]
    no_doc = [d for d in won if not any(abs((x - d.closed.date()).days) <= 30
                                        for x in docs_by_org.get(d.company.org.oid, []))]
    metrics["cross.deals.won_without_document_share"] = share(
        len(no_doc), len(won), ids=[str(d.id) for d in no_doc])
    orgs_with_deal = {d.company.org.oid for d in deals}
    pay_no_deal = [p for p in payments if p.cp.org.oid not in orgs_with_deal]
    metrics["cross.payments.without_deal_share"] = share(len(pay_no_deal), len(payments))

    # calls
    crm_phones = {e for c in contacts for _, e in c.phones if e} | {r.phone for r in crm if r.phone} | \
                 {l.phone for l in leads if l.phone}
    inbound = [e for e in events if e.direction == "in"]
    unlinked = [e for e in inbound if e.number not in crm_phones]
    metrics["cross.calls.inbound_unlinked_share"] = share(len(unlinked), len(inbound))
    missed = [e for e in inbound if not e.answered_by]
    by_number: dict[str, list[CallEvent]] = {}
    for e in events:
        if e.number:
            by_number.setdefault(e.number, []).append(e)

    def is_callback(miss: CallEvent, e: CallEvent) -> bool:
        counts = e.direction == "out" or (e.direction == "in" and e.answered_by)
        return bool(counts) and timedelta(0) < e.start - miss.start <= timedelta(hours=24)

    no_cb = [e for e in missed if not any(is_callback(e, o) for o in by_number[e.number])]
    metrics["process.calls.missed_without_callback_share"] = share(
        len(no_cb), len(missed), inbound_calls=len(inbound), missed_calls=len(missed),
        linkedids=[e.linkedid for e in no_cb])

    # process
    open_deals = [d for d in deals if d.outcome == "open"]
    stuck = [d for d in open_deals if d.modified < AS_OF - timedelta(days=STUCK_DAYS)]
    metrics["process.deals.stuck_share"] = share(len(stuck), len(open_deals), ids=[str(d.id) for d in stuck])
    minutes = []
    for l in leads:
        if not l.phone:
            continue
        later = [e.start for e in by_number.get(l.phone, [])
                 if e.start > l.created and (e.direction == "out" or e.answered_by)]
        if later:
            minutes.append((min(later) - l.created).total_seconds() / 60)
    metrics["process.leads.first_response_median_minutes"] = {
        "value": round(statistics.median(minutes), 4), "unit": "minutes",
        "leads_with_phone": sum(1 for l in leads if l.phone), "leads_called": len(minutes)}

    # automation
    metrics["automation.leads.routing_determinism"] = routing_determinism(leads)
    creators = [x.creator for x in leads] + [d.creator for d in deals]
    known = [c for c in creators if not is_blank(c)]
    metrics["automation.records.system_created_share"] = share(
        sum(1 for c in known if c in SYSTEM_ACCOUNTS), len(known),
        system_accounts=sorted(SYSTEM_ACCOUNTS), blank_creators=len(creators) - len(known))
    metrics["automation.deals.score_auc"] = {
        "value": None, "status": "n/a",
        "reason": "Вероятность only mirrors the stage (one value per stage: 100 won, 0 lost, "
                  "10/20/40/60/80 for open stages); there is no other score field"}

    # volume
    closed = [d for d in deals if d.outcome in ("won", "lost")]
    metrics["volume.deals.closed_count"] = {"value": len(closed), "won": len(won), "lost": len(lost)}
    metrics["volume.deals.closed_last_12_months"] = {
        "value": sum(1 for d in closed if TWELVE_MONTHS_AGO <= d.closed < AS_OF),
        "window": [TWELVE_MONTHS_AGO.date().isoformat(), AS_OF.date().isoformat()]}
    return metrics


def maturity_truth(metrics: dict) -> dict:
    return {
        "level": 1,
        "domains": {
            "sales": {"level": 2, "why": "leads are routed by a source+city rule "
                      f"(routing_determinism {metrics['automation.leads.routing_determinism']['value']}); "
                      f"{metrics['automation.records.system_created_share']['value']:.0%} of leads and deals "
                      "are created by robots / CRM forms"},
            "integration": {"level": 1, "why": "1C is not linked to the CRM: "
                            f"{metrics['cross.counterparties.unmatched_share']['value']:.0%} of counterparties "
                            "have no CRM company, "
                            f"{metrics['cross.deals.won_without_document_share']['value']:.0%} of won deals have "
                            "no 1C document near the close date, copies disagree"},
            "data_quality": {"level": 1, "why": "duplicates, "
                             f"{metrics['refusal.deals.lost_without_reason_share']['value']:.0%} of lost deals "
                             "without a reason, one manager always picks the first reason"},
        },
        "questions": {
            "Q1": {"level_signal": 1, "answer": "three systems (Bitrix24, 1C, PBX log) with no shared "
                   "keys; many counterparties and callers are unknown to the CRM",
                   "evidence": ["cross.counterparties.unmatched_share", "cross.companies.unmatched_share",
                                "cross.deals.won_without_document_share", "cross.calls.inbound_unlinked_share"]},
            "Q2": {"level_signal": 2, "answer": "incoming leads are assigned by a rule on source and city",
                   "evidence": ["automation.leads.routing_determinism"]},
            "Q3": {"level_signal": 2, "answer": "robots create leads from calls and deals from leads; "
                   "CRM forms create leads (yet stuck deals and unreturned calls show no escalation)",
                   "evidence": ["automation.records.system_created_share", "process.deals.stuck_share",
                                "process.calls.missed_without_callback_share"]},
            "Q4": {"level_signal": 1, "acceptable": [1, None],
                   "answer": "no recommendation from data: the only score-like field (Вероятность) is a "
                   "fixed number per stage, so it cannot rank deals; an auditor that reads the absence of "
                   "a real score as 'cannot tell' (null) is also right",
                   "evidence": ["automation.deals.score_auc"]},
            "Q5": {"level_signal": 1, "answer": "no bot, chat or open-line accounts among creators or "
                   "sources; every request is handled by people, robots or web forms",
                   "evidence": ["automation.records.system_created_share"]},
        },
        "overall_reasoning": "levels cannot be skipped: sales shows level-2 routing and robots, but "
                             "integration is level 1, so the company is level 1",
    }


# --------------------------------------------------------------------------- orchestration

def build() -> dict:
    rng = random.Random(SEED)
    phones, emails, inns = Unique(), Unique(), Unique()
    orgs, spare_names = make_orgs(rng, phones, emails, inns)
    assign_org_defects(rng, orgs)
    crm = make_crm_companies(rng, orgs)
    cps = make_counterparties(rng, orgs, phones, spare_names)
    for o in orgs:
        o.tags["cps"] = [c for c in cps if c.org is o and not c.defect] + [c for c in cps if c.org is o and c.defect]
    persons = make_persons(rng, orgs, phones, emails)
    choose_person_defects(rng, persons, emails)
    contacts = make_contacts(rng, persons, Unique())
    leads = make_leads(rng, persons, contacts, phones, emails)
    deals = make_deals(rng, orgs, crm, contacts)
    docs, payments = make_documents(rng, orgs, deals)
    settle_document_edges(docs, deals)
    number_documents(docs, payments)
    events = make_calls(rng, leads, contacts, crm, orgs, phones)
    files = {e: bitrix_name(rng, e) for e in ("DEAL", "CONTACT", "COMPANY", "LEAD")}
    check_intent(orgs, crm, cps)
    return {"rng": rng, "orgs": orgs, "crm": crm, "cps": cps, "persons": persons, "contacts": contacts,
            "leads": leads, "deals": deals, "docs": docs, "payments": payments, "events": events,
            "files": files}


def check_intent(orgs: list[Org], crm: list[CrmCompany], cps: list[Counterparty]) -> None:
    """Guard rails: checksums are what the model says they are."""
    for r in crm + cps:
        if r.inn_state == "valid" and not inn_is_valid(r.inn_text):
            raise RuntimeError(f"valid INN fails: {r.inn_text}")
        if r.inn_state == "invalid" and (inn_is_valid(r.inn_text) or kz_bin_is_valid(r.inn_text)):
            raise RuntimeError(f"invalid INN passes: {r.inn_text}")
    if not any(c.inn_text.startswith("0") for c in cps if c.inn_state == "valid"):
        raise RuntimeError("no INN with a leading zero in 1C")


def write_all(m: dict, out: Path) -> dict:
    """Exports go to OUT/exports/ (the folder an audit reads); TRUTH.json stays beside it."""
    files: dict[str, dict] = {}
    out = out / "exports"

    def put(rel: str, data: bytes, system: str, entity: str, records: int) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[rel] = {"system": system, "entity": entity, "records": records, "bytes": len(data)}

    bx = out / "bitrix24"
    if bx.is_dir():
        for old in bx.glob("*.csv"):
            if old.name.split("_")[0] in ("DEAL", "CONTACT", "COMPANY", "LEAD"):
                old.unlink()
    put(f"bitrix24/{m['files']['COMPANY']}", bitrix_csv(COMPANY_HEADER, [company_row(r) for r in m["crm"]]),
        "bitrix24", "companies", len(m["crm"]))
    put(f"bitrix24/{m['files']['CONTACT']}", bitrix_csv(CONTACT_HEADER, [contact_row(c) for c in m["contacts"]]),
        "bitrix24", "contacts", len(m["contacts"]))
    put(f"bitrix24/{m['files']['LEAD']}", bitrix_csv(LEAD_HEADER, [lead_row(l) for l in m["leads"]]),
        "bitrix24", "leads", len(m["leads"]))
    put(f"bitrix24/{m['files']['DEAL']}", bitrix_csv(DEAL_HEADER, [deal_row(d) for d in m["deals"]]),
        "bitrix24", "deals", len(m["deals"]))

    cps = m["cps"]
    put("1c/Контрагенты.xlsx", xlsx_bytes(
        ["Наименование", "Полное наименование", "Вид контрагента", "ИНН", "КПП", "Телефон", "Электронная почта"],
        [[c.name, c.full_name, c.ckind, c.inn_text, c.kpp, c.phone_text, c.email_text] for c in cps],
        {3, 4}, set()), "1c", "counterparties", len(cps))
    doc_header = ["Дата", "Номер", "Контрагент", "Сумма", "Валюта", "Организация", "Ответственный", "Комментарий"]
    for kind, fname, entity in (("invoice", "Счета на оплату.xlsx", "invoices"),
                                ("sale", "Реализация товаров и услуг.xlsx", "sales")):
        rows = [[fmt_d(d.day), d.number, d.cp.name, d.amount, "руб.", OUR_ORG_1C,
                 ACCOUNTANT if d.number[-1] not in "05" else ONEC_ADMIN, d.comment]
                for d in sorted(m["docs"], key=lambda d: (d.day, d.number)) if d.kind == kind and d.via == "xlsx"]
        put(f"1c/{fname}", xlsx_bytes(doc_header, rows, set(), {3}), "1c", entity, len(rows))
    pays = m["payments"]
    put("1c/Поступление на расчетный счет.xlsx", xlsx_bytes(
        ["Дата", "Номер", "Сумма документа", "Валюта", "Контрагент", "Вид операции", "Назначение платежа",
         "Вх. номер", "Вх. дата", "Организация", "Ответственный", "Комментарий"],
        [[fmt_d(p.day), p.number, p.amount, "руб.", p.cp.name, "Оплата от покупателя",
          f"Оплата по счету № {p.invoice.number} от {fmt_d(p.invoice.day)}. Сумма {p.amount:.2f}, в т.ч. НДС (20%)"
          if p.invoice else "Оплата за оборудование",
          p.in_number, fmt_d(p.day - timedelta(days=1)), OUR_ORG_1C, ACCOUNTANT, ""] for p in pays],
        set(), {2}), "1c", "payments", len(pays))
    cml_docs = [d for d in m["docs"] if d.via == "cml"]
    put("1c/commerceml/documents.xml", commerceml_bytes(m["docs"]), "1c_commerceml", "documents", len(cml_docs))
    lines = cdr_lines(m["events"])
    put("telephony/Master.csv", "".join(lines).encode("utf-8"), "asterisk", "calls", len(lines))
    return files


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    model = build()
    files = write_all(model, out)
    metrics = compute_truth(model)
    truth = {
        "generator": {"script": "sample_data/generate.py", "seed": SEED, "as_of": AS_OF.date().isoformat(),
                      "company": "ООО «Северный Ветер» (ventilation equipment, B2B, 8 managers)"},
        "files": dict(sorted(files.items())),
        "metrics": metrics,
        "maturity": maturity_truth(metrics),
        "details": details(model),
        "notes": NOTES,
    }
    (out / "TRUTH.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


def details(m: dict) -> dict:
    crm, cps, contacts, deals = m["crm"], m["cps"], m["contacts"], m["deals"]
    groups: dict[int, list[str]] = {}
    for c in contacts:
        groups.setdefault(c.person.pid, []).append(str(c.id))
    cgroups: dict[int, list[str]] = {}
    for r in crm:
        cgroups.setdefault(r.org.oid, []).append(str(r.id))
    pgroups: dict[int, list[int]] = {}
    for c in cps:
        pgroups.setdefault(c.org.oid, []).append(c.row)
    lost = [d for d in deals if d.outcome == "lost"]
    picker = [d for d in lost if d.owner == FIRST_REASON_PICKER]
    switch = {}
    for c in contacts:
        if c.person.tags.get("switchboard"):
            switch.setdefault(c.company_title, []).append(str(c.id))
    namesakes = [[str(c.id) for c in contacts if c.person.pid in (p.pid, p.tags["namesake_of"])]
                 for p in m["persons"] if "namesake_of" in p.tags]
    return {
        "duplicate_contact_groups": [g for g in groups.values() if len(g) > 1],
        "switchboard_contacts_not_duplicates": list(switch.values()),
        "namesakes_not_duplicates": namesakes,
        "duplicate_company_groups": [g for g in cgroups.values() if len(g) > 1],
        "same_name_different_inn_not_duplicates": [str(r.id) for r in crm if r.org.base == TRAP_NAME],
        "duplicate_counterparty_groups_xlsx_rows": [g for g in pgroups.values() if len(g) > 1],
        "counterparty_inns_with_leading_zero": sorted(c.inn_text for c in cps if c.inn_text.startswith("0")),
        "first_reason_picker": {"manager": FIRST_REASON_PICKER, "lost_deals": len(picker),
                                "reasons": sorted({d.reason for d in picker})},
        "stages_with_latin_C": sum(1 for d in deals if d.stage == STAGE_INVOICE_LATIN),
        "stages_with_cyrillic_C": sum(1 for d in deals if d.stage == STAGE_INVOICE_CYR),
        "lost_by_stage": {s: sum(1 for d in lost if d.stage == s) for s in sorted(LOST_STAGES)},
        "documents": {"xlsx_invoices": sum(1 for d in m["docs"] if d.kind == "invoice" and d.via == "xlsx"),
                      "xlsx_sales": sum(1 for d in m["docs"] if d.kind == "sale" and d.via == "xlsx"),
                      "commerceml": sum(1 for d in m["docs"] if d.via == "cml")},
        "calls": {"inbound": sum(1 for e in m["events"] if e.direction == "in"),
                  "outbound": sum(1 for e in m["events"] if e.direction == "out"),
                  "internal": sum(1 for e in m["events"] if e.direction == "internal")},
    }


NOTES = [
    "Every share follows /work/shared/contract/AUDIT_RESULT.md. Truth comes from the generator's "
    "model: who is really the same person / organisation, which call was answered.",
    "The data is built so that the contract's 'same person' and 'same company' rules give exactly the "
    "model's identities: every duplicate contact shares a phone (other format) with its original and "
    "either the same normalised name in the same company or an e-mail (other case); distinct people "
    "never share a phone or e-mail except the switchboard groups; distinct companies never share "
    "a valid INN, and names are unique except the two 'Вектор' companies, which both carry valid, "
    "different INNs.",
    "Counterparty metrics count the rows of 1c/Контрагенты.xlsx. The Контрагент elements inside "
    "commerceml/documents.xml repeat counterparties of that list (same name, INN, KPP; Ид is the 1C "
    "GUID) and are references, not extra counterparty records. As in the CommerceML 2.10 XSD "
    "(РеквизитыЮрЛица is an xsd:group), ОфициальноеНаименование/ИНН/КПП are direct children of "
    "Контрагент; the file validates against the official schema.",
    "1C documents (invoice or sale) come from both the XLSX lists and commerceml/documents.xml; the "
    "CommerceML documents are not repeated in the lists.",
    "'Дата завершения' is the close date of won/lost deals; 'Дата изменения' is the last change used "
    "for stuck deals. No stuck-relevant change falls 2026-11-03..2026-11-08, no close date "
    "2025-11-17..2025-11-24, no 1C document 29-31 days from a won deal of the same company, no "
    "callback-relevant call 23-25 h after a missed call, no call within 2 min of a lead's creation "
    "except the call that created it (40-150 s before), so cut-off conventions do not matter.",
    "A deal's company is the CRM company whose exact title is in the deal's Компания column (titles "
    "are unique). 'Предполагаемая дата закрытия' is a date field and is written DD.MM.YYYY.",
    "validity.contacts.phone_invalid_share counts numbers (a cell with two numbers gives two); "
    "per_record gives the per-contact alternative.",
    "Inbound calls are grouped by linkedid; the caller number is written as 8XXXXXXXXXX, "
    "+7XXXXXXXXXX or 7XXXXXXXXXX.",
]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
