"""CommerceML 2 XML (FORMATS.md §3.2) into raw `documents` and `counterparties` tables.

Streamed with lxml `iterparse`; elements are matched on their local names, so every namespace
seen in the wild (`urn:1C.ru:commerceml_2`, `…_205`, `…_210`) and none at all read alike. lxml
decodes by the XML prolog (UTF-8 or windows-1251). Records:

* each `Документ` → one `documents` row: its own fields, the first `Контрагент` of its
  `Контрагенты` (as `Контрагент.<field>`), and the document-level `ЗначенияРеквизитов` listed in
  `REQUISITES` (item-level requisites under `Товары` are not document facts);
* each `Контрагент` outside any document and not nested in another counterparty (e.g. under a
  top-level `Контрагенты`) → one `counterparties` row. A catalogue's `Владелец` is a different
  element and is never a record.

`_line` is the element's source line. Values are text as written; 1C's `T` placeholder for an
empty date requisite becomes blank. Requisite columns that no document carries (even blank) are dropped.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..model import InputError
from .delimited import RawTable, qident
from .tabular import load_rows

DOC_FIELDS = ("Ид", "Номер", "Дата", "Время", "ХозОперация", "Роль", "Валюта", "Курс", "Сумма", "СрокПлатежа", "Комментарий")
PARTY_FIELDS = ("Ид", "Наименование", "ПолноеНаименование", "ИНН", "КПП", "ОКПО", "Роль", "Телефон", "Почта", "Адрес")
PARTY_COLUMNS = ("Ид", "Наименование", "ПолноеНаименование", "ВидКонтрагента", "ИНН", "КПП", "ОКПО", "Телефон", "Почта",
                 "Адрес", "Комментарий")
# Document requisites worth a column: Bitrix and 1C both write these (FORMATS.md §3.2).
REQUISITES = ("Проведен", "ПометкаУдаления", "Статус заказа", "Финальный статус", "Отменен", "Заказ оплачен",
              "Доставка разрешена", "Дата изменения статуса", "Причина отмены", "Дата оплаты", "Метод оплаты", "Сайт",
              "Номер по 1С", "Дата по 1С", "Дата оплаты по 1С", "Номер оплаты по 1С", "Дата отгрузки по 1С",
              "Номер отгрузки по 1С")
DOC_COLUMNS = DOC_FIELDS + tuple(f"Контрагент.{f}" for f in PARTY_FIELDS) + REQUISITES
_EMAIL_TYPES = ("почта", "электронная почта", "e-mail", "email")
_CONTAINERS = ("Каталог", "ПакетПредложений", "Классификатор", "ИзмененияПакетаПредложений")
# Elements that repeat by the thousand outside documents (catalogues, offers): freed as soon as read.
_BULK = ("Товар", "Предложение", "Группа", "Свойство", "Справочник")
_LOCAL: dict[str, str] = {}


def local(tag) -> str:
    """`{urn:1C.ru:commerceml_2}Документ` → `Документ` (cached: a file has few distinct tags)."""
    try:
        return _LOCAL[tag]
    except KeyError:
        name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if isinstance(tag, str):
            _LOCAL[tag] = name
        return name
    except TypeError:  # comments and processing instructions have a function as tag
        return ""


def _inside(el, names: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent.tag) in names:
            return True
        parent = parent.getparent()
    return False


def _free(el) -> None:
    """Drop a read subtree and its already-read preceding siblings (keeps memory flat on big files)."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _text(el) -> str | None:
    if el is None or el.text is None:
        return None
    value = el.text.strip()
    return value or None


def _child(el, name: str):
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def _children(el, name: str):
    return [c for c in el if local(c.tag) == name]


def _party_fields(el) -> list:
    """Direct children plus those of a `РеквизитыЮрЛица`/`РеквизитыФизЛица` wrapper (older producers);
    never descend into a bank account, a representative or an address."""
    out = list(el)
    for c in el:
        if local(c.tag) in ("РеквизитыЮрЛица", "РеквизитыФизЛица"):
            out += list(c)
    return out


def party(el) -> dict[str, str | None]:
    fields: dict[str, object] = {}
    for c in _party_fields(el):
        fields.setdefault(local(c.tag), c)
    full = _text(fields.get("ОфициальноеНаименование")) or _text(fields.get("ПолноеНаименование"))
    kind = ("Юридическое лицо" if "ОфициальноеНаименование" in fields
            else "Физическое лицо" if "ПолноеНаименование" in fields or "Фамилия" in fields else None)
    phones, emails = [], []
    contacts = fields.get("Контакты")
    for contact in _children(contacts, "Контакт") if contacts is not None else []:
        kind_text = (_text(_child(contact, "Тип")) or "").lower()
        value = _text(_child(contact, "Значение"))
        if not value:
            continue
        if kind_text.startswith("телефон") or kind_text == "факс":
            phones.append(value)
        elif kind_text in _EMAIL_TYPES:
            emails.append(value)
    address = None
    for name in ("Адрес", "ЮридическийАдрес", "АдресРегистрации"):
        if name in fields:
            address = _text(_child(fields[name], "Представление")) or _text(fields[name])
            if address:
                break
    return {
        "Ид": _text(fields.get("Ид")), "Наименование": _text(fields.get("Наименование")), "ПолноеНаименование": full,
        "ВидКонтрагента": kind, "ИНН": _text(fields.get("ИНН")), "КПП": _text(fields.get("КПП")),
        "ОКПО": _text(fields.get("ОКПО")) or _text(fields.get("ЕГРПО")), "Роль": _text(fields.get("Роль")),
        "Телефон": ", ".join(phones) or None, "Почта": ", ".join(emails) or None, "Адрес": address,
        "Комментарий": _text(fields.get("Комментарий")),
    }


def document(el) -> dict[str, str | None]:
    children: dict[str, object] = {}
    for c in el:
        children.setdefault(local(c.tag), c)
    row: dict[str, str | None] = {f: _text(children.get(f)) for f in DOC_FIELDS}
    parties = children.get("Контрагенты")
    first = _child(parties, "Контрагент") if parties is not None else None
    if first is not None:
        p = party(first)
        row.update({f"Контрагент.{f}": p[f] for f in PARTY_FIELDS})
    requisites = children.get("ЗначенияРеквизитов")
    for req in _children(requisites, "ЗначениеРеквизита") if requisites is not None else []:
        name = _text(_child(req, "Наименование"))
        if name in REQUISITES and row.get(name) is None:
            value = _text(_child(req, "Значение"))
            row[name] = None if value == "T" else value  # 1C writes `T` for an empty date
    return row


class _Scan:
    """One pass over the file: documents are streamed out, standalone counterparties kept aside."""

    def __init__(self, path: Path):
        self.path = path
        self.parties: list[tuple[int, list[str | None]]] = []
        self.error: str | None = None
        self.root: str | None = None
        self.containers: set[str] = set()
        self.documents = 0
        self.seen: set[str] = set()

    def documents_rows(self):
        # Events only for the elements that matter (lxml filters in C; `{*}` = any namespace or none).
        tags = [f"{{*}}{t}" for t in ("КоммерческаяИнформация", "Документ", "Контрагент", *_CONTAINERS, *_BULK)]
        try:
            for event, el in etree.iterparse(str(self.path), events=("start", "end"), tag=tags, huge_tree=True,
                                             resolve_entities=False, no_network=True, remove_comments=True):
                name = local(el.tag)
                if event == "start":
                    if self.root is None:
                        self.root = name
                    elif name in _CONTAINERS and el.getparent() is not None and el.getparent().getparent() is None:
                        self.containers.add(name)
                    continue
                if name == "Документ":
                    self.documents += 1
                    row = document(el)
                    self.seen.update(k for k in REQUISITES if k in row)
                    yield el.sourceline or 0, [row.get(c) for c in DOC_COLUMNS]
                elif name == "Контрагент":
                    if _inside(el, ("Документ", "Контрагент")):
                        continue  # a document's party or a representative: part of a record still being read
                    p = party(el)
                    self.parties.append((el.sourceline or 0, [p[c] for c in PARTY_COLUMNS]))
                elif name not in _BULK:
                    continue  # the root and the catalogue containers themselves
                _free(el)
            if self.root is None:
                self.error = "no <КоммерческаяИнформация> root element: not a CommerceML file"
        except etree.XMLSyntaxError as err:
            self.error = _syntax_problem(err)
        except etree.LxmlError as err:
            self.error = f"cannot parse the XML ({str(err).splitlines()[0][:160]}); re-export it from 1C"
        except OSError as err:
            self.error = f"cannot read the file ({err})"


def _syntax_problem(err: etree.XMLSyntaxError) -> str:
    msg = (err.msg or str(err)).splitlines()[0]
    where = f"line {err.lineno}" if getattr(err, "lineno", None) else "somewhere"
    return f"malformed XML at {where} ({msg}); the file is truncated or damaged: re-export it from 1C"


def _named(table: str, suffix: str) -> str:
    return table[:-1] + f'_{suffix}"' if table.endswith('"') else f"{table}_{suffix}"


def read_commerceml(con, path: Path, table: str, encoding: str | None = None) -> list[tuple[str, RawTable]]:
    scan = _Scan(path)
    doc_table = _named(table, "documents")
    docs = load_rows(con, doc_table, list(DOC_COLUMNS), scan.documents_rows(), [], encoding)
    if scan.error:
        con.execute(f"DROP TABLE IF EXISTS {doc_table}")
        raise InputError(scan.error)
    out: list[tuple[str, RawTable]] = []
    if scan.documents:
        unused = [c for c in REQUISITES if c not in scan.seen]
        for col in unused:
            con.execute(f"ALTER TABLE {doc_table} DROP COLUMN {qident(col)}")
        docs.columns = [c for c in docs.columns if c not in unused]
        out.append(("documents", docs))
    else:
        con.execute(f"DROP TABLE IF EXISTS {doc_table}")
    if scan.parties:
        party_table = _named(table, "counterparties") if out else table
        out.append(("counterparties", load_rows(con, party_table, list(PARTY_COLUMNS), iter(scan.parties), [], encoding)))
    elif out:  # documents only: the file's own table name, as for any one-table file
        con.execute(f"ALTER TABLE {doc_table} RENAME TO {table.split('.', 1)[-1] if '.' in table else table}")
        docs.table = table
    if not out:
        what = ", ".join(sorted(scan.containers)) or "no Документ or Контрагент elements"
        raise InputError(f"CommerceML file with no documents or counterparties ({what}: products/prices only); "
                         "nothing to load as 1C data: export orders or counterparties instead")
    return out
