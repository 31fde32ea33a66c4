"""Bitrix24 CRM exports: deals, leads, contacts, companies (FORMATS.md §1).

CSV: `;`, every field quoted, trailing `;` on every line, UTF-8 with BOM (cloud) or
windows-1251 without (on-premise); "Excel": an HTML table in a `.xls`. Columns are the
localised grid titles, so both title sets (grid and "all fields") are listed. Custom
`UF_CRM_…` columns stay in the raw table; the loss reason is found by its title.
"""
from ..model import Sample
from ..profile import Profile
from .common import COMPANY_PATTERNS, EMAILS_RU, LOSS_REASON, PHONES_RU

SYSTEM = "bitrix24"


def _format_bonus(sample: Sample) -> float:
    """The Bitrix24 CSV signature: `;`, a BOM or every header cell quoted, trailing `;`."""
    if sample.kind == "html":
        return 0.05
    if sample.kind != "csv":
        return 0.0
    first = sample.text.split("\n", 1)[0].rstrip("\r")
    quoted_trailing = sample.delimiter == ";" and first.startswith('"') and first.endswith('";')
    return 0.1 if quoted_trailing else 0.0


_COMMON = {
    "record_id": ("ID",), "owner": ("Ответственный",),
    "created_at": ("Дата создания",), "modified_at": ("Дата изменения",),
    "source": ("Источник",), "comment": ("Комментарий",),
}

DEALS = Profile(
    system=SYSTEM, entity="deals",
    markers=("Стадия сделки", "Название сделки", "Сумма", "Валюта", "Направление", "Группа стадий",
             "Сделка закрыта", "Предполагаемая дата закрытия", "Кем создана", "Дата начала", "Воронка", "Дата завершения"),
    fields={
        **_COMMON, "title": ("Название сделки", "Название"), "amount": ("Сумма", "Сумма/Валюта"),
        "currency": ("Валюта",), "stage": ("Стадия сделки", "Стадия"), "stage_group": ("Группа стадий", "Группа стадии", "Состояние"),
        "is_closed": ("Сделка закрыта", "Закрыта"), "pipeline": ("Направление", "Воронка"),
        "company_name": ("Компания",), "contact_name": ("Контакт", "Контакты"), "lead_id": ("Лид",),
        "probability": ("Вероятность",), "created_by": ("Кем создана",), "modified_by": ("Кем изменена",),
        "closed_at": ("Дата завершения", "Дата закрытия"), "expected_close_at": ("Предполагаемая дата закрытия",),
        "deal_type": ("Тип",), "product": ("Товар",), "phone": PHONES_RU, "email": EMAILS_RU, "city": ("Город",),
    },
    patterns={"loss_reason": LOSS_REASON},
    required=("stage",),
    bonus=_format_bonus,
)

LEADS = Profile(
    system=SYSTEM, entity="leads",
    markers=("Название лида", "Статус", "Дополнительно о статусе", "Возможная сумма", "Повторный лид", "Кем создан",
             "Название компании", "Полное имя", "Отчество"),
    fields={
        **_COMMON, "title": ("Название лида",), "full_name": ("Полное имя",), "first_name": ("Имя",),
        "last_name": ("Фамилия",), "middle_name": ("Отчество",), "company_name": ("Название компании",),
        "phone": PHONES_RU, "email": EMAILS_RU, "status": ("Статус",), "amount": ("Возможная сумма", "Сумма"),
        "created_by": ("Кем создан",), "modified_by": ("Кем изменен",), "city": ("Город",), "converted_deal_id": ("Сделка",),
    },
    patterns={"loss_reason": LOSS_REASON, "city": r"^город$|^city$|^регион$"},
    required=("title",),
    bonus=_format_bonus,
)

CONTACTS = Profile(
    system=SYSTEM, entity="contacts",
    markers=("Имя", "Фамилия", "Отчество", "Тип контакта", "Компания", "Должность", "Кем создан", "Экспорт", "Обращение", "Дата рождения"),
    fields={
        **_COMMON, "first_name": ("Имя",), "last_name": ("Фамилия",), "middle_name": ("Отчество",),
        "full_name": ("Полное имя", "Контакт"), "company_name": ("Компания",), "phone": PHONES_RU, "email": EMAILS_RU,
        "position": ("Должность",), "created_by": ("Кем создан",), "modified_by": ("Кем изменен",), "city": ("Город",),
        "birth_date": ("Дата рождения",), "address": ("Адрес",), "postcode": ("Почтовый индекс",),
    },
    required=("first_name",),
    bonus=_format_bonus,
)

COMPANIES = Profile(
    system=SYSTEM, entity="companies",
    markers=("Название компании", "Тип компании", "Сфера деятельности", "Годовой оборот", "Кол-во сотрудников",
             "Фактический адрес", "Юридический адрес", "Банковские реквизиты", "Кем создана", "Компания продавец"),
    fields={
        **_COMMON, "name": ("Название компании", "Название"), "phone": PHONES_RU, "email": EMAILS_RU,
        "inn": ("ИНН", "ИНН компании", "Реквизит ИНН"), "kpp": ("КПП",), "industry": ("Сфера деятельности",),
        "company_type": ("Тип компании",), "employees": ("Кол-во сотрудников",), "revenue": ("Годовой оборот",),
        "address": ("Фактический адрес", "Юридический адрес", "Адрес"), "website": ("Сайт", "Корпоративный сайт"),
        "postcode": ("Почтовый индекс",),
        "created_by": ("Кем создана",), "modified_by": ("Кем изменена",), "city": ("Город",),
    },
    patterns=COMPANY_PATTERNS,
    required=("name",),
    bonus=_format_bonus,
)

# Task list "Экспорт в Excel" (HTML .xls) or CSV; column titles from the task grid
# (unverified on a real file: FORMATS.md has no task export, so the usual grid titles are listed).
TASKS = Profile(
    system=SYSTEM, entity="tasks",
    markers=("Название", "Статус", "Крайний срок", "Постановщик", "Ответственный", "Дата закрытия", "Проект",
             "Затраченное время", "Соисполнители", "Наблюдатели"),
    fields={
        "record_id": ("ID",), "title": ("Название", "Название задачи"), "status": ("Статус",),
        "deadline_at": ("Крайний срок",), "owner": ("Ответственный",), "created_by": ("Постановщик", "Создатель"),
        "created_at": ("Дата создания",), "modified_at": ("Дата изменения",), "closed_at": ("Дата закрытия",),
        "entity_ref": ("Элемент CRM", "CRM", "Сделка"),
    },
    required=("deadline_at",),
    bonus=_format_bonus,
)

PROFILES = (DEALS, LEADS, CONTACTS, COMPANIES, TASKS)
