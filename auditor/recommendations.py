"""Recommendations ordered by effect, each tied to the metrics and the records behind it.

Effect = severity (fail 1.0, warn 0.4) × the weight of the problem at the company's level ×
log-scaled count of records affected. At level 1 the framework says "order in data and
connected systems, not AI": data and integration problems weigh most; a prediction pilot is
suggested only from level 2.
"""
from __future__ import annotations

import math

from checks.model import Metric

from .result import Maturity, Recommendation

# metric id → (weight at level 1, weight at level 2+, title en/ru, why en/ru with {n} records and {v} value)
TEMPLATES: dict[str, tuple[float, float, dict, dict]] = {
    "duplicates.contacts.redundant_share": (1.0, 0.8, {
        "en": "Merge duplicate contacts and block new ones", "ru": "Объединить дубли контактов и запретить новые"}, {
        "en": "{n} contact records are copies of other contacts ({v:.1%}); managers cannot trust the card they open.",
        "ru": "{n} записей контактов — копии других ({v:.1%}); менеджеры не могут доверять карточке."}),
    "duplicates.companies.redundant_share": (0.9, 0.7, {
        "en": "Merge duplicate companies (same INN or name + phone)", "ru": "Объединить дубли компаний (один ИНН или название + телефон)"}, {
        "en": "{n} company records duplicate others ({v:.1%}); their deals and payments are split.",
        "ru": "{n} записей компаний дублируют другие ({v:.1%}); сделки и оплаты разбиты между ними."}),
    "duplicates.counterparties.redundant_share": (0.8, 0.6, {
        "en": "Clean duplicate counterparties in 1C", "ru": "Почистить дубли контрагентов в 1С"}, {
        "en": "{n} 1C counterparties duplicate others ({v:.1%}).", "ru": "{n} контрагентов 1С дублируют другие ({v:.1%})."}),
    "cross.counterparties.unmatched_share": (1.0, 0.9, {
        "en": "Sync 1C counterparties with CRM companies (INN as the key)", "ru": "Синхронизировать контрагентов 1С с компаниями CRM (ключ — ИНН)"}, {
        "en": "{n} 1C counterparties ({v:.1%}) have no company in the CRM: sales happen outside it.",
        "ru": "{n} контрагентов 1С ({v:.1%}) нет в CRM: продажи идут мимо неё."}),
    "cross.deals.won_without_document_share": (1.0, 0.9, {
        "en": "Create the 1C invoice from the won deal (CRM → 1C integration)", "ru": "Создавать счёт в 1С из выигранной сделки (интеграция CRM → 1С)"}, {
        "en": "{n} won deals ({v:.1%}) have no invoice or sale in 1C within 30 days: the accountant retypes or it is lost.",
        "ru": "{n} выигранных сделок ({v:.1%}) без счёта или реализации в 1С за 30 дней: бухгалтер перепечатывает или теряет."}),
    "cross.payments.without_deal_share": (0.9, 0.8, {
        "en": "Link incoming payments to CRM deals", "ru": "Связать поступления оплат со сделками CRM"}, {
        "en": "{n} payments ({v:.1%}) come from clients with no deal in the CRM.",
        "ru": "{n} оплат ({v:.1%}) поступили от клиентов без сделки в CRM."}),
    "cross.matched.conflict_share": (0.7, 0.6, {
        "en": "Choose one source of truth for client details", "ru": "Выбрать один источник правды для реквизитов клиента"}, {
        "en": "{n} CRM↔1C pairs disagree on name, phone or e-mail ({v:.1%}): data is typed twice.",
        "ru": "{n} пар CRM↔1С расходятся в названии, телефоне или e-mail ({v:.1%}): данные вводят дважды."}),
    "cross.calls.inbound_unlinked_share": (0.9, 0.8, {
        "en": "Connect telephony to the CRM: every caller becomes a contact or lead", "ru": "Подключить телефонию к CRM: каждый звонящий — контакт или лид"}, {
        "en": "{n} inbound calls ({v:.1%}) came from numbers unknown to the CRM.",
        "ru": "{n} входящих звонков ({v:.1%}) — с номеров, которых нет в CRM."}),
    "process.calls.missed_without_callback_share": (0.8, 1.0, {
        "en": "Call back every missed call within an hour (automatic task)", "ru": "Перезванивать каждому пропущенному в течение часа (автоматическая задача)"}, {
        "en": "{n} missed calls ({v:.1%}) were never returned within 24 hours.",
        "ru": "{n} пропущенных звонков ({v:.1%}) не перезвонили в течение суток."}),
    "process.deals.stuck_share": (0.6, 1.0, {
        "en": "Escalate deals idle for 14 days automatically", "ru": "Автоматически эскалировать сделки без движения 14 дней"}, {
        "en": "{n} open deals ({v:.1%}) have not moved for two weeks.", "ru": "{n} открытых сделок ({v:.1%}) не двигались две недели."}),
    "refusal.deals.lost_without_reason_share": (0.7, 1.0, {
        "en": "Make the loss reason mandatory when a deal is lost", "ru": "Сделать причину отказа обязательной при проигрыше сделки"}, {
        "en": "{n} lost deals ({v:.1%}) have no reason: the company cannot learn why it loses.",
        "ru": "{n} проигранных сделок ({v:.1%}) без причины: компания не узнает, почему проигрывает."}),
    "refusal.deals.catch_all_reason_share": (0.5, 0.8, {
        "en": "Replace the catch-all loss reason with specific ones", "ru": "Заменить причину «Другое» конкретными"}, {
        "en": "{n} lost deals ({v:.1%}) say only 'Other'.", "ru": "{n} проигранных сделок ({v:.1%}) с причиной «Другое»."}),
    "completeness.contacts.phone": (0.6, 0.5, {
        "en": "Require a phone on every contact", "ru": "Требовать телефон у каждого контакта"}, {
        "en": "Only {v:.1%} of contacts have a phone.", "ru": "Телефон есть лишь у {v:.1%} контактов."}),
    "completeness.companies.inn": (0.8, 0.6, {
        "en": "Fill INN on CRM companies (the key to 1C)", "ru": "Заполнить ИНН у компаний CRM (ключ к 1С)"}, {
        "en": "Only {v:.1%} of CRM companies have an INN.", "ru": "ИНН есть лишь у {v:.1%} компаний CRM."}),
    "completeness.deals.source": (0.5, 0.7, {
        "en": "Record the source of every deal", "ru": "Фиксировать источник каждой сделки"}, {
        "en": "Only {v:.1%} of deals have a source: marketing and routing cannot use it.",
        "ru": "Источник указан лишь у {v:.1%} сделок: ни маркетинг, ни распределение не могут его использовать."}),
    "validity.companies.inn_invalid_share": (0.6, 0.5, {
        "en": "Fix INNs that fail the checksum", "ru": "Исправить ИНН, не проходящие контрольную сумму"}, {
        "en": "{n} company INNs ({v:.1%}) are typos.", "ru": "{n} ИНН компаний ({v:.1%}) — опечатки."}),
    "validity.contacts.phone_invalid_share": (0.5, 0.4, {
        "en": "Fix invalid phone numbers", "ru": "Исправить некорректные номера телефонов"}, {
        "en": "{n} phone numbers ({v:.1%}) cannot be dialled.", "ru": "{n} номеров ({v:.1%}) невозможно набрать."}),
    "automation.leads.routing_determinism": (0.4, 0.6, {
        "en": "Route incoming leads by rules (source, region, specialisation)", "ru": "Распределять заявки по правилам (источник, регион, специализация)"}, {
        "en": "Owner assignment is only {v:.2f} deterministic: leads go to whoever takes them.",
        "ru": "Детерминированность назначения лишь {v:.2f}: заявки достаются тому, кто взял."}),
    "automation.records.system_created_share": (0.4, 0.5, {
        "en": "Automate record creation: web forms, call tracking, robots", "ru": "Автоматизировать создание записей: веб-формы, коллтрекинг, роботы"}, {
        "en": "Only {v:.1%} of leads and deals are created by the system.", "ru": "Лишь {v:.1%} лидов и сделок создаёт система."}),
}
SEVERITY = {"fail": 1.0, "warn": 0.4}


def recommend(metrics: dict[str, Metric], maturity: Maturity, lang: str = "en", limit: int = 10) -> tuple[Recommendation, ...]:
    out = []
    for mid, (w1, w2, title, why) in TEMPLATES.items():
        m = metrics.get(mid)
        if m is None or m.value is None or m.status not in SEVERITY:
            continue
        weight = w1 if maturity.level == 1 else w2
        records = int(m.evidence.total) if m.evidence is not None else int(m.numerator or 0)
        effect = SEVERITY[m.status] * weight * math.log10(10 + records)
        text = why.get(lang, why["en"]).format(n=records, v=m.value)
        out.append(Recommendation(title.get(lang, title["en"]), text, (mid,), records, effect))
    if maturity.level >= 2 and maturity.domains.get("sales") and maturity.domains["sales"].level == 2:
        title = {"en": "Run one prediction pilot: lead scoring or next-best-action",
                 "ru": "Запустить один пилот прогноза: скоринг лидов или следующее лучшее действие"}
        why = {"en": "Rules work; decisions are still made by eye where data could help.",
               "ru": "Правила работают; решения всё ещё принимаются «на глаз», где могли бы помочь данные."}
        out.append(Recommendation(title[lang], why[lang], ("automation.deals.score_auc",), 0, 0.5))
    out.sort(key=lambda r: -r.effect)
    return tuple(out[:limit])
