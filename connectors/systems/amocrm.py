"""amoCRM (Kommo) exports: deals ("сделки"), contacts, companies; CSV and XLSX (FORMATS.md §2).

Quirks handled elsewhere by design: duplicate titles (`roistat`, `Товар`, `Источник`) are made
unique by the reader; `Бюджет ` with a trailing space matches through header folding;
`Дата закрытия` = `не закрыта` is not a date and becomes NULL in the typed layer.
"""
from ..profile import Profile
from .common import COMPANY_PATTERNS, EMAILS_RU, LOSS_REASON, PHONES_RU

SYSTEM = "amocrm"

DEALS = Profile(
    system=SYSTEM, entity="deals",
    markers=("Название сделки", "Бюджет", "Этап сделки", "Воронка", "Дата создания сделки", "Кем создана сделка",
             "Дата закрытия", "Полное имя контакта", "Компания контакта", "Ответственный за контакт"),
    fields={
        "record_id": ("ID",), "title": ("Название сделки",), "amount": ("Бюджет",), "owner": ("Ответственный",),
        "created_at": ("Дата создания сделки",), "created_by": ("Кем создана сделка",),
        "modified_at": ("Дата редактирования",), "modified_by": ("Кем редактирована",),
        "closed_at": ("Дата закрытия",), "stage": ("Этап сделки",), "pipeline": ("Воронка",),
        "contact_name": ("Полное имя контакта",), "company_name": ("Компания", "Компания контакта"),
        "phone": PHONES_RU, "email": EMAILS_RU, "city": ("Город",), "source": ("Источник", "utm_source"),
        "product": ("Товар",), "comment": ("Примечание",),
    },
    patterns={"loss_reason": LOSS_REASON},
    required=("title",),
)

CONTACTS = Profile(
    system=SYSTEM, entity="contacts",
    markers=("Полное имя контакта", "Название компании", "Дата создания контакта", "Кем создан контакт", "Сделки",
             "Кем редактирован", "Рабочий прямой телефон", "Тип"),
    fields={
        "record_id": ("ID",), "full_name": ("Полное имя контакта",), "first_name": ("Имя",), "last_name": ("Фамилия",),
        "company_name": ("Название компании", "Компания"), "owner": ("Ответственный",),
        "created_at": ("Дата создания контакта",), "created_by": ("Кем создан контакт",),
        "modified_at": ("Дата редактирования",), "modified_by": ("Кем редактирован",),
        "phone": PHONES_RU, "email": EMAILS_RU, "city": ("Город",), "source": ("Источник",),
        "position": ("Должность",), "comment": ("Примечание 1", "Примечание"),
        "birth_date": ("Дата рождения", "День рождения"), "address": ("Адрес",), "postcode": ("Индекс", "Почтовый индекс"),
    },
    required=("full_name",),
    split=("Тип", {"компания": "amocrm.companies.in_contacts", "company": "amocrm.companies.in_contacts"}),
)

# Company rows of the contacts file (`Тип` = `компания`): the company's own name is in «Название
# компании» (else in the name column), its custom fields (ИНН, КПП, сайт, адрес) beside it.
COMPANIES_IN_CONTACTS = Profile(
    system=SYSTEM, entity="companies", variant="in_contacts", kinds=(),   # never detected on its own
    fields={
        "record_id": ("ID",), "name": ("Название компании", "Полное имя контакта", "Название"),
        "owner": ("Ответственный",), "created_at": ("Дата создания контакта", "Дата создания компании"),
        "created_by": ("Кем создан контакт", "Кем создана компания"),
        "modified_at": ("Дата редактирования",), "modified_by": ("Кем редактирован", "Кем редактирована"),
        "phone": PHONES_RU, "email": EMAILS_RU, "inn": ("ИНН",), "kpp": ("КПП",), "city": ("Город",),
        "address": ("Адрес",), "website": ("Web", "Сайт"), "source": ("Источник",), "comment": ("Примечание 1", "Примечание"),
    },
    patterns=COMPANY_PATTERNS,
    multi=("phone", "email", "name"),
)

COMPANIES = Profile(
    system=SYSTEM, entity="companies",
    markers=("Название компании", "Дата создания компании", "Кем создана компания", "Контакты", "Сделки", "Web"),
    fields={
        "record_id": ("ID",), "name": ("Название компании", "Название"), "owner": ("Ответственный",),
        "created_at": ("Дата создания компании",), "created_by": ("Кем создана компания",),
        "modified_at": ("Дата редактирования",), "modified_by": ("Кем редактирована",),
        "phone": PHONES_RU, "email": EMAILS_RU, "inn": ("ИНН",), "kpp": ("КПП",), "city": ("Город",),
        "address": ("Адрес",), "website": ("Web", "Сайт"), "source": ("Источник",),
        "postcode": ("Индекс", "Почтовый индекс"),
    },
    patterns=COMPANY_PATTERNS,
    required=("name",),
)

PROFILES = (DEALS, CONTACTS, COMPANIES, COMPANIES_IN_CONTACTS)
