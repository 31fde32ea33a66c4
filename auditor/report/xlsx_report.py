"""scorecard.xlsx: the summary and the work lists a manager can act on, one sheet each.

Every work list selects its rows with the evidence query of the metric it stands for
(`result.metrics[id].evidence.query`), so a list holds exactly the records the metric counted;
the canonical record (`stg.*`, `dq.*`) adds the fields a person needs to act: name, phone,
e-mail, owner, stage, dates, amount, and the record's source id, file and line.

Reporters never compute a measure: they only select and format what the checks found.
Phones, e-mails and person names are masked unless `show_pii`; every text cell that a
spreadsheet would read as a formula (`=`, `+`, `-`, `@`) is neutralised. Sheets are written in
openpyxl's write-only mode, rows streamed from DuckDB, each list capped at `CAP` rows.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..privacy import mask_email, mask_name, mask_org, mask_phone, mask_text, neutralise_cell
from ..result import AuditResult

CAP = 5_000  # rows per work list: a manager works through thousands, not millions; the full list is a
# query in audit.duckdb (the sheet says so). It also bounds the report cost whatever the data size.
_WIDTH_SAMPLE = 500

# --------------------------------------------------------------------------- texts

SHEETS = {
    "summary": {"en": "Summary", "ru": "Сводка"},
    "dup_contacts": {"en": "Duplicate contacts", "ru": "Дубли контактов"},
    "dup_companies": {"en": "Duplicate companies", "ru": "Дубли компаний"},
    "dup_counterparties": {"en": "Duplicate 1C counterparties", "ru": "Дубли контрагентов 1С"},
    "lost_no_reason": {"en": "Lost without reason", "ru": "Проигрыши без причины"},
    "unmatched_counterparties": {"en": "1C counterparties not in CRM", "ru": "Контрагенты 1С без пары"},
    "unmatched_companies": {"en": "CRM companies not in 1C", "ru": "Компании CRM без пары в 1С"},
    "possible_matches": {"en": "Same name, to check", "ru": "Совпало только название"},
    "callers_not_in_crm": {"en": "Callers not in CRM", "ru": "Звонящие не из CRM"},
    "missed_not_returned": {"en": "Missed calls not returned", "ru": "Пропущенные без перезвона"},
    "stuck_deals": {"en": "Stuck deals", "ru": "Зависшие сделки"},
}

HEADERS = {
    "ref": {"en": "Source id", "ru": "ID в источнике"},
    "company_inn": {"en": "CRM INN", "ru": "ИНН в CRM"},
    "company_phone": {"en": "CRM phone", "ru": "Телефон в CRM"},
    "counterparty_ref": {"en": "1C record", "ru": "Запись 1С"},
    "counterparty_name": {"en": "1C name", "ru": "Наименование в 1С"},
    "counterparty_inn": {"en": "1C INN", "ru": "ИНН в 1С"},
    "counterparty_phone": {"en": "1C phone", "ru": "Телефон в 1С"},
    "file": {"en": "File", "ru": "Файл"},
    "line": {"en": "Line", "ru": "Строка"},
    "title": {"en": "Deal", "ru": "Сделка"},
    "company": {"en": "Company", "ru": "Компания"},
    "contact": {"en": "Contact", "ru": "Контакт"},
    "person": {"en": "Name", "ru": "ФИО"},
    "name": {"en": "Name", "ru": "Наименование"},
    "full_name": {"en": "Full name", "ru": "Полное наименование"},
    "inn": {"en": "INN", "ru": "ИНН"},
    "kpp": {"en": "KPP", "ru": "КПП"},
    "kind": {"en": "Kind", "ru": "Вид"},
    "position": {"en": "Position", "ru": "Должность"},
    "address": {"en": "Address", "ru": "Адрес"},
    "phone": {"en": "Phone", "ru": "Телефон"},
    "email": {"en": "E-mail", "ru": "E-mail"},
    "owner": {"en": "Owner", "ru": "Ответственный"},
    "stage": {"en": "Stage", "ru": "Стадия"},
    "amount": {"en": "Amount", "ru": "Сумма"},
    "currency": {"en": "Currency", "ru": "Валюта"},
    "source": {"en": "Source", "ru": "Источник"},
    "created_at": {"en": "Created", "ru": "Создана"},
    "modified_at": {"en": "Modified", "ru": "Изменена"},
    "closed_at": {"en": "Closed", "ru": "Закрыта"},
    "expected_close_at": {"en": "Expected close", "ru": "Плановое закрытие"},
    "last_change": {"en": "Last change", "ru": "Последнее изменение"},
    "days_idle": {"en": "Days idle", "ru": "Дней без движения"},
    "cluster_id": {"en": "Cluster", "ru": "Группа"},
    "cluster_size": {"en": "Records in cluster", "ru": "Записей в группе"},
    "action": {"en": "Suggested action", "ru": "Предлагаемое действие"},
    "counted": {"en": "Counted in metric", "ru": "Учтена в метрике"},
    "why": {"en": "Why they match", "ru": "Почему совпадают"},
    "number": {"en": "Number", "ru": "Номер"},
    "calls": {"en": "Calls", "ru": "Звонков"},
    "missed": {"en": "Of them missed", "ru": "Из них пропущено"},
    "first_call": {"en": "First call", "ru": "Первый звонок"},
    "last_call": {"en": "Last call", "ru": "Последний звонок"},
    "started_at": {"en": "Call time", "ru": "Время звонка"},
    "legs": {"en": "Legs", "ru": "Плеч звонка"},
    "first_ref": {"en": "First call id", "ru": "ID первого звонка"},
}

WORDS = {
    "keep": {"en": "keep (most complete)", "ru": "оставить (самая полная)"},
    "merge_into": {"en": "merge into {ref}", "ru": "объединить с {ref}"},
    "yes": {"en": "yes", "ru": "да"},
    "no": {"en": "no", "ru": "нет"},
    "hidden": {"en": "(hidden number)", "ru": "(скрытый номер)"},
    "rows": {"en": "{n} rows", "ru": "строк: {n}"},
    "metric": {"en": "metric {id}: {value} ({status}), evidence total {total}",
               "ru": "метрика {id}: {value} ({status}), всего записей в доказательстве {total}"},
    "metric_na": {"en": "metric {id} is n/a: {reason}", "ru": "метрика {id} не вычислена (n/a): {reason}"},
    "metric_missing": {"en": "metric {id} was not computed in this audit", "ru": "метрика {id} в этом аудите не вычислялась"},
    "no_evidence": {"en": "metric {id} has no evidence query", "ru": "у метрики {id} нет запроса доказательства"},
    "cut": {"en": "only the first {cap} of {n} rows are shown; the full list: audit.duckdb, query in the metric's evidence",
            "ru": "показаны первые {cap} из {n} строк; полный список: audit.duckdb, запрос доказательства метрики"},
    "no_clusters": {"en": "cluster table dq.{table} not found: the records counted by the metric are listed without their clusters",
                    "ru": "таблица групп dq.{table} не найдена: перечислены записи, учтённые метрикой, без групп"},
    "clusters_only": {"en": "clusters from dq.{table}", "ru": "группы из dq.{table}"},
    "calls_sum": {"en": "{calls} calls from {n} numbers", "ru": "{calls} звонков с {n} номеров"},
    "masked": {"en": "phones, e-mails and names are masked (run with --show-pii to see them)",
               "ru": "телефоны, e-mail и имена скрыты (запустите с --show-pii, чтобы их увидеть)"},
    # summary
    "title": {"en": "CRM audit — summary", "ru": "Аудит CRM — сводка"},
    "as_of": {"en": "Reference date", "ru": "Дата отсчёта"},
    "level": {"en": "Maturity level", "ru": "Уровень зрелости"},
    "confidence": {"en": "Confidence", "ru": "Уверенность"},
    "missing_inputs": {"en": "Missing inputs", "ru": "Недостающие выгрузки"},
    "domains": {"en": "Domains", "ru": "Направления"},
    "domain": {"en": "Domain", "ru": "Направление"},
    "questions": {"en": "Diagnostic questions", "ru": "Диагностические вопросы"},
    "question": {"en": "Question", "ru": "Вопрос"},
    "signal": {"en": "Level signal", "ru": "Сигнал уровня"},
    "answer": {"en": "Answer from data", "ru": "Ответ по данным"},
    "evidence_metrics": {"en": "Metrics", "ru": "Метрики"},
    "claim": {"en": "Self-assessment", "ru": "Самооценка"},
    "contradiction": {"en": "Contradiction", "ru": "Противоречие"},
    "blockers": {"en": "Blockers to the next level", "ru": "Что мешает перейти на следующий уровень"},
    "blocker": {"en": "Blocker", "ru": "Препятствие"},
    "records": {"en": "Records", "ru": "Записей"},
    "recommendations": {"en": "Recommendations", "ru": "Рекомендации"},
    "recommendation": {"en": "Recommendation", "ru": "Рекомендация"},
    "why_text": {"en": "Why", "ru": "Почему"},
    "work_lists": {"en": "Work lists", "ru": "Рабочие списки"},
    "sheet": {"en": "Sheet", "ru": "Лист"},
    "note": {"en": "Note", "ru": "Примечание"},
    "inputs": {"en": "Inputs", "ru": "Входные файлы"},
    "path": {"en": "File", "ru": "Файл"},
    "system": {"en": "System", "ru": "Система"},
    "entity": {"en": "Entity", "ru": "Сущность"},
    "rows_read": {"en": "Rows read", "ru": "Прочитано"},
    "rows_loaded": {"en": "Loaded", "ru": "Загружено"},
    "rows_rejected": {"en": "Rejected", "ru": "Отклонено"},
    "problem": {"en": "Problem", "ru": "Проблема"},
    "metrics": {"en": "Metrics", "ru": "Метрики"},
    "metric_id": {"en": "Metric", "ru": "Метрика"},
    "description": {"en": "Description", "ru": "Описание"},
    "value": {"en": "Value", "ru": "Значение"},
    "numerator": {"en": "Numerator", "ru": "Числитель"},
    "denominator": {"en": "Denominator", "ru": "Знаменатель"},
    "unit": {"en": "Unit", "ru": "Единица"},
    "status": {"en": "Status", "ru": "Статус"},
    "evidence_total": {"en": "Evidence records", "ru": "Записей в доказательстве"},
    "reason": {"en": "Reason (n/a)", "ru": "Причина (n/a)"},
}


def _lang(lang: str) -> str:
    return lang if lang in ("en", "ru") else "en"


def sheet_name(key: str, lang: str) -> str:
    return SHEETS[key][_lang(lang)]


def header(key: str, lang: str) -> str:
    return HEADERS[key][_lang(lang)]


def _w(key: str, lang: str, **kw) -> str:
    text = WORDS[key][_lang(lang)]
    return text.format(**kw) if kw else text


# --------------------------------------------------------------------------- work list declarations

@dataclass(frozen=True)
class Col:
    key: str                 # column alias in the list's SQL, and its header key
    kind: str = "text"       # text | phone | email | person | org | free | int | number | date | bool | why
    width: int | None = None


@dataclass(frozen=True)
class WorkList:
    key: str                                  # sheet key in SHEETS
    metric: str                               # the metric whose evidence selects the rows
    table: str                                # the table the evidence refs point into
    select: str                               # SQL over `x` (the evidence records of `table`), ORDER BY included
    cols: tuple[Col, ...]
    count_col: str | None = None              # aggregated list: the column whose sum is the evidence total


_SRC = (Col("ref", width=14), Col("file", width=28), Col("line", "int", 7))
_PERSON_NAME = ("coalesce(nullif(trim(x.full_name), ''), "
                "nullif(trim(concat_ws(' ', x.last_name, x.first_name, x.middle_name)), ''))")

_DEAL_FIELDS = """x.ref, x._file AS file, x._line AS line, x.title, x.company_name AS company, x.contact_name AS contact,
    x.phone, x.email, x.owner, x.stage, x.amount, x.currency"""

LOST_NO_REASON = WorkList(
    "lost_no_reason", "refusal.deals.lost_without_reason_share", "stg.deals",
    f"SELECT {_DEAL_FIELDS}, x.source, x.created_at, x.closed_at, x.modified_at FROM x "
    "ORDER BY x.owner NULLS LAST, x.closed_at DESC NULLS LAST, x._file, x._record",
    (*_SRC, Col("title", "free", 30), Col("company", "org", 26), Col("contact", "person", 22), Col("phone", "phone", 18),
     Col("email", "email", 22), Col("owner", width=20), Col("stage", width=20), Col("amount", "number", 12),
     Col("currency", width=8), Col("source", width=16), Col("created_at", "date"), Col("closed_at", "date"),
     Col("modified_at", "date")),
)

STUCK_DEALS = WorkList(
    "stuck_deals", "process.deals.stuck_share", "stg.deals",
    f"""SELECT {_DEAL_FIELDS}, coalesce(x.modified_at, x.created_at) AS last_change,
        date_diff('day', coalesce(x.modified_at, x.created_at), $as_of) AS days_idle,
        x.created_at, x.expected_close_at
    FROM x ORDER BY days_idle DESC, x.owner NULLS LAST, x._file, x._record""",
    (*_SRC, Col("title", "free", 30), Col("company", "org", 26), Col("contact", "person", 22), Col("phone", "phone", 18),
     Col("email", "email", 22), Col("owner", width=20), Col("stage", width=20), Col("amount", "number", 12),
     Col("currency", width=8), Col("last_change", "date"), Col("days_idle", "int", 10), Col("created_at", "date"),
     Col("expected_close_at", "date")),
)

UNMATCHED_COUNTERPARTIES = WorkList(
    "unmatched_counterparties", "cross.counterparties.unmatched_share", "stg.counterparties",
    """SELECT x.ref, x._file AS file, x._line AS line, x.name, x.full_name, x.inn_raw AS inn, x.kpp, x.kind,
        x.phone, x.email, x.address
    FROM x ORDER BY x._file, x._record""",
    (*_SRC, Col("name", "org", 30), Col("full_name", "org", 34), Col("inn", width=14), Col("kpp", width=11),
     Col("kind", width=14), Col("phone", "phone", 18), Col("email", "email", 22), Col("address", "free", 30)),
)

UNMATCHED_COMPANIES = WorkList(
    "unmatched_companies", "cross.companies.unmatched_share", "stg.companies",
    """SELECT x.ref, x._file AS file, x._line AS line, x.name, x.inn_raw AS inn, x.phone, x.email, x.owner,
        x.created_at, x.modified_at
    FROM x ORDER BY x.owner NULLS LAST, x._file, x._record""",
    (*_SRC, Col("name", "org", 30), Col("inn", width=14), Col("phone", "phone", 18), Col("email", "email", 22),
     Col("owner", width=20), Col("created_at", "date"), Col("modified_at", "date")),
)

# the same normalised name and nothing else to compare: a person checks whether it is one firm
POSSIBLE_MATCHES = WorkList(
    "possible_matches", "cross.possible_matches.name_only_count", "dq.possible_matches",
    """SELECT x.company_ref AS ref, x.file, x.line, x.company_name AS company, x.company_inn, x.company_phone, x.owner,
        x.counterparty_ref, x.counterparty_name, x.counterparty_inn, x.counterparty_phone
    FROM x ORDER BY x._record""",
    (*_SRC, Col("company", "org", 30), Col("company_inn", width=14),
     Col("company_phone", "phone", 18), Col("owner", width=20), Col("counterparty_ref", width=24),
     Col("counterparty_name", "org", 30), Col("counterparty_inn", width=14), Col("counterparty_phone", "phone", 18)),
)

# first_leg is `file:line`; the file name may itself hold colons, so split at the last one
_FIRST_LEG_FILE = "first_leg[:length(first_leg) - strpos(reverse(first_leg), ':')]"
_FIRST_LEG_LINE = "TRY_CAST(first_leg[length(first_leg) - strpos(reverse(first_leg), ':') + 2:] AS BIGINT)"

CALLERS_NOT_IN_CRM = WorkList(
    "callers_not_in_crm", "cross.calls.inbound_unlinked_share", "dq.calls",
    f"""SELECT number, calls, missed, first_call, last_call, first_ref, {_FIRST_LEG_FILE} AS file, {_FIRST_LEG_LINE} AS line
    FROM (SELECT number, count(*) AS calls, count(*) FILTER (WHERE answered = false) AS missed,
            min(started_at) AS first_call, max(started_at) AS last_call,
            arg_min(ref, (started_at, call_key)) AS first_ref, arg_min(first_leg, (started_at, call_key)) AS first_leg
          FROM x GROUP BY number)
    ORDER BY calls DESC, last_call DESC, number NULLS LAST""",
    (Col("number", "phone", 18), Col("calls", "int", 9), Col("missed", "int", 10), Col("first_call", "date"),
     Col("last_call", "date"), Col("first_ref", width=16), Col("file", width=28), Col("line", "int", 7)),
    count_col="calls",
)

MISSED_NOT_RETURNED = WorkList(
    "missed_not_returned", "process.calls.missed_without_callback_share", "dq.calls",
    f"""SELECT ref, {_FIRST_LEG_FILE} AS file, {_FIRST_LEG_LINE} AS line, number, started_at, legs
    FROM x ORDER BY started_at DESC, ref""",
    (*_SRC[:1], Col("file", width=28), Col("line", "int", 7), Col("number", "phone", 18), Col("started_at", "date"),
     Col("legs", "int", 8)),
)

WORK_LISTS: tuple[WorkList, ...] = (LOST_NO_REASON, UNMATCHED_COUNTERPARTIES, UNMATCHED_COMPANIES, POSSIBLE_MATCHES,
                                    CALLERS_NOT_IN_CRM, MISSED_NOT_RETURNED, STUCK_DEALS)


@dataclass(frozen=True)
class DupList:
    key: str
    metric: str
    entity: str              # stg table
    prefix: str              # dq.<prefix>_clusters / _explain (checks/dedup/crm.py)
    fields: str              # SQL over `s` (the stg record)
    cols: tuple[Col, ...]
    person: bool = False     # the entity is a person: names in explanations are masked too


_DUP_HEAD = (Col("cluster_id", "int", 9), Col("cluster_size", "int", 9), Col("action", width=24),
             Col("counted", width=10), *_SRC)

DUP_LISTS: tuple[DupList, ...] = (
    DupList("dup_contacts", "duplicates.contacts.redundant_share", "contacts", "contact",
            _PERSON_NAME.replace("x.", "s.") + " AS person, s.company_name AS company, s.phone, s.email, s.position, "
            "s.owner, s.created_at, s.modified_at",
            (*_DUP_HEAD, Col("person", "person", 26), Col("company", "org", 24), Col("phone", "phone", 18),
             Col("email", "email", 22), Col("position", "free", 18), Col("owner", width=20), Col("created_at", "date"),
             Col("modified_at", "date"), Col("why", "why", 60)),
            person=True),
    DupList("dup_companies", "duplicates.companies.redundant_share", "companies", "company",
            "s.name, s.inn_raw AS inn, s.phone, s.email, s.owner, s.created_at, s.modified_at",
            (*_DUP_HEAD, Col("name", "org", 30), Col("inn", width=14), Col("phone", "phone", 18), Col("email", "email", 22),
             Col("owner", width=20), Col("created_at", "date"), Col("modified_at", "date"), Col("why", "why", 60))),
    DupList("dup_counterparties", "duplicates.counterparties.redundant_share", "counterparties", "counterparty",
            "s.name, s.full_name, s.inn_raw AS inn, s.kpp, s.phone, s.email",
            (*_DUP_HEAD, Col("name", "org", 30), Col("full_name", "org", 34), Col("inn", width=14), Col("kpp", width=11),
             Col("phone", "phone", 18), Col("email", "email", 22), Col("why", "why", 60))),
)

SHEET_ORDER = ("summary", "dup_contacts", "dup_companies", "dup_counterparties", "lost_no_reason",
               "unmatched_counterparties", "unmatched_companies", "possible_matches", "callers_not_in_crm", "missed_not_returned",
               "stuck_deals")


# --------------------------------------------------------------------------- SQL building

def _strip(sql: str) -> str:
    return sql.strip().rstrip(";").strip()


def _evidence_cte(con, sql: str, params: dict) -> str:
    """`ev(ref, _k)`: the evidence query's ids, the k-th occurrence of a ref numbered k (so a ref
    shared by two records of one table maps to both, and the row count stays the evidence total)."""
    first = con.execute(f"SELECT * FROM ({sql}) LIMIT 0", _used(sql, params)).description[0][0]
    quoted = '"' + first.replace('"', '""') + '"'
    return (f"ev AS (SELECT CAST({quoted} AS VARCHAR) AS ref, "
            f"row_number() OVER (PARTITION BY CAST({quoted} AS VARCHAR)) AS _k FROM ({sql}) _e)")


def _numbered(table: str, only_evidence: bool = False) -> str:
    """The table's rows, the k-th record with one ref numbered k. `only_evidence`: only the rows
    whose ref is in `ev`, filtered before numbering (numbering a whole ten-million-row table
    to keep a few thousand of its rows was most of a work list's cost)."""
    order = "started_at, call_key" if table == "dq.calls" else "_file, _record"
    where = " WHERE CAST(ref AS VARCHAR) IN (SELECT ref FROM ev)" if only_evidence else ""
    return f"SELECT *, row_number() OVER (PARTITION BY CAST(ref AS VARCHAR) ORDER BY {order}) AS _k FROM {table}{where}"


def list_sql(con, spec: WorkList, evidence_query: str, params: dict) -> str:
    """The work list's SQL: the metric's evidence records of `spec.table`, then `spec.select`."""
    ev = _evidence_cte(con, _strip(evidence_query), params)
    return (f"WITH {ev}, t AS ({_numbered(spec.table, only_evidence=True)}), "
            f"x AS (SELECT t.* EXCLUDE (_k) FROM ev JOIN t ON CAST(t.ref AS VARCHAR) = ev.ref AND t._k = ev._k) "
            f"{spec.select}")


def _table_exists(con, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def dup_sql(con, spec: DupList, evidence_query: str | None, params: dict) -> tuple[str | None, bool]:
    """(SQL, clusters_found). With dq.<prefix>_clusters: every record of every cluster with more
    than one record (or holding a counted record), the survivor first; `counted` marks the
    records of the metric's evidence. Without it: the evidence records alone."""
    clusters = f"dq.{spec.prefix}_clusters"
    has_clusters = _table_exists(con, "dq", f"{spec.prefix}_clusters")
    if not has_clusters and not evidence_query:
        return None, False
    stg = f"stg.{spec.entity}"
    ev = _evidence_cte(con, _strip(evidence_query), params) + ", " if evidence_query else ""
    ev_join = "LEFT JOIN ev ON ev.ref = CAST(s.ref AS VARCHAR) AND ev._k = s._k" if evidence_query else ""
    counted = "ev.ref IS NOT NULL" if evidence_query else "CAST(NULL AS BOOLEAN)"
    if not has_clusters:
        return (f"WITH {ev}s AS ({_numbered(stg)}) "
                f"SELECT CAST(NULL AS BIGINT) AS cluster_id, CAST(NULL AS BIGINT) AS cluster_size, "
                f"CAST(NULL AS BOOLEAN) AS is_survivor, CAST(NULL AS VARCHAR) AS survivor_ref, true AS counted, "
                f"s.ref, s._file AS file, s._line AS line, {spec.fields} "
                f"FROM ev JOIN s ON CAST(s.ref AS VARCHAR) = ev.ref AND s._k = ev._k ORDER BY s._file, s._record"), False
    keep_counted = (f"UNION SELECT c.cluster_id FROM {clusters} c JOIN s ON s._file = c._file AND s._record = c._record "
                    f"JOIN ev ON ev.ref = CAST(s.ref AS VARCHAR) AND ev._k = s._k") if evidence_query else ""
    return (f"WITH {ev}s AS ({_numbered(stg)}), "
            f"keep AS (SELECT cluster_id FROM {clusters} WHERE cluster_size > 1 {keep_counted}) "
            f"SELECT c.cluster_id, c.cluster_size, c.is_survivor, c.survivor_ref, {counted} AS counted, "
            f"s.ref, s._file AS file, s._line AS line, {spec.fields} "
            f"FROM {clusters} c JOIN s ON s._file = c._file AND s._record = c._record {ev_join} "
            f"WHERE c.cluster_id IN (SELECT cluster_id FROM keep) "
            f"ORDER BY c.cluster_size DESC, c.cluster_id, c.is_survivor DESC, s._file, s._record"), True


def _used(sql: str, params: dict) -> dict:
    return {k: v for k, v in params.items() if f"${k}" in sql}


# --------------------------------------------------------------------------- cell formatting

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FMT = "yyyy-mm-dd hh:mm"
_SPLIT_PHONES = re.compile(r"\s*[,;]\s*")
_SPLIT_EMAILS = re.compile(r"[\s,;]+")


def _mask_many(value: str, mask: Callable[[str], str | None], split: re.Pattern) -> str:
    parts = [p for p in split.split(value.strip()) if p]
    return ", ".join(mask(p) or "" for p in parts)


def _plain(value):
    """DuckDB values → what openpyxl can store (no tz, no lists)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return ", ".join("" if v is None else str(v) for v in value)
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _masked(value, kind: str, show_pii: bool, person_entity: bool = False):
    if value is None or show_pii or not isinstance(value, str):
        return value
    if kind == "phone":
        return _mask_many(value, mask_phone, _SPLIT_PHONES)
    if kind == "email":
        return _mask_many(value, mask_email, _SPLIT_EMAILS)
    if kind == "person":
        return mask_name(value)
    if kind == "org":
        return mask_org(value)
    if kind == "free":
        return mask_text(value)
    return value


def _cell(ws, value, *, font=None, fmt=None, fill=None, wrap=False):
    value = neutralise_cell(_plain(value))
    if isinstance(value, float) and value != value:  # NaN
        value = None
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):  # belt and braces: never a formula
        cell.data_type = "s"
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if wrap:
        cell.alignment = _WRAP
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, dt.datetime):
        cell.number_format = _DATE_FMT
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _data(value):
    value = neutralise_cell(_plain(value))
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _set_widths(ws, headers: list[str], rows: list[list], preset: list[int | None]) -> None:
    for i, head in enumerate(headers):
        sample = [_width(r[i]) for r in rows[:_WIDTH_SAMPLE]]
        natural = max([len(head) + 2, *[s + 2 for s in sample]])
        width = min(max(natural, 6), 60)
        if preset[i]:
            width = min(max(preset[i], min(natural, 60)), 60) if rows else max(preset[i], len(head) + 2)
        ws.column_dimensions[get_column_letter(i + 1)].width = width


# --------------------------------------------------------------------------- writing a list

@dataclass
class ListInfo:
    key: str
    sheet: str
    metric: str
    rows: int            # data rows written
    total: int           # rows the list has (before the cap)
    evidence_total: int | None
    note: str


def _metric_note(result: AuditResult, metric_id: str, lang: str) -> tuple[str, str | None]:
    """(note, evidence query or None)."""
    m = result.metrics.get(metric_id)
    if m is None:
        return _w("metric_missing", lang, id=metric_id), None
    if m.value is None:
        return _w("metric_na", lang, id=metric_id, reason=m.reason or ""), None
    if m.evidence is None or not m.evidence.query:
        return _w("no_evidence", lang, id=metric_id), None
    value = f"{m.value:.1%}" if m.unit == "share" else f"{m.value:g}"
    return _w("metric", lang, id=metric_id, value=value, status=m.status, total=m.evidence.total), m.evidence.query


def _materialise(con, sql: str, params: dict) -> str:
    """Run a list's query once into a temporary table (its order kept: rowid = position), so the
    count, the sum and the rows written do not each run the whole query again."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _work_list AS {sql}", _used(sql, params))
    return "_work_list"


def _rows(con, sql: str | None, cap: int) -> list[list]:
    """The first cap + 1 rows (one more than written tells that the list was cut)."""
    if sql is None:
        return []
    return [list(r) for r in con.execute(f"SELECT * FROM ({sql}) LIMIT {cap + 1}").fetchall()]


def _write_table(ws, title: str, notes: list[str], cols: tuple[Col, ...], rows: Iterable[list], lang: str,
                 convert: Callable[[list], list], cap: int, count_total: Callable[[], int]) -> tuple[int, int]:
    """Note rows, a header, then the rows (first `cap`). Returns (rows written, rows the list has)."""
    headers = [header(c.key, lang) for c in cols]
    rows = iter(rows)
    head_rows: list[list] = []
    for r in rows:
        head_rows.append(convert(r))
        if len(head_rows) >= _WIDTH_SAMPLE:
            break
    _set_widths(ws, headers, head_rows, [c.width for c in cols])
    note_rows = [title, *notes]
    header_row = len(note_rows) + 1
    ws.freeze_panes = f"A{header_row + 1}"   # write-only: sheet views go out before the rows
    for text in note_rows:
        ws.append([_cell(ws, text, font=_TITLE if text is title else None)])
    ws.append([_cell(ws, h, font=_BOLD, fill=_HEAD_FILL, wrap=True) for h in headers])
    written = 0

    def emit(values: list) -> None:
        # plain values: openpyxl dates get their number format by themselves; text is neutralised
        ws.append([_data(v) for v in values])

    cut = False
    for values in head_rows:
        if written >= cap:
            cut = True
            break
        emit(values)
        written += 1
    if not cut:
        for r in rows:
            if written >= cap:
                cut = True
                break
            emit(convert(r))
            written += 1
    total = count_total() if cut else written
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(cols))}{header_row + max(written, 1)}"
    return written, total


def _converter(cols: tuple[Col, ...], show_pii: bool, lang: str, extra: Callable[[dict], dict] | None = None,
               names: list[str] | None = None) -> Callable[[list], list]:
    def convert(row: list) -> list:
        rec = dict(zip(names, row)) if names else None
        if extra and rec is not None:
            rec = extra(rec)
        out = []
        for i, c in enumerate(cols):
            v = rec.get(c.key) if rec is not None else row[i]
            if c.key == "number" and v is None:
                v = _w("hidden", lang)
            elif c.kind == "bool" and isinstance(v, bool):
                v = _w("yes" if v else "no", lang)
            out.append(_masked(v, c.kind, show_pii))
        return out
    return convert


def write_list(ws, spec: WorkList, result: AuditResult, con, params: dict, lang: str, show_pii: bool,
               cap: int) -> ListInfo:
    title = sheet_name(spec.key, lang)
    note, query = _metric_note(result, spec.metric, lang)
    metric = result.metrics.get(spec.metric)
    ev_total = metric.evidence.total if metric is not None and metric.evidence is not None else None
    table = _materialise(con, list_sql(con, spec, query, params), params) if query else None
    names = [c.key for c in spec.cols]
    notes = [note]
    if table is not None and spec.count_col:
        n, calls = con.execute(f"SELECT count(*), coalesce(sum({spec.count_col}), 0) FROM {table}").fetchone()
        notes.append(_w("calls_sum", lang, calls=int(calls), n=int(n)))
    if not show_pii:
        notes.append(_w("masked", lang))
    cursor_sql = f"SELECT {', '.join(names)} FROM {table} ORDER BY rowid" if table else None

    def count_total() -> int:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    written, total = _write_table(ws, title, notes, spec.cols, _rows(con, cursor_sql, cap), lang,
                                     _converter(spec.cols, show_pii, lang), cap, count_total)
    if table is not None:
        con.execute(f"DROP TABLE {table}")
    if total > written:
        ws.append([_cell(ws, _w("cut", lang, cap=f"{cap:,}", n=f"{total:,}"))])
    return ListInfo(spec.key, title, spec.metric, written, total, ev_total, note)


def _explanations(con, spec: DupList, show_pii: bool) -> dict[int, str]:
    """cluster_id → why its records match, values masked like the cells they come from."""
    if not _table_exists(con, "dq", f"{spec.prefix}_explain"):
        return {}
    rows = con.execute(f"""SELECT cluster_id, rule, field, value, score FROM dq.{spec.prefix}_explain
                           WHERE cluster_id IN (SELECT cluster_id FROM dq.{spec.prefix}_clusters WHERE cluster_size > 1)
                           ORDER BY cluster_id, rule, field, value""").fetchall()
    out: dict[int, list[str]] = {}
    for cluster_id, rule, field, value, score in rows:
        shown = _mask_value(field or "", value, spec.person, show_pii)
        part = f"{rule}: {field} {shown}"
        if score is not None and score < 1:
            part += f" ({score:.3f})"
        out.setdefault(cluster_id, []).append(part)
    return {k: "; ".join(v) for k, v in out.items()}


def _mask_value(field: str, value, person: bool, show_pii: bool):
    if value is None or show_pii:
        return value
    value = str(value)
    f = field.lower()
    sides = value.split(" ~ ")
    if "phone" in f or "tel" in f:
        fn = mask_phone
    elif "mail" in f:
        fn = mask_email
    elif person and ("name" in f or f in ("person", "fio")):
        fn = mask_name
    elif "name" in f or "company" in f:
        fn = mask_org
    elif "birth" in f:  # a person's birth date (duplicate linkage evidence) is personal data too
        return " ~ ".join("**.**.****" for _ in sides)
    else:
        return value
    return " ~ ".join(fn(s) or "" for s in sides)


def write_dup_list(ws, spec: DupList, result: AuditResult, con, params: dict, lang: str, show_pii: bool,
                   cap: int) -> ListInfo:
    title = sheet_name(spec.key, lang)
    note, query = _metric_note(result, spec.metric, lang)
    metric = result.metrics.get(spec.metric)
    ev_total = metric.evidence.total if metric is not None and metric.evidence is not None else None
    sql, has_clusters = dup_sql(con, spec, query, params)
    notes = [note]
    if sql is not None:
        notes.append(_w("clusters_only" if has_clusters else "no_clusters", lang, table=f"{spec.prefix}_clusters"))
    if not show_pii:
        notes.append(_w("masked", lang))
    why = _explanations(con, spec, show_pii) if has_clusters else {}
    field_names = [c.key for c in spec.cols if c.key not in ("action", "why")]
    table = _materialise(con, sql, params) if sql else None
    cursor_sql = (f"SELECT is_survivor, survivor_ref, {', '.join(field_names)} FROM {table} ORDER BY rowid" if table else None)
    names = ["is_survivor", "survivor_ref", *field_names]

    def extra(rec: dict) -> dict:
        if rec.get("cluster_id") is None:
            rec["action"] = None
        elif rec.get("is_survivor"):
            rec["action"] = _w("keep", lang)
        else:
            rec["action"] = _w("merge_into", lang, ref=rec.get("survivor_ref"))
        counted = rec.get("counted")
        rec["counted"] = None if counted is None else _w("yes" if counted else "no", lang)
        rec["why"] = why.get(rec.get("cluster_id"))
        return rec

    def count_total() -> int:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    written, total = _write_table(ws, title, notes, spec.cols, _rows(con, cursor_sql, cap), lang,
                                     _converter(spec.cols, show_pii, lang, extra, names), cap, count_total)
    if table is not None:
        con.execute(f"DROP TABLE {table}")
    if total > written:
        ws.append([_cell(ws, _w("cut", lang, cap=f"{cap:,}", n=f"{total:,}"))])
    return ListInfo(spec.key, title, spec.metric, written, total, ev_total, note)


# --------------------------------------------------------------------------- summary

def _fmt_value(m) -> tuple[object, str | None]:
    if m.value is None:
        return None, None
    if m.unit == "share":
        return float(m.value), "0.0%"
    return m.value, None


def write_summary(ws, result: AuditResult, lists: list[ListInfo], lang: str) -> None:
    w = lambda k: _w(k, lang)  # noqa: E731
    widths = [44, 16, 60, 14, 14, 12, 10, 14, 40]
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"   # write-only: before the first row
    mat = result.maturity
    row = 0

    def put(values: list, *, bold=False, head=False, wrap=False, fmts: dict[int, str] | None = None) -> None:
        nonlocal row
        cells = []
        for i, v in enumerate(values):
            cells.append(_cell(ws, v, font=_BOLD if (bold or head) else None, fill=_HEAD_FILL if head else None,
                               wrap=wrap or head, fmt=(fmts or {}).get(i)))
        ws.append(cells)
        row += 1

    def section(title: str) -> None:
        nonlocal row
        ws.append([])
        row += 1
        ws.append([_cell(ws, title, font=_TITLE)])
        row += 1

    ws.append([_cell(ws, w("title"), font=_TITLE)])
    row += 1
    put([w("as_of"), result.as_of], fmts={1: "yyyy-mm-dd"})
    put([w("level"), mat.level], bold=True)
    put([w("confidence"), float(mat.confidence)], fmts={1: "0%"})
    if mat.missing_inputs:
        put([w("missing_inputs"), "; ".join(mat.missing_inputs)])

    section(w("domains"))
    put([w("domain"), w("level"), w("why_text"), w("confidence")], head=True)
    for name, d in mat.domains.items():
        put([name, d.level, d.why, float(d.confidence)], wrap=True, fmts={3: "0%"})

    section(w("questions"))
    put([w("question"), w("signal"), w("answer"), w("evidence_metrics"), w("claim"), w("contradiction")], head=True)
    for qid in sorted(mat.questions):
        a = mat.questions[qid]
        claim = a.claim_text or (a.claim if a.claim is not None else None)
        put([qid, a.level_signal, a.answer, ", ".join(a.evidence), claim, a.contradiction], wrap=True)

    section(w("blockers"))
    put([w("blocker"), w("records"), w("evidence_metrics")], head=True)
    for b in mat.blockers:
        put([b.title, b.records, ", ".join(b.metrics)], wrap=True)

    if result.recommendations:
        section(w("recommendations"))
        put([w("recommendation"), w("records"), w("why_text"), w("evidence_metrics")], head=True)
        for r in result.recommendations:
            put([r.title, r.records, r.why, ", ".join(r.metrics)], wrap=True)

    section(w("work_lists"))
    put([w("sheet"), w("records"), w("note"), w("evidence_total")], head=True)
    for info in lists:
        put([info.sheet, info.total, info.note, info.evidence_total], wrap=True)

    section(w("inputs"))
    put([w("path"), w("system"), w("entity"), w("rows_read"), w("rows_loaded"), w("rows_rejected"), w("problem")],
        head=True)
    for f in result.inputs:
        put([f.path, f.system, f.entity, f.rows_read, f.rows_loaded, f.rows_rejected, f.problem])

    section(w("metrics"))
    put([w("metric_id"), w("status"), w("description"), w("value"), w("numerator"), w("denominator"), w("unit"),
         w("evidence_total"), w("reason")], head=True)
    first = row
    for mid, m in result.metrics.items():
        value, fmt = _fmt_value(m)
        total = m.evidence.total if m.evidence is not None else None
        put([mid, m.status, m.description, value, m.numerator, m.denominator, m.unit, total, m.reason],
            fmts={3: fmt} if fmt else None)
    ws.auto_filter.ref = f"A{first}:I{max(row, first + 1)}"


# --------------------------------------------------------------------------- entry point

def write_xlsx(result: AuditResult, con, path: Path, show_pii: bool = False, cap: int = CAP) -> Path:
    """Write scorecard.xlsx: the summary, then one sheet per work list (see the module docstring)."""
    path = Path(path)
    lang = _lang(result.lang)
    params = {"as_of": dt.datetime.combine(result.as_of, dt.time.max)}
    wb = Workbook(write_only=True)
    summary = wb.create_sheet(sheet_name("summary", lang))
    infos: list[ListInfo] = []
    own = con.cursor()  # a connection of our own: the caller's keeps no unfinished result of ours
    try:
        for spec in DUP_LISTS:
            infos.append(write_dup_list(wb.create_sheet(sheet_name(spec.key, lang)), spec, result, own, params, lang,
                                        show_pii, cap))
        for spec in WORK_LISTS:
            infos.append(write_list(wb.create_sheet(sheet_name(spec.key, lang)), spec, result, own, params, lang,
                                    show_pii, cap))
    finally:
        own.close()
    from .history_xlsx import write_history_sheets  # "since the audit of <date>" and the roadmap

    write_history_sheets(wb, result, lang)
    write_summary(summary, result, infos, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


__all__ = ["CAP", "SHEETS", "HEADERS", "WORK_LISTS", "DUP_LISTS", "sheet_name", "header", "write_xlsx"]
