"""Generic CRM tables in English or Russian (e.g. the public Maven "CRM Sales Opportunities" set).

Fallback profiles: they match common titles of any CRM and are capped below the confidence of a
system's own profile, so a real Bitrix24 or amoCRM file never lands here.
"""
from ..profile import Profile
from .common import COMPANY_PATTERNS, LOSS_REASON

SYSTEM = "generic"

DEALS = Profile(
    system=SYSTEM, entity="deals", generic=True,
    markers=("opportunity_id", "deal_stage", "close_value", "sales_agent", "engage_date", "close_date", "account", "product"),
    fields={
        "record_id": ("opportunity_id", "deal_id", "deal id", "id", "ID сделки"),
        "title": ("deal_name", "deal name", "opportunity name", "name", "Название", "Сделка"),
        "stage": ("deal_stage", "stage", "deal stage", "status", "Стадия", "Этап", "Статус"),
        "amount": ("close_value", "amount", "value", "deal value", "Сумма", "Бюджет"),
        "owner": ("sales_agent", "owner", "deal owner", "sales rep", "manager", "Ответственный", "Менеджер"),
        "company_name": ("account", "company", "account name", "organization", "Компания", "Клиент"),
        "created_at": ("engage_date", "created", "created_at", "create date", "created date", "Дата создания"),
        "closed_at": ("close_date", "closed_at", "close date", "closed date", "Дата закрытия"),
        "product": ("product", "Товар", "Продукт"), "source": ("source", "lead source", "Источник"),
        "probability": ("probability", "score", "Вероятность"), "city": ("city", "Город"),
        "currency": ("currency", "Валюта"), "created_by": ("created_by", "created by", "Кем создана"),
        "modified_at": ("modified", "updated_at", "last modified", "Дата изменения"),
    },
    patterns={"loss_reason": LOSS_REASON},
    required=("stage",),
)

COMPANIES = Profile(
    system=SYSTEM, entity="companies", generic=True,
    markers=("account", "sector", "year_established", "revenue", "employees", "office_location", "subsidiary_of"),
    fields={
        "name": ("account", "company", "company name", "account name", "name", "Название компании", "Компания", "Наименование"),
        "record_id": ("account_id", "company_id", "id"), "industry": ("sector", "industry", "Отрасль", "Сфера деятельности"),
        "revenue": ("revenue", "annual revenue", "Годовой оборот"), "employees": ("employees", "Сотрудников"),
        "city": ("office_location", "city", "location", "Город"), "parent": ("subsidiary_of", "parent company", "parent"),
        "inn": ("inn", "ИНН"), "phone": ("phone", "Телефон"), "email": ("email", "e-mail", "Email"),
        "owner": ("owner", "Ответственный"), "created_at": ("created", "created_at", "Дата создания"),
        "website": ("website", "Сайт"), "postcode": ("postcode", "zip", "zip code", "postal code", "Индекс"),
        "address": ("address", "street address", "Адрес"),
    },
    patterns=COMPANY_PATTERNS,
    required=("name",),
)

CONTACTS = Profile(
    system=SYSTEM, entity="contacts", generic=True,
    markers=("first_name", "last_name", "email", "phone", "company", "job title"),
    fields={
        "record_id": ("contact_id", "id"), "full_name": ("full name", "name", "contact name", "ФИО", "Контакт"),
        "first_name": ("first_name", "first name", "Имя"), "last_name": ("last_name", "last name", "Фамилия"),
        "company_name": ("company", "account", "account name", "Компания"), "phone": ("phone", "mobile", "Телефон"),
        "email": ("email", "e-mail", "Email"), "position": ("title", "job title", "position", "Должность"),
        "birth_date": ("birth_date", "date of birth", "birthdate", "dob", "Дата рождения"),
        "address": ("address", "street address", "Адрес"), "postcode": ("postcode", "zip", "zip code", "postal code", "Индекс"),
        "owner": ("owner", "contact owner", "Ответственный"), "created_at": ("created", "created_at", "create date", "Дата создания"),
        "city": ("city", "Город"), "source": ("source", "lead source", "Источник"),
    },
    required=("phone",),
)

USERS = Profile(
    system=SYSTEM, entity="users", generic=True,
    markers=("sales_agent", "manager", "regional_office"),
    fields={"name": ("sales_agent", "agent", "user", "employee", "Сотрудник"), "manager": ("manager", "Руководитель"),
            "office": ("regional_office", "office", "team", "Отдел")},
    required=("name", "manager"),
)

PRODUCTS = Profile(
    system=SYSTEM, entity="products", generic=True,
    markers=("product", "series", "sales_price"),
    fields={"name": ("product", "product name", "Товар", "Номенклатура"), "series": ("series", "category", "Группа"),
            "price": ("sales_price", "price", "list price", "Цена")},
    required=("name", "price"),
)

PROFILES = (DEALS, COMPANIES, CONTACTS, USERS, PRODUCTS)
