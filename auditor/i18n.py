"""Scorecard and inference texts in Russian and English (one table, keyed by message id)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Q1
    "q1.linked": {
        "en": "One window: {systems} records find their CRM counterparts ({detail}).",
        "ru": "Одно окно: записи {systems} находят свою пару в CRM ({detail}).",
    },
    "q1.unlinked": {
        "en": "A manager must open {n} systems to see a client: {systems} not linked to the CRM ({detail}).",
        "ru": "Чтобы увидеть клиента целиком, менеджеру нужно открыть {n} системы: {systems} не связаны с CRM ({detail}).",
    },
    "q1.crm_only": {
        "en": "Only CRM exports were given: no 1C or telephony export to tell whether the systems are linked.",
        "ru": "Переданы только выгрузки CRM: без 1С и телефонии нельзя сказать, связаны ли системы.",
    },
    "q1.no_crm": {
        "en": "No CRM export was given: the {systems} records have nothing to be linked to; add the CRM's exports to judge it.",
        "ru": "Выгрузки CRM не переданы: записям ({systems}) не с чем связываться; добавьте выгрузки CRM, чтобы это оценить.",
    },
    "q1.nothing": {"en": "No CRM, 1C or telephony records were loaded: nothing to judge.",
                   "ru": "Не загружено ни одной записи CRM, 1С или телефонии: оценивать нечего."},
    "q1.unmeasured": {
        "en": "CRM and {systems} exports were loaded, but no link between them could be measured: {reasons}.",
        "ru": "Выгрузки CRM и ({systems}) загружены, но связь между ними измерить не удалось: {reasons}.",
    },
    # Q2
    "q2.rules": {
        "en": "Leads are assigned by rules: the owner follows from source and city (determinism {v:.2f} over {n} records).",
        "ru": "Заявки распределяются по правилам: ответственный определяется источником и городом (детерминированность {v:.2f} по {n} записям).",
    },
    "q2.manual": {
        "en": "Leads are assigned by hand or to whoever took them: owner assignment is {v:.2f} deterministic over {n} records.",
        "ru": "Заявки распределяются вручную или «кто первый взял»: детерминированность назначения {v:.2f} по {n} записям.",
    },
    "q2.mixed": {
        "en": "Partly rule-like assignment (determinism {v:.2f} over {n} records): no consistent routing rule.",
        "ru": "Назначение частично похоже на правило (детерминированность {v:.2f} по {n} записям): единого правила нет.",
    },
    "q2.unknown": {"en": "Cannot tell how leads are distributed: {reason}.", "ru": "Нельзя сказать, как распределяются заявки: {reason}."},
    # Q3
    "q3.acts": {
        "en": "The system acts by itself: {share:.0%} of leads and deals ({n} records) were created by robots, forms or integrations.",
        "ru": "Система действует сама: {share:.0%} лидов и сделок ({n} записей) созданы роботами, формами или интеграциями.",
    },
    "q3.stores": {
        "en": "The system mostly stores what people type: only {share:.0%} of leads and deals were created by system accounts.",
        "ru": "Система в основном хранит то, что вводят люди: лишь {share:.0%} лидов и сделок созданы системными учётными записями.",
    },
    "q3.unknown": {"en": "Cannot tell whether the system acts by itself: {reason}.", "ru": "Нельзя сказать, действует ли система сама: {reason}."},
    # Q4
    "q4.predicts": {
        "en": "Deals carry a working predictive score (ROC AUC {v:.2f} against won/lost).",
        "ru": "У сделок есть работающая прогнозная оценка (ROC AUC {v:.2f} по выигранным и проигранным).",
    },
    "q4.weak": {
        "en": "Deals carry a score, but it barely predicts the outcome (ROC AUC {v:.2f}).",
        "ru": "У сделок есть оценка, но исход она почти не предсказывает (ROC AUC {v:.2f}).",
    },
    "q4.none": {
        "en": "No sign of recommendations from data: {reason}.",
        "ru": "Признаков рекомендаций на основе данных нет: {reason}.",
    },
    "q4.unknown": {"en": "Cannot tell: no deals exported.", "ru": "Нельзя сказать: сделки не выгружены."},
    # Q5
    "q5.bots": {
        "en": "Bots handle part of the requests: {share:.0%} of leads and deals ({n}) were opened by chat bots.",
        "ru": "Боты обрабатывают часть обращений: {share:.0%} лидов и сделок ({n}) созданы чат-ботами.",
    },
    "q5.none": {
        "en": "No bot handles requests: none of {d} leads and deals with a known creator was opened by a bot.",
        "ru": "Боты обращения не обрабатывают: ни одна из {d} заявок и сделок с известным автором не создана ботом.",
    },
    "q5.unknown": {"en": "Cannot tell: {reason}.", "ru": "Нельзя сказать: {reason}."},
    # domains
    "domain.sales.2": {"en": "Rule-based routing and the system acting by itself.", "ru": "Распределение по правилам, система действует сама."},
    "domain.sales.1": {"en": "Routing or actions are manual.", "ru": "Распределение или действия выполняются вручную."},
    "domain.sales.3": {"en": "Level 2 plus working prediction or bots on clean, sufficient history.",
                       "ru": "Уровень 2 плюс работающий прогноз или боты на чистой и достаточной истории."},
    "domain.integration.2": {"en": "1C and telephony records find their CRM counterparts.", "ru": "Записи 1С и телефонии находят пару в CRM."},
    "domain.integration.1": {"en": "Systems are islands: records do not find their counterparts.", "ru": "Системы — острова: записи не находят пару."},
    "domain.integration.none": {"en": "No 1C or telephony export to judge integration.", "ru": "Нет выгрузок 1С или телефонии, чтобы судить об интеграции."},
    "domain.service.2": {"en": "Missed calls are returned and leads answered quickly (SLA).", "ru": "Пропущенные перезваниваются, заявки обрабатываются быстро (SLA)."},
    "domain.service.none": {"en": "Calls were loaded, but the service level could not be measured: {reason}.",
                            "ru": "Звонки загружены, но уровень сервиса измерить не удалось: {reason}."},
    "domain.service.1": {"en": "Missed calls go unreturned or leads wait for hours.", "ru": "Пропущенные звонки не перезваниваются или заявки ждут часами."},
    # missing inputs
    "missing.deals": {"en": "no deals export: sales questions Q2–Q4 judged without deals", "ru": "нет выгрузки сделок: вопросы Q2–Q4 оценены без сделок"},
    "missing.leads": {"en": "no leads export: routing (Q2) judged on deals", "ru": "нет выгрузки лидов: распределение (Q2) оценено по сделкам"},
    "missing.contacts": {"en": "no contacts export: duplicates and caller matching judged without contacts", "ru": "нет выгрузки контактов: дубли и звонящие оценены без контактов"},
    "missing.companies": {"en": "no companies export: CRM ↔ 1C matching judged without CRM companies", "ru": "нет выгрузки компаний: сверка CRM ↔ 1С без компаний CRM"},
    "missing.onec": {"en": "no 1C export: Q1 and integration judged without accounting data", "ru": "нет выгрузки 1С: Q1 и интеграция оценены без учётных данных"},
    "missing.calls": {"en": "no telephony export: Q1 and SLA judged without calls", "ru": "нет выгрузки телефонии: Q1 и SLA оценены без звонков"},
    # blockers
    "blocker.q1": {"en": "Link 1C and telephony to the CRM (records do not find their counterparts)", "ru": "Связать 1С и телефонию с CRM (записи не находят пару)"},
    "blocker.q2": {"en": "Assign incoming leads by rules, not by hand", "ru": "Распределять входящие заявки по правилам, а не вручную"},
    "blocker.q3": {"en": "Let the system act: robots, triggers, forms creating records and tasks", "ru": "Дать системе действовать: роботы, триггеры, формы создают записи и задачи"},
    "blocker.service": {"en": "Return missed calls and answer leads within the SLA", "ru": "Перезванивать пропущенным и отвечать на заявки в рамках SLA"},
    "blocker.volume": {"en": "Accumulate thousands of closed deals ({v} so far)", "ru": "Накопить тысячи закрытых сделок (сейчас {v})"},
    "blocker.reasons": {"en": "Fill loss reasons ({v:.0%} of lost deals have none)", "ru": "Заполнять причины отказа ({v:.0%} проигранных сделок без причины)"},
    "blocker.catch_all": {"en": "Make loss reasons meaningful ({v:.0%} are 'Other')", "ru": "Сделать причины отказа осмысленными ({v:.0%} — «Другое»)"},
    "blocker.duplicates": {"en": "Merge duplicate contacts ({v:.0%} redundant)", "ru": "Объединить дубли контактов ({v:.0%} лишних записей)"},
    "blocker.prediction": {"en": "Pilot a prediction: lead scoring or next-best-action", "ru": "Запустить пилот прогноза: скоринг лидов или следующее лучшее действие"},
    # self-assessment
    "claim.contradiction.higher": {
        "en": "You say {claim}; the data show level {signal}: {answer}",
        "ru": "Вы отвечаете: {claim}; данные показывают уровень {signal}: {answer}",
    },
    "claim.contradiction.lower": {
        "en": "You say {claim}, but the data show more (level {signal}): {answer}",
        "ru": "Вы отвечаете: {claim}, но данные показывают больше (уровень {signal}): {answer}",
    },
}


def t(key: str, lang: str, **kw) -> str:
    entry = TEXTS[key]
    return entry.get(lang, entry["en"]).format(**kw)
