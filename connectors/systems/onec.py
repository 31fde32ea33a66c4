"""1C (УТ 11, БП 3.0, УНФ): list exports, CommerceML 2 and bank statements (FORMATS.md §3).

* List exports ("Вывести список" / "Сохранить как" to XLSX, XLS, HTML, TXT): the header is the
  visible list columns with Russian titles, possibly under title rows (the spreadsheet reader
  finds the header row). Recognised by titles typical of 1C lists (`Вид контрагента`,
  `Головной контрагент`, `Организация`, `Проведен`, `Вх. номер`, ...). A 1C sheet is named
  `TDSheet` by 1C's own XLSX writer (**unverified** beyond common knowledge) – a small bonus.
* CommerceML 2 (`<КоммерческаяИнформация>` root, any namespace) and `1CClientBankExchange`
  statements: recognised by content (the sniffer's `xml` / `bank` kinds).

The CommerceML and bank profiles are layout variants (`variant=`) of 1C documents / payments.
The loader maps every raw table of a file with `registry.find(system, entity)`, the first
profile of that system and entity (a CommerceML file yields counterparties too); so all
profiles of one 1C entity share one `fields` dictionary that knows the titles of lists and the raw column names of the CommerceML and bank
readers (which do not collide), and every 1C reader is chosen by the file's kind first
(readers/special.py). Computed raw columns (`doc_type`, `direction`, `amount`, the bank's
`Направление`, `ДатаОперации`, `Контрагент`, `КонтрагентИНН`, `Организация`) are described in
the readers.
"""
import re

from ..headers import norm_header
from ..model import Sample
from ..profile import Profile

SYSTEM = "1c"

PHONES = ("Телефон", "Телефоны", "Телефон рабочий", "Рабочий телефон", "Телефон мобильный", "Мобильный телефон",
          "Контактный телефон", "Факс")
EMAILS = ("Электронная почта", "E-mail", "Email", "Адрес электронной почты", "Эл. почта", "Почта")

COUNTERPARTY_FIELDS = {
    "record_id": ("Ид", "Идентификатор", "GUID", "Уникальный идентификатор"),
    "name": ("Наименование", "Наименование контрагента", "Краткое наименование", "Рабочее наименование"),
    "full_name": ("Полное наименование", "НаименованиеПолное", "Наименование полное", "ПолноеНаименование",
                  "Официальное наименование"),
    "inn": ("ИНН",), "kpp": ("КПП",),
    "kind": ("Вид контрагента", "ВидКонтрагента", "Юр./физ. лицо", "Юр. / физ. лицо", "Юридическое/физическое лицо",
             "Юридическое / физическое лицо", "Тип контрагента"),
    "phone": PHONES, "email": EMAILS,
    "address": ("Адрес", "Юридический адрес", "Фактический адрес", "Почтовый адрес"),
    "code": ("Код",),
    "owner": ("Основной менеджер", "Ответственный", "Менеджер"),
    "created_at": ("Дата создания",), "city": ("Город",), "comment": ("Комментарий",),
}

DOCUMENT_FIELDS = {
    "record_id": ("Ид", "Идентификатор", "GUID", "Уникальный идентификатор"),
    "doc_type": ("doc_type",),  # computed by the readers (readers/special.py)
    "number": ("Номер", "Номер документа"),
    "doc_date": ("Дата", "Дата документа"),
    "amount": ("Сумма документа", "Сумма", "СуммаДокумента", "Сумма с НДС", "Всего"),
    "currency": ("Валюта", "Валюта документа", "ВалютаДокумента"),
    "counterparty_name": ("Контрагент", "Контрагент.Наименование", "Покупатель", "Клиент", "Партнер"),
    "counterparty_inn": ("ИНН контрагента", "Контрагент.ИНН", "ИНН"),
    "counterparty_id": ("Контрагент.Ид",),
    "organization": ("Организация",),
    "status": ("Статус", "Статус заказа", "Состояние", "status"),  # status: computed from Проведен
    "owner": ("Ответственный", "Менеджер", "Автор"),
    "comment": ("Комментарий",),
}

PAYMENT_FIELDS = {
    "record_id": ("Ид", "Идентификатор", "GUID", "Уникальный идентификатор"),
    "number": ("Номер", "Номер документа"),
    "pay_date": ("ДатаОперации", "Дата", "Дата документа", "Дата платежа"),  # ДатаОперации: bank reader
    "amount": ("Сумма документа", "Сумма", "СуммаДокумента", "amount"),
    "direction": ("Направление", "direction"),
    "operation": ("Вид операции", "Хозяйственная операция", "СекцияДокумент"),
    "counterparty_name": ("Контрагент", "Плательщик", "Получатель"),
    "counterparty_inn": ("ИНН контрагента", "КонтрагентИНН"),
    "purpose": ("Назначение платежа", "НазначениеПлатежа"),
    "organization": ("Организация",),
    "owner": ("Ответственный",), "comment": ("Комментарий",),
}

# Titles only a payments (bank) list has: a documents profile loses to the payments one on them.
_PAYMENT_ONLY = {norm_header(t) for t in (
    "Назначение платежа", "Счет организации", "Банковский счет", "Банковский счет организации", "Счет контрагента",
    "Вх. номер", "Вх. дата", "Входящий номер", "Входящая дата", "Поступление", "Списание",
    "Статья движения денежных средств", "Статья ДДС", "Плательщик", "Вид оплаты")}
_DOCUMENT_ONLY = {norm_header(t) for t in (
    "Проведен", "Вид документа", "Тип документа", "Склад", "Счет-фактура", "Оплата", "Отгрузка", "Соглашение",
    "Сумма НДС", "Документ ЭДО", "Статус оплаты", "Статус отгрузки")}


def _titles(sample: Sample) -> set[str]:
    return {norm_header(h) for h in sample.header if h.strip()}


def _sheet_bonus(sample: Sample) -> float:
    bonus = 0.0
    if (sample.sheet or "").strip().lower() == "tdsheet":
        bonus += 0.1
    if sample.kind in ("xlsx", "xls", "ods") and sample.header_row > 0:
        bonus += 0.03  # a title row above the header, as 1C reports and lists print
    return bonus


def _documents_bonus(sample: Sample) -> float:
    return _sheet_bonus(sample) - (0.3 if _titles(sample) & _PAYMENT_ONLY else 0.0)


def _payments_bonus(sample: Sample) -> float:
    titles = _titles(sample)
    if not titles & _PAYMENT_ONLY:
        return -0.3 if titles & _DOCUMENT_ONLY else -0.1
    return _sheet_bonus(sample)


_LIST_KINDS = ("csv", "xlsx", "xls", "ods", "html")

COUNTERPARTIES = Profile(
    system=SYSTEM, entity="counterparties", kinds=_LIST_KINDS, reader="1c-list:counterparties",
    markers=("Полное наименование", "Вид контрагента", "ИНН", "КПП", "Код по ОКПО", "Головной контрагент",
             "Юр./физ. лицо", "Основной договор"),
    fields=COUNTERPARTY_FIELDS, required=("name",), bonus=_sheet_bonus,
)

DOCUMENTS = Profile(
    system=SYSTEM, entity="documents", kinds=_LIST_KINDS, reader="1c-list:documents",
    markers=("Дата", "Номер", "Контрагент", "Организация", "Сумма", "Валюта", "Ответственный", "Проведен",
             "Вид документа", "Хозяйственная операция"),
    fields=DOCUMENT_FIELDS, required=("number", "doc_date", "counterparty_name"), bonus=_documents_bonus,
)

PAYMENTS = Profile(
    system=SYSTEM, entity="payments", kinds=_LIST_KINDS, reader="1c-list:payments",
    markers=("Дата", "Номер", "Контрагент", "Организация", "Вид операции", "Назначение платежа", "Сумма документа",
             "Счет организации", "Банковский счет", "Вх. номер", "Вх. дата", "Счет контрагента"),
    fields=PAYMENT_FIELDS, required=("number", "pay_date", "counterparty_name"), bonus=_payments_bonus,
)

_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_FIRST_TAG = re.compile(r"<([^\s/>!?][^\s/>]*)")


def root_name(sample: Sample) -> str | None:
    """Local name of an XML file's root element, read from the head in the prolog's encoding."""
    text = sample.head.decode(sample.encoding or "utf-8", errors="replace") if sample.head else sample.text
    m = _FIRST_TAG.search(_COMMENTS.sub("", text[:20000]))
    return m.group(1).split(":")[-1] if m else None


def detect_commerceml(sample: Sample) -> float:
    return 0.97 if sample.kind == "xml" and root_name(sample) == "КоммерческаяИнформация" else 0.0


def detect_bank(sample: Sample) -> float:
    return 0.98 if sample.kind == "bank" else 0.0


# One CommerceML file may hold documents and counterparties; the reader returns each it finds.
COMMERCEML = Profile(system=SYSTEM, entity="documents", kinds=("xml",), reader="commerceml", variant="commerceml",
                     detector=detect_commerceml, fields=DOCUMENT_FIELDS)
BANK = Profile(system=SYSTEM, entity="payments", kinds=("bank",), reader="bank", variant="bank",
               detector=detect_bank, fields=PAYMENT_FIELDS)

# List profiles first: registry.find() returns them, and their reader handles every 1C kind.
PROFILES = (COUNTERPARTIES, DOCUMENTS, PAYMENTS, COMMERCEML, BANK)
