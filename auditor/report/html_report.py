"""scorecard.html: one self-contained page (inline CSS, inline SVG charts, no external resource).

The reporter never measures anything new: it lays out the AuditResult and looks up a few
example records and prepared tables (stg.*, dq.*, meta.*) in the audit's DuckDB connection.
Jinja2 autoescapes everything taken from data; personal data (phones, e-mails, client names)
is masked with auditor/privacy.py unless `show_pii`.
"""
from __future__ import annotations

import datetime as dt

import math
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from checks.model import Metric

from ..privacy import mask_email, mask_name, mask_org, mask_phone, mask_text
from ..result import AuditResult
from . import charts, history_sections
from .charts import Bar, Stack

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "scorecard.html.j2"
EXAMPLES = 5            # example records per finding
HALF = 510              # chart width (px) of a half-width panel at full screen width
MORE_IDS = 12           # further evidence ids listed after the examples
REJECT_SAMPLE = 20      # rejected rows shown in the inventory
RAW_CHARS = 160         # a rejected row's raw text is cut here

DIMENSIONS = ("duplicates", "completeness", "validity", "refusal", "cross", "process", "automation", "sanity", "volume")
DOMAINS = ("sales", "integration", "service")
QUESTIONS = ("Q1", "Q2", "Q3", "Q4", "Q5")
SEVERITY = {"fail": 0, "warn": 1, "ok": 2, "n/a": 3}
CLUSTER_TABLES = (("contacts", "contact_clusters"), ("companies", "company_clusters"),
                  ("counterparties", "counterparty_clusters"))

# --------------------------------------------------------------------------- texts

UI: dict[str, dict[str, str]] = {
    "title": {"en": "Automation maturity scorecard", "ru": "Оценка зрелости автоматизации"},
    "as_of": {"en": "Reference date", "ru": "Дата отсчёта"},
    "as_of_by_event": {"en": "the latest event in the exports ({source})",
                       "ru": "последнее событие в выгрузках ({source})"},
    "as_of_stale": {"en": "the reference date is {days} days after the last event in the exports ({latest}): stuck deals "
                          "and unanswered calls are measured against it",
                    "ru": "дата отсчёта на {days} дн. позже последнего события в выгрузках ({latest}): зависшие сделки "
                          "и неотвеченные звонки считаются относительно неё"},
    "as_of_given": {"en": "given with --as-of", "ru": "задана параметром --as-of"},
    "as_of_today": {"en": "today: the exports hold no dated event", "ru": "сегодня: в выгрузках нет датированных событий"},
    "organisation": {"en": "Organisation (from 1C)", "ru": "Организация (по данным 1С)"},
    "inputs": {"en": "Inputs", "ru": "Входные данные"},
    "inputs_line": {"en": "{files} files ({systems}); {rows} records loaded, {rejected} rejected",
                    "ru": "файлов: {files} ({systems}); загружено записей: {rows}, отклонено: {rejected}"},
    "entities_line": {"en": "Loaded", "ru": "Загружено"},
    "period": {"en": "Data period", "ru": "Период данных"},
    "overall": {"en": "Overall level", "ru": "Общий уровень"},
    "level": {"en": "Level", "ru": "Уровень"},
    "confidence": {"en": "confidence", "ru": "уверенность"},
    "not_a_grade": {"en": "A level describes the current state, not a grade: many successful firms live well on level 2. "
                            "Levels cannot be skipped, so the overall level is the lowest domain level.",
                    "ru": "Уровень описывает текущее состояние, а не оценку: многие успешные компании хорошо живут на уровне 2. "
                          "Уровни нельзя перепрыгнуть, поэтому общий уровень — наименьший из уровней направлений."},
    "missing": {"en": "Missing exports that would raise the confidence", "ru": "Каких выгрузок не хватает для большей уверенности"},
    "missing_none": {"en": "Every kind of export the inference uses was given.",
                     "ru": "Переданы все виды выгрузок, на которые опирается вывод."},
    "overall_blockers": {"en": "What blocks level {n}", "ru": "Что мешает перейти на уровень {n}"},
    "top_level": {"en": "The highest level is reached: extend and deepen, measure the business effect.",
                  "ru": "Достигнут высший уровень: расширять и углублять, измерять бизнес-эффект."},
    "s_domains": {"en": "Levels by domain", "ru": "Уровни по направлениям"},
    "s_questions": {"en": "The five diagnostic questions", "ru": "Пять диагностических вопросов"},
    "s_dimensions": {"en": "Scores by dimension", "ru": "Оценки по измерениям"},
    "s_findings": {"en": "Top findings", "ru": "Главные находки"},
    "s_charts": {"en": "Charts", "ru": "Графики"},
    "s_inventory": {"en": "Data inventory", "ru": "Перечень данных"},
    "s_recs": {"en": "Recommendations", "ru": "Рекомендации"},
    "not_judged": {"en": "not judged", "ru": "не оценено"},
    "blockers_to": {"en": "Blockers to level {n}", "ru": "Что мешает уровню {n}"},
    "no_blockers": {"en": "No blocker found in the data.", "ru": "Препятствий в данных не найдено."},
    "questions_used": {"en": "Questions", "ru": "Вопросы"},
    "records": {"en": "records", "ru": "записей"},
    "records_n": {"en": "{n} records", "ru": "записей: {n}"},
    "signal": {"en": "Level signal", "ru": "Сигнал уровня"},
    "unknown_signal": {"en": "data cannot tell", "ru": "данные не позволяют судить"},
    "evidence": {"en": "Evidence", "ru": "Доказательства"},
    "metric": {"en": "Metric", "ru": "Метрика"},
    "value": {"en": "Value", "ru": "Значение"},
    "status": {"en": "Status", "ru": "Статус"},
    "claim": {"en": "Self-assessment", "ru": "Самооценка"},
    "claim_says": {"en": "you said “{text}”", "ru": "ваш ответ «{text}»"},
    "data_say": {"en": "The data", "ru": "Данные"},
    "claim_agrees": {"en": "The data agree.", "ru": "Данные это подтверждают."},
    "claim_untestable": {"en": "The data cannot confirm or refute it.", "ru": "Данные не позволяют ни подтвердить, ни опровергнуть."},
    "contradiction": {"en": "Contradiction", "ru": "Противоречие"},
    "dimension": {"en": "Dimension", "ru": "Измерение"},
    "checks": {"en": "Checks", "ru": "Проверки"},
    "profile_note": {"en": "Besides these, the fill rate of {n} individual fields is profiled (chart “Fill rates”).",
                     "ru": "Кроме этого, измерена заполненность {n} отдельных полей (график «Заполненность полей»)."},
    "metrics_of": {"en": "Metrics", "ru": "Метрики"},
    "numerator": {"en": "counted / of", "ru": "найдено / из"},
    "evidence_total": {"en": "records in evidence", "ru": "записей-доказательств"},
    "examples": {"en": "Examples", "ru": "Примеры"},
    "no_examples": {"en": "No example records to show.", "ru": "Примеров записей нет."},
    "more_ids": {"en": "Further ids", "ru": "Ещё id"},
    "no_findings": {"en": "No check failed or warned.", "ru": "Ни одна проверка не дала предупреждения или провала."},
    "col_id": {"en": "id", "ru": "id"},
    "col_name": {"en": "name / title", "ru": "имя / название"},
    "col_phone": {"en": "phone", "ru": "телефон"},
    "col_email": {"en": "e-mail", "ru": "e-mail"},
    "col_owner": {"en": "owner", "ru": "ответственный"},
    "col_detail": {"en": "details", "ru": "подробности"},
    "c_fill": {"en": "Fill rates by entity and field", "ru": "Заполненность полей по сущностям"},
    "c_fill_note": {"en": "Share of records with a non-blank value; bold fields are the contract's completeness metrics.",
                    "ru": "Доля записей с непустым значением; жирным — поля из обязательных метрик полноты."},
    "c_fill_empty": {"en": "never filled", "ru": "не заполнены ни разу"},
    "c_dups": {"en": "Duplicate clusters", "ru": "Кластеры дублей"},
    "c_dups_sizes": {"en": "clusters by size (records per real person / company)",
                     "ru": "кластеры по размеру (записей на одного реального человека / компанию)"},
    "c_dups_summary": {"en": "{clusters} clusters hold {records} records: {redundant} redundant",
                       "ru": "{clusters} кластеров содержат {records} записей, из них лишних: {redundant}"},
    "c_dups_metrics": {"en": "Redundant records (duplicate clusters not prepared in this run)",
                       "ru": "Лишние записи (кластеры дублей в этом запуске не построены)"},
    "c_dups_none": {"en": "No duplicate measurements in this run.", "ru": "В этом запуске дубли не измерялись."},
    "cluster_size": {"en": "records in a cluster", "ru": "записей в кластере"},
    "c_funnel": {"en": "Deals by stage", "ru": "Сделки по стадиям"},
    "c_funnel_summary": {"en": "{total} deals: {won} won, {lost} lost, {open} open (win rate {rate} of closed)",
                         "ru": "Сделок: {total}; выиграно {won}, проиграно {lost}, открыто {open} (доля выигранных среди закрытых {rate})"},
    "won": {"en": "won", "ru": "выиграна"},
    "lost": {"en": "lost", "ru": "проиграна"},
    "open_moving": {"en": "open, moving", "ru": "открыта, движется"},
    "open_stuck": {"en": "open, stuck > 14 days", "ru": "открыта, стоит > 14 дней"},
    "no_stage": {"en": "(no stage)", "ru": "(без стадии)"},
    "c_reasons": {"en": "Loss reasons of lost deals", "ru": "Причины отказа по проигранным сделкам"},
    "blank_reason": {"en": "(blank)", "ru": "(не указана)"},
    "catch_all": {"en": "catch-all", "ru": "«прочее»"},
    "other_reasons": {"en": "{n} other reasons", "ru": "другие причины ({n})"},
    "c_owners": {"en": "Loss-reason profile per manager", "ru": "Профиль причин отказа по менеджерам"},
    "c_owners_note": {"en": "Flagged (⚑): one reason for ≥ 80% of a manager's lost deals while the company uses it far less.",
                      "ru": "Отмечены (⚑): одна причина у ≥ 80 % проигранных сделок менеджера, хотя в целом по компании она встречается гораздо реже."},
    "top_reason": {"en": "most frequent reason", "ru": "самая частая причина"},
    "other_reason": {"en": "other reasons", "ru": "другие причины"},
    "blank_short": {"en": "no reason", "ru": "без причины"},
    "c_calls": {"en": "Inbound calls and callbacks", "ru": "Входящие звонки и перезвоны"},
    "answered": {"en": "answered", "ru": "отвечен"},
    "missed_returned": {"en": "missed, returned within 24 h", "ru": "пропущен, перезвонили за 24 ч"},
    "missed_unreturned": {"en": "missed, not returned", "ru": "пропущен, не перезвонили"},
    "missed": {"en": "missed", "ru": "пропущен"},
    "inbound": {"en": "inbound", "ru": "входящие"},
    "c_calls_summary": {"en": "{calls} calls ({inbound} inbound, {outbound} outbound); {missed} inbound missed, {unreturned} of them not returned within 24 h",
                        "ru": "Звонков: {calls} (входящих {inbound}, исходящих {outbound}); пропущено входящих {missed}, не перезвонили за 24 ч: {unreturned}"},
    "c_calls_none": {"en": "No telephony export: no call chart.", "ru": "Нет выгрузки телефонии: графика звонков нет."},
    "no_data": {"en": "No data for this chart.", "ru": "Нет данных для этого графика."},
    "i_path": {"en": "file", "ru": "файл"},
    "i_system": {"en": "system", "ru": "система"},
    "i_entity": {"en": "entity", "ru": "сущность"},
    "i_encoding": {"en": "encoding", "ru": "кодировка"},
    "i_read": {"en": "read", "ru": "прочитано"},
    "i_loaded": {"en": "loaded", "ru": "загружено"},
    "i_rejected": {"en": "rejected", "ru": "отклонено"},
    "i_problem": {"en": "problem / warnings", "ru": "проблема / предупреждения"},
    "total": {"en": "Total", "ru": "Итого"},
    "rejects": {"en": "Rejected rows", "ru": "Отклонённые строки"},
    "rejects_sample": {"en": "{shown} of {total} rejected rows", "ru": "{shown} из {total} отклонённых строк"},
    "no_rejects": {"en": "No row was rejected.", "ru": "Ни одна строка не отклонена."},
    "r_line": {"en": "line", "ru": "строка"},
    "r_reason": {"en": "reason", "ru": "причина"},
    "r_raw": {"en": "raw text", "ru": "исходный текст"},
    "why": {"en": "Why", "ru": "Почему"},
    "no_recs": {"en": "No recommendation: the checks found nothing to fix.", "ru": "Рекомендаций нет: проверки не нашли, что исправлять."},
    "pii_masked": {"en": "Personal data (client phones, e-mails and names) are masked; run with --show-pii to show them.",
                   "ru": "Персональные данные (телефоны, e-mail и имена клиентов) скрыты; запустите с --show-pii, чтобы их показать."},
    "pii_shown": {"en": "Personal data are shown unmasked (--show-pii): do not share this file.",
                  "ru": "Персональные данные показаны без маскирования (--show-pii): не передавайте этот файл."},
    "generated": {"en": "Generated by crm-audit from the client's own exports; every figure links to its metric and records.",
                  "ru": "Сформировано crm-audit по выгрузкам самой компании; каждая цифра ведёт к метрике и записям."},
    "reason_na": {"en": "not measured", "ru": "не измерено"},
    "min": {"en": "min", "ru": "мин"},
    "st_ok": {"en": "ok", "ru": "норма"},
    "st_warn": {"en": "warning", "ru": "внимание"},
    "st_fail": {"en": "fail", "ru": "плохо"},
    "st_n/a": {"en": "n/a", "ru": "нет данных"},
    "toc": {"en": "Contents", "ru": "Содержание"},
}

LEVELS = {
    1: {"en": ("Island automation", "Tools exist but are not connected: data is re-entered by hand and people stitch the picture together."),
        "ru": ("Островная автоматизация", "Инструменты есть, но не связаны: данные вводят повторно, картину клиента собирают вручную.")},
    2: {"en": ("Integrated", "Systems are connected: one customer card, rule-based routing, triggers and SLA control."),
        "ru": ("Интегрированная", "Системы связаны: единая карточка клиента, распределение по правилам, триггеры, контроль SLA.")},
    3: {"en": ("Intelligent", "The system learns from data: predictions, recommendations, bots, anomaly detection."),
        "ru": ("Интеллектуальная", "Система учится на данных: прогнозы, рекомендации, боты, поиск аномалий.")},
}

DOMAIN_NAMES = {"sales": {"en": "Sales", "ru": "Продажи"}, "integration": {"en": "Integration", "ru": "Интеграция"},
                "service": {"en": "Service", "ru": "Сервис"}}

QUESTION_TEXTS = {
    "Q1": {"en": "How many systems must a manager open to see a client fully?",
           "ru": "Сколько систем нужно открыть менеджеру, чтобы увидеть клиента целиком?"},
    "Q2": {"en": "How are incoming requests distributed?", "ru": "Как распределяются входящие заявки?"},
    "Q3": {"en": "Does the system act by itself (creates tasks, sends reminders, escalates overdue deals)?",
           "ru": "Действует ли система сама (создаёт задачи, напоминает, эскалирует просроченные сделки)?"},
    "Q4": {"en": "Does the system recommend from data?", "ru": "Рекомендует ли система что-то на основе данных?"},
    "Q5": {"en": "Do bots handle part of the requests without people?", "ru": "Обрабатывают ли боты часть обращений без людей?"},
}

DIMENSION_NAMES = {
    "duplicates": {"en": ("Duplicates", "the same person or company entered several times"),
                   "ru": ("Дубли", "один человек или компания заведены несколько раз")},
    "completeness": {"en": ("Completeness", "key fields filled"), "ru": ("Полнота", "ключевые поля заполнены")},
    "validity": {"en": ("Validity", "phones, e-mails and INNs that are real"),
                 "ru": ("Корректность", "телефоны, e-mail и ИНН настоящие")},
    "refusal": {"en": ("Loss reasons", "why deals are lost, honestly recorded"),
                "ru": ("Причины отказа", "почему сделки проиграны, записано честно")},
    "cross": {"en": ("Cross-system", "CRM, 1C and telephony records find each other"),
              "ru": ("Сверка систем", "записи CRM, 1С и телефонии находят друг друга")},
    "process": {"en": ("Process", "deals move, calls are returned, leads answered"),
                "ru": ("Процессы", "сделки движутся, звонки возвращаются, заявки обрабатываются")},
    "automation": {"en": ("Automation", "routing rules, robots, scores, bots"),
                   "ru": ("Автоматизация", "правила распределения, роботы, скоринг, боты")},
    "sanity": {"en": ("Sanity", "dates and amounts that make sense"), "ru": ("Правдоподобие", "осмысленные даты и суммы")},
    "volume": {"en": ("Volume", "enough history to learn from"), "ru": ("Объём", "достаточно истории для обучения")},
}

ENTITY_NAMES = {
    "contacts": {"en": "contacts", "ru": "контакты"}, "companies": {"en": "companies", "ru": "компании"},
    "leads": {"en": "leads", "ru": "лиды"}, "deals": {"en": "deals", "ru": "сделки"},
    "tasks": {"en": "tasks", "ru": "задачи"}, "counterparties": {"en": "1C counterparties", "ru": "контрагенты 1С"},
    "documents": {"en": "1C documents", "ru": "документы 1С"}, "payments": {"en": "1C payments", "ru": "платежи 1С"},
    "calls": {"en": "calls", "ru": "звонки"}, "users": {"en": "users", "ru": "пользователи"},
    "products": {"en": "products", "ru": "товары"}, "records": {"en": "records", "ru": "записи"},
    "unknown": {"en": "unknown", "ru": "не распознано"},
}

SYSTEM_NAMES = {"bitrix24": "Bitrix24", "amocrm": "amoCRM", "1c": "1С", "asterisk": "Asterisk", "salesforce": "Salesforce",
                "hubspot": "HubSpot", "pipedrive": "Pipedrive", "sipuni": "Sipuni", "mango": "Mango Office",
                "generic": "generic", "unknown": "?"}

METRIC_LABELS: dict[str, tuple[str, str]] = {   # id: (en, ru)
    "duplicates.contacts.redundant_share": ("Redundant contact records (duplicates)", "Лишние записи контактов (дубли)"),
    "duplicates.companies.redundant_share": ("Redundant company records (duplicates)", "Лишние записи компаний (дубли)"),
    "duplicates.counterparties.redundant_share": ("Redundant 1C counterparties (duplicates)", "Лишние контрагенты 1С (дубли)"),
    "completeness.contacts.phone": ("Contacts with a phone", "Контакты с телефоном"),
    "completeness.contacts.email": ("Contacts with an e-mail", "Контакты с e-mail"),
    "completeness.companies.inn": ("CRM companies with an INN", "Компании CRM с ИНН"),
    "completeness.deals.amount": ("Deals with an amount", "Сделки с суммой"),
    "completeness.deals.source": ("Deals with a source", "Сделки с источником"),
    "completeness.counterparties.inn": ("1C counterparties with an INN", "Контрагенты 1С с ИНН"),
    "validity.contacts.phone_invalid_share": ("Invalid contact phones", "Некорректные телефоны контактов"),
    "validity.contacts.email_invalid_share": ("Invalid contact e-mails", "Некорректные e-mail контактов"),
    "validity.companies.inn_invalid_share": ("Invalid INNs of CRM companies", "Некорректные ИНН компаний CRM"),
    "validity.counterparties.inn_invalid_share": ("Invalid INNs of 1C counterparties", "Некорректные ИНН контрагентов 1С"),
    "refusal.deals.lost_without_reason_share": ("Lost deals without a loss reason", "Проигранные сделки без причины отказа"),
    "refusal.deals.catch_all_reason_share": ("Loss reason is a catch-all (“Other”)", "Причина отказа — «Другое»"),
    "refusal.deals.reason_by_owner": ("Managers giving one reason for everything", "Менеджеры с одной причиной на всё"),
    "cross.counterparties.unmatched_share": ("1C counterparties missing from the CRM", "Контрагенты 1С, которых нет в CRM"),
    "cross.companies.unmatched_share": ("CRM companies missing from 1C", "Компании CRM, которых нет в 1С"),
    "cross.matched.conflict_share": ("CRM ↔ 1C pairs with conflicting details", "Пары CRM ↔ 1С с расходящимися реквизитами"),
    "cross.possible_matches.name_only_count": ("CRM ↔ 1C pairs with only the name in common (to check)",
                                               "Пары CRM ↔ 1С, совпавшие только по названию (проверить)"),
    "cross.deals.won_without_document_share": ("Won deals without a 1C invoice or sale", "Выигранные сделки без счёта или реализации в 1С"),
    "cross.payments.without_deal_share": ("1C payments without a CRM deal", "Оплаты в 1С без сделки в CRM"),
    "cross.calls.inbound_unlinked_share": ("Inbound calls from numbers unknown to the CRM", "Входящие звонки с номеров, которых нет в CRM"),
    "process.deals.stuck_share": ("Open deals without movement for 14+ days", "Открытые сделки без движения 14+ дней"),
    "process.deals.stuck_by_stage": ("Stage with the most stuck deals", "Стадия с наибольшей долей зависших сделок"),
    "process.tasks.overdue_share": ("Overdue open tasks", "Просроченные открытые задачи"),
    "process.calls.missed_without_callback_share": ("Missed calls not returned within 24 h", "Пропущенные звонки без перезвона за 24 ч"),
    "process.calls.missed_unreturned_numbers": ("Numbers never called back", "Номера, которым так и не перезвонили"),
    "process.leads.first_response_median_minutes": ("Median time to the first response to a lead", "Медиана времени до первого ответа на заявку"),
    "automation.leads.routing_determinism": ("Routing determinism (owner follows source and city)",
                                             "Детерминированность распределения (ответственный по источнику и городу)"),
    "automation.records.system_created_share": ("Leads and deals created by the system", "Лиды и сделки, созданные системой"),
    "automation.records.bot_created_share": ("Leads and deals opened by bots", "Лиды и сделки, созданные ботами"),
    "automation.deals.score_auc": ("Predictive power of the deal score (ROC AUC)", "Прогнозная сила оценки сделок (ROC AUC)"),
    "volume.deals.closed_count": ("Closed deals", "Закрытые сделки"),
    "volume.deals.closed_last_12_months": ("Deals closed in the last 12 months", "Сделки, закрытые за последние 12 месяцев"),
    "sanity.records.future_dates": ("Records dated in the future", "Записи с датой в будущем"),
    "sanity.deals.closed_before_created": ("Deals closed before they were created", "Сделки, закрытые раньше создания"),
    "sanity.deals.closed_after_reference": ("Closed deals dated after the reference date (a planned date kept)",
                                            "Закрытые сделки с датой закрытия позже даты отсчёта (осталась плановая дата)"),
    "sanity.deals.won_zero_amount": ("Won deals with no amount", "Выигранные сделки без суммы"),
    "sanity.deals.negative_amount": ("Deals with a negative amount", "Сделки с отрицательной суммой"),
}

_CONTRACT_FILL = {("contacts", "phone"), ("contacts", "email"), ("companies", "inn"), ("deals", "amount"),
                  ("deals", "source"), ("counterparties", "inn")}


def _pick(table: dict, key: str, lang: str):
    entry = table[key]
    return entry.get(lang, entry["en"])


def tr(key: str, lang: str, **kw) -> str:
    text = _pick(UI, key, lang)
    return text.format(**kw) if kw else text


# --------------------------------------------------------------------------- numbers

@dataclass(frozen=True)
class Fmt:
    """Numbers for the page's language: `1 234` / `1,234`, `40,4 %` / `40.4%`."""

    lang: str

    def int(self, n) -> str:
        if n is None:
            return "—"
        s = f"{int(round(n)):,}"
        return s.replace(",", "\u00a0") if self.lang == "ru" else s

    def num(self, x, digits: int = 2) -> str:
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return "—"
        s = f"{x:,.{digits}f}"
        if self.lang == "ru":
            s = s.replace(",", "\u00a0").replace(".", ",")
        return s

    def pct(self, x, digits: int = 1) -> str:
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return "—"
        s = self.num(x * 100, digits)
        return s + "\u00a0%" if self.lang == "ru" else s + "%"

    def value(self, m: Metric | None) -> str:
        if m is None or m.value is None:
            return "—"
        if m.unit == "share":
            return self.pct(m.value)
        if m.unit == "count":
            return self.int(m.value)
        if m.unit == "minutes":
            return f"{self.num(m.value, 0)}\u00a0{tr('min', self.lang)}"
        if m.unit in ("ratio", "auc"):
            return self.num(m.value, 2)
        return self.num(m.value, 2 if abs(m.value) < 100 else 0)


# --------------------------------------------------------------------------- masking

# --------------------------------------------------------------------------- database helpers

def _tables(con) -> set[str]:
    if con is None:
        return set()
    try:
        rows = con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables").fetchall()
    except Exception:  # noqa: BLE001 - the page renders without the database
        return set()
    return {r[0] for r in rows}


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    try:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=False)) for r in cur.fetchall()]
    except Exception:  # noqa: BLE001 - a missing column or table leaves the part out, not the page
        return []


def _count(con, sql: str) -> int:
    rows = _rows(con, sql)
    return int(next(iter(rows[0].values())) or 0) if rows else 0


# --------------------------------------------------------------------------- context

class Page:
    """Builds the template context from the result and the audit database."""

    def __init__(self, result: AuditResult, con, show_pii: bool):
        self.r = result
        self.con = con
        self.pii = show_pii
        self.lang = result.lang if result.lang in ("ru", "en") else "en"
        self.f = Fmt(self.lang)
        self.tables = _tables(con)
        self.fill_ids = {mid for mid in result.metrics if self._is_fill_profile(mid)}

    # ---- small helpers
    def t(self, key: str, **kw) -> str:
        return tr(key, self.lang, **kw)

    def _is_fill_profile(self, mid: str) -> bool:
        parts = mid.split(".")
        return len(parts) == 3 and parts[0] == "completeness" and (parts[1], parts[2]) not in _CONTRACT_FILL \
            and mid not in METRIC_LABELS

    def label(self, mid: str) -> str:
        if mid in METRIC_LABELS:
            return METRIC_LABELS[mid][1 if self.lang == "ru" else 0]
        m = self.r.metrics.get(mid)
        if self._is_fill_profile(mid):
            _, entity, field = mid.split(".")
            return ("Заполненность: " if self.lang == "ru" else "Fill rate: ") + f"{entity}.{field}"
        return (m.description if m is not None and m.description else mid)

    def records(self, m: Metric | None) -> int | None:
        if m is None:
            return None
        if m.evidence is not None:
            return m.evidence.total
        if m.numerator is not None and m.unit in ("share", "count"):
            return int(m.numerator)
        return None

    def status_label(self, status: str) -> str:
        return self.t(f"st_{status}") if f"st_{status}" in UI else status

    def metric_row(self, mid: str) -> dict:
        m = self.r.metrics.get(mid)
        rec = self.records(m)
        return {
            "id": mid, "known": m is not None, "label": self.label(mid),
            "value": self.f.value(m), "status": m.status if m else "n/a",
            "status_label": self.status_label(m.status if m else "n/a"),
            "records": rec, "records_text": self.f.int(rec) if rec is not None else "",
            "reason": (m.reason if m is not None and m.value is None else None) or (None if m else self.t("reason_na")),
            "num": self.f.int(m.numerator) if m is not None and m.numerator is not None else "—",
            "den": self.f.int(m.denominator) if m is not None and m.denominator is not None else "—",
            "description": m.description if m else "",
        }

    def level_info(self, level: int | None) -> dict:
        if level not in LEVELS:
            return {"n": None, "name": self.t("not_judged"), "desc": ""}
        name, desc = _pick(LEVELS, level, self.lang)
        return {"n": level, "name": name, "desc": desc}

    # ---- sections
    def header(self) -> dict:
        inputs = self.r.inputs
        systems = sorted({SYSTEM_NAMES.get(i.system, i.system) for i in inputs if i.system != "unknown"})
        loaded: dict[str, int] = {}
        for i in inputs:
            if i.entity != "unknown":
                loaded[i.entity] = loaded.get(i.entity, 0) + i.rows_loaded
        entities = [f"{_pick(ENTITY_NAMES, e, self.lang) if e in ENTITY_NAMES else e} {self.f.int(n)}"
                    for e, n in sorted(loaded.items(), key=lambda kv: -kv[1])]
        mat = self.r.maturity
        nxt = mat.level + 1 if mat.level < 3 else None
        return {
            "organisation": self._organisation(),
            "as_of": self.r.as_of.strftime("%d.%m.%Y") if self.lang == "ru" else self.r.as_of.isoformat(),
            "as_of_iso": self.r.as_of.isoformat(),
            "as_of_note": self._as_of_note(),
            "as_of_warning": self._as_of_warning(),
            "inputs_line": self.t("inputs_line", files=self.f.int(len({i.path for i in inputs})),
                                  systems=", ".join(systems) or "—",
                                  rows=self.f.int(sum(i.rows_loaded for i in inputs)),
                                  rejected=self.f.int(sum(i.rows_rejected for i in inputs))),
            "entities": entities,
            "period": self._period(),
            "level": self.level_info(mat.level),
            "confidence": self.f.pct(mat.confidence, 0),
            "missing": list(mat.missing_inputs),
            "next": nxt,
            "blockers": [self.blocker(b) for b in mat.blockers],
        }

    def _as_of_warning(self) -> str | None:
        ref = self.r.reference or {}
        if not ref.get("warning") or not ref.get("latest_event"):
            return None
        latest = dt.date.fromisoformat(ref["latest_event"])
        shown = latest.strftime("%d.%m.%Y") if self.lang == "ru" else latest.isoformat()
        return self.t("as_of_stale", days=(self.r.as_of - latest).days, latest=shown)

    def _as_of_note(self) -> str | None:
        source = (self.r.reference or {}).get("source")
        if not source:
            return None
        if source == "--as-of":
            return self.t("as_of_given")
        if source == "today":
            return self.t("as_of_today")
        return self.t("as_of_by_event", source=source)

    def _organisation(self) -> str | None:
        if not self.con:
            return None
        parts = [f"SELECT organization AS o FROM stg.{t} WHERE organization IS NOT NULL"
                 for t in ("payments", "documents") if f"stg.{t}" in self.tables]
        if not parts:
            return None
        rows = _rows(self.con, f"SELECT o, count(*) AS n FROM ({' UNION ALL '.join(parts)}) GROUP BY o ORDER BY n DESC, o LIMIT 1")
        return rows[0]["o"] if rows else None

    def _period(self) -> str | None:
        parts = [f"SELECT min(created_at) AS lo, max(created_at) AS hi FROM stg.{t}"
                 for t in ("deals", "leads") if f"stg.{t}" in self.tables]
        if not parts:
            return None
        rows = _rows(self.con, f"SELECT min(lo) AS lo, max(hi) AS hi FROM ({' UNION ALL '.join(parts)})")
        if not rows or rows[0]["lo"] is None:
            return None
        fmt = "%m.%Y" if self.lang == "ru" else "%Y-%m"
        return f"{rows[0]['lo'].strftime(fmt)} — {rows[0]['hi'].strftime(fmt)}"

    def blocker(self, b) -> dict:
        return {"title": b.title, "records": self.f.int(b.records) if b.records is not None else None,
                "metrics": [self.metric_row(mid) for mid in b.metrics]}

    def domains(self) -> list[dict]:
        doms = self.r.maturity.domains
        names = [d for d in DOMAINS if d in doms] + [d for d in doms if d not in DOMAINS]
        out = []
        for key in names:
            d = doms[key]
            out.append({
                "key": key, "name": _pick(DOMAIN_NAMES, key, self.lang) if key in DOMAIN_NAMES else key.title(),
                "level": self.level_info(d.level), "why": d.why, "confidence": self.f.pct(d.confidence, 0),
                "questions": list(d.questions),
                "next": (d.level + 1) if d.level in (1, 2) else None,
                "blockers": [self.blocker(b) for b in d.blockers],
            })
        return out

    def questions(self) -> list[dict]:
        qs = self.r.maturity.questions
        out = []
        for q in list(QUESTIONS) + [k for k in qs if k not in QUESTIONS]:
            a = qs.get(q)
            if a is None:
                continue
            claim = None
            if a.claim is not None or a.claim_text:
                claim = {"says": self.t("claim_says", text=a.claim_text or "—"), "level": self.level_info(a.claim),
                         "contradiction": a.contradiction,
                         "agrees": a.contradiction is None and a.level_signal is not None,
                         "untestable": a.level_signal is None}
            out.append({"id": q, "text": _pick(QUESTION_TEXTS, q, self.lang) if q in QUESTION_TEXTS else q,
                        "signal": a.level_signal, "answer": a.answer,
                        "metrics": [self.metric_row(mid) for mid in a.evidence], "claim": claim})
        return out

    def dimensions(self) -> list[dict]:
        groups: dict[str, list[Metric]] = {}
        for mid, m in self.r.metrics.items():
            if mid in self.fill_ids:
                continue
            groups.setdefault(m.dimension, []).append(m)
        names = list(DIMENSIONS) + sorted(d for d in groups if d not in DIMENSIONS)
        out = []
        for dim in names:
            ms = sorted(groups.get(dim, []), key=lambda m: (SEVERITY.get(m.status, 9), m.id))
            counts = {s: sum(1 for m in ms if m.status == s) for s in ("ok", "warn", "fail", "n/a")}
            name, desc = _pick(DIMENSION_NAMES, dim, self.lang) if dim in DIMENSION_NAMES else (dim.title(), "")
            out.append({"key": dim, "name": name, "desc": desc, "counts": counts, "total": len(ms),
                        "bar": charts.status_bar(counts, title=f"{name}: " + ", ".join(
                            f"{self.status_label(k)} {v}" for k, v in counts.items() if v)),
                        "worst": min((m.status for m in ms), key=lambda s: SEVERITY.get(s, 9), default="n/a"),
                        "metrics": [self.metric_row(m.id) for m in ms]})
        return out

    def findings(self) -> list[dict]:
        bad = [m for mid, m in self.r.metrics.items() if m.status in ("fail", "warn") and mid not in self.fill_ids]
        bad.sort(key=lambda m: (SEVERITY[m.status], -(self.records(m) or 0), m.id))
        out = []
        for m in bad:
            row = self.metric_row(m.id)
            ev = m.evidence
            examples = self.examples(ev.entity, list(ev.ids[:EXAMPLES])) if ev and ev.ids else []
            more = list(ev.ids[EXAMPLES:EXAMPLES + MORE_IDS]) if ev else []
            row.update(entity=ev.entity if ev else None,
                       entity_name=(_pick(ENTITY_NAMES, ev.entity, self.lang) if ev and ev.entity in ENTITY_NAMES
                                    else (ev.entity if ev else "")),
                       evidence_total=self.f.int(ev.total) if ev else "—",
                       examples=examples,
                       columns=[c for c in ("name", "phone", "email", "owner", "detail") if any(e.get(c) for e in examples)],
                       more_ids=[self._short(self._id(i)) for i in more],
                       more_count=max(0, ev.total - EXAMPLES - len(more)) if ev else 0,
                       description=row["description"] if self.lang == "en" else "")
            out.append(row)
        return out

    # ---- example records
    def _id(self, rid: str) -> str:
        """Evidence ids are record ids or file:line; where a check lists phone numbers, they are masked."""
        if not self.pii and re.fullmatch(r"\+?\d[\d\s()\-]{8,}", rid or ""):
            return mask_phone(rid) or rid
        return rid

    @staticmethod
    def _short(rid: str) -> str:
        """`sample/1c/Контрагенты.xlsx:3` → `Контрагенты.xlsx:3` (the full id stays in the tooltip)."""
        return " ↔ ".join(re.sub(r"^.*[/\\](?=[^/\\]+:\d+$)", "", part) for part in rid.split(" ↔ "))

    def _lookup(self, entity: str, refs: list[str]) -> dict[str, dict]:
        if not refs or f"stg.{entity}" not in self.tables:
            return {}
        rows = _rows(self.con, f"SELECT * FROM stg.{entity} WHERE ref IN (SELECT unnest(?::VARCHAR[])) "
                               "QUALIFY row_number() OVER (PARTITION BY ref ORDER BY _record) = 1", [refs])
        return {r["ref"]: r for r in rows}

    def examples(self, entity: str, ids: list[str]) -> list[dict]:
        pairs = [i.split(" ↔ ", 1) if " ↔ " in i else [i] for i in ids]
        left = self._lookup(entity, [p[0] for p in pairs])
        right = self._lookup("counterparties", [p[1] for p in pairs if len(p) == 2])
        out = []
        for rid, p in zip(ids, pairs, strict=False):
            a = self._record(entity, left.get(p[0]))
            if len(p) == 2:
                b = self._record("counterparties", right.get(p[1]))
                a = {k: " ↔ ".join(x for x in (a.get(k), b.get(k)) if x) for k in ("name", "phone", "email", "owner", "detail")}
            full = self._id(rid)
            out.append({"id": self._short(full), "full_id": full, **a})
        return out

    def _phones(self, row: dict, raw_key: str = "phone") -> str:
        raw = row.get(raw_key)
        if self.pii:
            return raw or ""
        nums = list(row.get("phones") or []) + list(row.get("phones_invalid") or [])
        if not nums and raw:
            nums = [raw]
        return ", ".join(mask_phone(n) or "" for n in nums)

    def _emails(self, row: dict) -> str:
        raw = row.get("email")
        if self.pii:
            return raw or ""
        emails = list(row.get("emails") or []) or ([raw] if raw else [])
        return ", ".join(mask_email(e) or "" for e in emails)

    def _person(self, name: str | None) -> str:
        if not name:
            return ""
        return name if self.pii else (mask_name(name) or "")

    def _org(self, name: str | None) -> str:
        if not name:
            return ""
        return name if self.pii else (mask_org(name) or "")

    def _free(self, text) -> str:
        if text is None:
            return ""
        text = str(text)
        return text if self.pii else (mask_text(text) or "")

    def _date(self, v) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        try:
            return v.strftime("%d.%m.%Y %H:%M" if self.lang == "ru" else "%Y-%m-%d %H:%M").replace(" 00:00", "")
        except (AttributeError, ValueError):
            return str(v)

    def _money(self, v) -> str:
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else self.f.num(v, 0 if float(v).is_integer() else 2)

    def _record(self, entity: str, row: dict | None) -> dict:
        if row is None:
            return {}
        g = row.get
        person = " ".join(x for x in (g("last_name"), g("first_name"), g("middle_name")) if x) or g("full_name")
        join = lambda *xs: " · ".join(str(x) for x in xs if x not in (None, ""))  # noqa: E731
        if entity == "contacts":
            return {"name": self._person(person), "phone": self._phones(row), "email": self._emails(row),
                    "owner": g("owner") or "", "detail": join(self._org(g("company_name")), self._free(g("position")))}
        if entity == "leads":
            return {"name": join(self._free(g("title")), self._person(person)), "phone": self._phones(row),
                    "email": self._emails(row), "owner": g("owner") or "",
                    "detail": join(g("status"), g("source"), g("city"), self._date(g("created_at")))}
        if entity == "deals":
            return {"name": self._free(g("title")), "phone": self._phones(row), "email": self._emails(row),
                    "owner": g("owner") or "",
                    "detail": join(self._org(g("company_name")), g("stage"), self._money(g("amount")),
                                   self._free(g("loss_reason")), self._date(g("closed_at") or g("modified_at")))}
        if entity in ("companies", "counterparties"):
            return {"name": self._org(g("name")), "phone": self._phones(row), "email": self._emails(row),
                    "owner": g("owner") or "", "detail": join(("ИНН " if self.lang == "ru" else "INN ") + g("inn_raw")
                                                              if g("inn_raw") else None, g("company_type") or g("kind"))}
        if entity == "payments":
            return {"name": self._org(g("counterparty_name")), "phone": "", "email": "", "owner": g("owner") or "",
                    "detail": join(g("number"), self._date(g("pay_date")), self._money(g("amount")))}
        if entity == "documents":
            return {"name": self._org(g("counterparty_name")), "phone": "", "email": "", "owner": g("owner") or "",
                    "detail": join(g("doc_type"), g("number"), self._date(g("doc_date")), self._money(g("amount")))}
        if entity == "calls":
            nums = [g("from_number"), g("to_number")]
            shown = [n if (self.pii or not n or len(re.sub(r"\D", "", n)) < 7) else mask_phone(n) for n in nums]
            return {"name": "", "phone": " → ".join(x for x in shown if x), "email": "", "owner": g("employee") or "",
                    "detail": join(self._date(g("started_at")), g("call_direction") or g("direction"), g("status"))}
        return {"name": self._free(g("title") or g("name")), "phone": "", "email": "", "owner": g("owner") or "", "detail": ""}

    # ---- charts
    def charts(self) -> dict:
        return {"fill": self.chart_fill(), "dups": self.chart_dups(), "funnel": self.chart_funnel(),
                "reasons": self.chart_reasons(), "owners": self.chart_owners(), "calls": self.chart_calls()}

    def chart_fill(self) -> list[dict]:
        if "dq.fill_rates" not in self.tables:
            return []
        rows = _rows(self.con, "SELECT entity, field, filled, total FROM dq.fill_rates WHERE total > 0")
        order = list(ENTITY_NAMES)
        by: dict[str, list[dict]] = {}
        for r in rows:
            by.setdefault(r["entity"], []).append(r)
        panels = []
        for entity in sorted(by, key=lambda e: order.index(e) if e in order else 99):
            rs = sorted(by[entity], key=lambda r: (-(r["filled"] / r["total"]), r["field"]))
            empty = [r["field"] for r in rs if not r["filled"]]
            rs = [r for r in rs if r["filled"]]
            bars = []
            for r in rs:
                share = r["filled"] / r["total"]
                colour = charts.OK if share >= 0.9 else charts.WARN if share >= 0.5 else charts.FAIL
                bars.append(Bar(r["field"], share, self.f.pct(share, 0), colour,
                                tip=f"{entity}.{r['field']}: {self.f.int(r['filled'])} / {self.f.int(r['total'])} ({self.f.pct(share)})",
                                emphasis=(entity, r["field"]) in _CONTRACT_FILL))
            name = _pick(ENTITY_NAMES, entity, self.lang) if entity in ENTITY_NAMES else entity
            total = by[entity][0]["total"]
            panels.append({"title": f"{name} ({self.f.int(total)})", "empty": sorted(empty),
                           "svg": charts.hbars(bars, title=f"{self.t('c_fill')}: {name}", width=340, label_w=124,
                                               text_w=40, max_value=1.0) if bars else None})
        return panels

    def chart_dups(self) -> dict:
        panels = []
        for entity, table in CLUSTER_TABLES:
            if f"dq.{table}" not in self.tables:
                continue
            sizes = _rows(self.con, f"""
                SELECT least(n, 6) AS size, count(*) AS clusters, sum(n) AS records FROM (
                    SELECT cluster_id, count(*) AS n FROM dq.{table} GROUP BY cluster_id) WHERE n > 1
                GROUP BY 1 ORDER BY 1""")
            if not sizes:
                continue
            clusters = sum(r["clusters"] for r in sizes)
            records = sum(r["records"] for r in sizes)
            items = [(("6+" if r["size"] >= 6 else str(r["size"])), r["clusters"], self.f.int(r["clusters"])) for r in sizes]
            name = _pick(ENTITY_NAMES, entity, self.lang)
            panels.append({"title": name,
                           "summary": self.t("c_dups_summary", clusters=self.f.int(clusters), records=self.f.int(records),
                                             redundant=self.f.int(records - clusters)),
                           "svg": charts.columns(items, title=f"{self.t('c_dups')}: {name}", x_title=self.t("cluster_size"),
                                                 width=300, height=160)})
        if panels:
            return {"kind": "clusters", "panels": panels}
        bars = []
        for mid in ("duplicates.contacts.redundant_share", "duplicates.companies.redundant_share",
                    "duplicates.counterparties.redundant_share"):
            m = self.r.metrics.get(mid)
            if m is None or m.value is None:
                continue
            colour = {"fail": charts.FAIL, "warn": charts.WARN}.get(m.status, charts.OK)
            bars.append(Bar(_pick(ENTITY_NAMES, mid.split(".")[1], self.lang), m.value,
                            f"{self.f.pct(m.value)} ({self.f.int(m.numerator)} / {self.f.int(m.denominator)})", colour))
        if bars:
            return {"kind": "metrics", "svg": charts.hbars(bars, title=self.t("c_dups_metrics"), width=560, label_w=150,
                                                           text_w=150)}
        return {"kind": "none"}

    def chart_funnel(self) -> dict | None:
        if "stg.deals" not in self.tables:
            return None
        rows = _rows(self.con, """SELECT stage, coalesce(state, 'open') AS state, count(*) AS n, min(created_at) AS first
                                  FROM stg.deals GROUP BY ALL""")
        if not rows:
            return None
        stuck = {}
        m = self.r.metrics.get("process.deals.stuck_by_stage")
        if m is not None:
            for b in (m.details or {}).get("breakdown", []):
                stuck[b.get("stage")] = int(b.get("stuck") or 0)
        rank = {"open": 0, "won": 1, "lost": 2}
        rows.sort(key=lambda r: (rank.get(r["state"], 3), -r["n"], str(r["stage"])))
        stacks = []
        for r in rows:
            n, state = r["n"], r["state"]
            s = min(stuck.get(r["stage"], 0), n) if state == "open" else 0
            parts = (n if state == "won" else 0, n if state == "lost" else 0,
                     n - s if state not in ("won", "lost") else 0, s)
            stacks.append(Stack(r["stage"] or self.t("no_stage"), parts, self.f.int(n)))
        series = [(self.t("won"), charts.WON), (self.t("lost"), charts.LOST), (self.t("open_moving"), charts.OPEN),
                  (self.t("open_stuck"), charts.WARN)]
        tot = {k: sum(r["n"] for r in rows if r["state"] == k) for k in ("won", "lost")}
        total = sum(r["n"] for r in rows)
        closed = tot["won"] + tot["lost"]
        return {"svg": charts.stacks(stacks, series, title=self.t("c_funnel"), width=HALF, label_w=170, text_w=40,
                                     fmt=self.f.int),
                "summary": self.t("c_funnel_summary", total=self.f.int(total), won=self.f.int(tot["won"]),
                                  lost=self.f.int(tot["lost"]), open=self.f.int(total - closed),
                                  rate=self.f.pct(tot["won"] / closed) if closed else "—")}

    def chart_reasons(self) -> dict | None:
        if "stg.deals" not in self.tables:
            return None
        rows = _rows(self.con, """
            SELECT CASE WHEN is_blank(loss_reason) THEN NULL ELSE lower(trim(loss_reason)) END AS key,
                   mode(trim(loss_reason)) AS label, bool_or(coalesce(is_catch_all(loss_reason), false)) AS catch_all,
                   count(*) AS n
            FROM stg.deals WHERE state = 'lost' GROUP BY 1 ORDER BY n DESC, key NULLS FIRST""")
        if not rows:
            return None
        total = sum(r["n"] for r in rows)
        blank = [r for r in rows if r["key"] is None]
        named = [r for r in rows if r["key"] is not None]
        top, rest = named[:8], named[8:]
        bars = []
        for r in blank:
            bars.append(Bar(self.t("blank_reason"), r["n"], f"{self.f.int(r['n'])} · {self.f.pct(r['n'] / total)}",
                            charts.FAIL, emphasis=True))
        for r in top:
            label = self._free(r["label"]) + (f" ({self.t('catch_all')})" if r["catch_all"] else "")
            bars.append(Bar(label, r["n"], f"{self.f.int(r['n'])} · {self.f.pct(r['n'] / total)}",
                            charts.WARN if r["catch_all"] else charts.BLUE))
        if rest:
            n = sum(r["n"] for r in rest)
            bars.append(Bar(self.t("other_reasons", n=len(rest)), n, f"{self.f.int(n)} · {self.f.pct(n / total)}", charts.GREY))
        return {"svg": charts.hbars(bars, title=self.t("c_reasons"), width=HALF, label_w=190, text_w=92),
                "total": self.f.int(total)}

    def chart_owners(self) -> dict | None:
        m = self.r.metrics.get("refusal.deals.reason_by_owner")
        rows = (m.details or {}).get("breakdown", []) if m is not None else []
        if not rows:
            return None
        stacks = []
        for b in rows:
            lost, blank = int(b.get("lost") or 0), int(b.get("blank_reason") or 0)
            named = max(0, lost - blank)
            top = round((b.get("top_share") or 0) * named) if b.get("top_reason") else 0
            flag = bool(b.get("flagged"))
            reason = self._free(b.get("top_reason") or "—")
            stacks.append(Stack(("⚑ " if flag else "") + str(b.get("owner") or "∅"), (blank, top, named - top),
                                f"{self.f.pct(b.get('top_share'), 0)} {reason}" if b.get("top_reason") else "",
                                emphasis=flag))
        series = [(self.t("blank_short"), charts.FAIL), (self.t("top_reason"), charts.BLUE),
                  (self.t("other_reason"), charts.GREY)]
        return {"svg": charts.stacks(stacks, series, title=self.t("c_owners"), width=HALF, label_w=140, text_w=150,
                                     fmt=self.f.int)}

    def chart_calls(self) -> dict | None:
        if "dq.calls" not in self.tables:
            return None
        rows = _rows(self.con, "SELECT direction, answered, count(*) AS n FROM dq.calls GROUP BY ALL")
        if not rows:
            return None
        n = lambda d, a=None: sum(r["n"] for r in rows if r["direction"] == d and (a is None or bool(r["answered"]) == a))  # noqa: E731
        answered, missed = n("inbound", True), n("inbound", False)
        m = self.r.metrics.get("process.calls.missed_without_callback_share")
        if m is not None and m.value is not None and m.denominator:
            unreturned = int(m.numerator or 0)
            returned = max(0, int(m.denominator) - unreturned)
            parts = (answered, returned, unreturned)
            series = [(self.t("answered"), charts.OK), (self.t("missed_returned"), charts.WARN),
                      (self.t("missed_unreturned"), charts.FAIL)]
        else:
            unreturned = None
            parts = (answered, missed)
            series = [(self.t("answered"), charts.OK), (self.t("missed"), charts.FAIL)]
        svg = charts.stacks([Stack(self.t("inbound"), parts, self.f.int(sum(parts)))], series, title=self.t("c_calls"),
                            width=HALF, label_w=80, text_w=44, fmt=self.f.int)
        return {"svg": svg, "summary": self.t("c_calls_summary", calls=self.f.int(sum(r["n"] for r in rows)),
                                              inbound=self.f.int(answered + missed), outbound=self.f.int(n("outbound")),
                                              missed=self.f.int(missed),
                                              unreturned=self.f.int(unreturned) if unreturned is not None else "—")}

    # ---- inventory, recommendations
    def inventory(self) -> dict:
        rows = []
        for i in self.r.inputs:
            notes = [i.problem] if i.problem else []
            notes += list(i.warnings or [])
            rows.append({"path": i.path, "system": SYSTEM_NAMES.get(i.system, i.system),
                         "entity": _pick(ENTITY_NAMES, i.entity, self.lang) if i.entity in ENTITY_NAMES else i.entity,
                         "encoding": i.encoding or ("—" if i.kind in (None, "csv", "text") else i.kind),
                         "read": self.f.int(i.rows_read), "loaded": self.f.int(i.rows_loaded),
                         "rejected": self.f.int(i.rows_rejected), "rejected_n": i.rows_rejected,
                         "problem": bool(i.problem), "notes": notes})
        totals = {k: self.f.int(sum(getattr(i, f"rows_{k}") for i in self.r.inputs)) for k in ("read", "loaded", "rejected")}
        rejects, total_rejects = [], 0
        if "meta.rejects" in self.tables:
            total_rejects = _count(self.con, "SELECT count(*) FROM meta.rejects")
            for r in _rows(self.con, f"SELECT file, line, reason, raw FROM meta.rejects ORDER BY file, line LIMIT {REJECT_SAMPLE}"):
                raw = r["raw"] or ""
                cut = raw[:RAW_CHARS] + ("…" if len(raw) > RAW_CHARS else "")
                rejects.append({"file": r["file"], "line": r["line"], "reason": r["reason"] or "", "raw": self._free(cut)})
        return {"rows": rows, "totals": totals, "rejects": rejects, "rejects_total": total_rejects,
                "rejects_line": self.t("rejects_sample", shown=self.f.int(len(rejects)), total=self.f.int(total_rejects))}

    def recommendations(self) -> list[dict]:
        return [{"title": rec.title, "why": rec.why, "records": self.f.int(rec.records) if rec.records else None,
                 "metrics": [self.metric_row(mid) for mid in rec.metrics]} for rec in self.r.recommendations]

    def context(self) -> dict:
        return {
            "lang": self.lang, "T": {k: _pick(UI, k, self.lang) for k in UI}, "t": self.t,
            "header": self.header(), "domains": self.domains(), "questions": self.questions(),
            "dimensions": self.dimensions(), "fill_profiled": len(self.fill_ids), "findings": self.findings(),
            "charts": self.charts(), "inventory": self.inventory(), "recommendations": self.recommendations(),
            "show_pii": self.pii, "anchor_ids": set(self.r.metrics) - self.fill_ids,
            "history": history_sections.context(self.r, self.lang),   # "since the audit of" and the roadmap
        }


# --------------------------------------------------------------------------- entry point

def _wbr(text) -> Markup:
    """Escape, then allow line breaks after the dots and underscores of a long metric id."""
    return Markup(re.sub(r"([._])", r"\1<wbr>", str(escape(text))))


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["wbr"] = _wbr
    return env


def render_html(result: AuditResult, con, show_pii: bool = False) -> str:
    return _env().get_template(TEMPLATE).render(**Page(result, con, show_pii).context())


def write_html(result: AuditResult, con, path: Path, show_pii: bool = False) -> Path:
    """Write scorecard.html (UTF-8, self-contained) and return its path."""
    path = Path(path)
    path.write_text(render_html(result, con, show_pii), encoding="utf-8")
    return path

