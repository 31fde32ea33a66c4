"""The roadmap to the next level: what to change, in which order, per domain (levels are never skipped).

For every domain below its top level, first the stage to the next level (the criteria that block
it now), then the following stage (sales 2 → 3: enough clean history, then a prediction pilot).
Stages are ordered so that every domain reaches level 2 before any stage to level 3
(MATURITY_FRAMEWORK.md: "no skipping levels"). A step's target is the inference criterion that
clears it (auditor/maturity.yaml), judged in the metric's declared direction (checks/); `records`
is how many records must change for the value to reach the target at today's volume; `ok_at`
is the check's own warn threshold (checks/thresholds.yaml): past the level's target, the value at
which the check itself stops warning.
Pure functions of (metrics, maturity, config, thresholds), like auditor/inference.py.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from checks.catalogue import direction as declared_direction
from checks.model import Metric

from .history.records import RECORD_METRICS
from .inference import level3_blockers, overall_level
from .result import Maturity

DOMAIN_ORDER = ("integration", "sales", "service")
TOP_LEVEL = {"integration": 2, "service": 2, "sales": 3}   # integration and service top out at 2 (inference.py)
EPS = 1e-9

# the criterion (a path into maturity.yaml) that clears each metric, in the framework's order
CRITERIA: dict[str, tuple[str, ...]] = {
    "cross.counterparties.unmatched_share": ("questions", "Q1", "linked_1c", "cross.counterparties.unmatched_share"),
    "cross.deals.won_without_document_share": ("questions", "Q1", "linked_1c", "cross.deals.won_without_document_share"),
    "cross.payments.without_deal_share": ("questions", "Q1", "linked_1c", "cross.payments.without_deal_share"),
    "cross.calls.inbound_unlinked_share": ("questions", "Q1", "linked_telephony", "cross.calls.inbound_unlinked_share"),
    "automation.leads.routing_determinism": ("questions", "Q2", "rules_min"),
    "automation.records.system_created_share": ("questions", "Q3", "system_created_min"),
    "volume.deals.closed_count": ("level3", "closed_deals_min"),
    "refusal.deals.lost_without_reason_share": ("level3", "lost_without_reason_max"),
    "refusal.deals.catch_all_reason_share": ("level3", "catch_all_reason_max"),
    "duplicates.contacts.redundant_share": ("level3", "contact_duplicates_max"),
    "automation.deals.score_auc": ("questions", "Q4", "auc_useful"),
    "automation.records.bot_created_share": ("questions", "Q5", "bot_created_min"),
    "process.calls.missed_without_callback_share": ("service", "missed_without_callback_max"),
    "process.leads.first_response_median_minutes": ("service", "first_response_minutes_max"),
}

ACTIONS: dict[str, dict[str, str]] = {
    "cross.counterparties.unmatched_share": {"en": "Sync 1C counterparties with CRM companies, INN as the key",
                                             "ru": "Синхронизировать контрагентов 1С с компаниями CRM по ИНН"},
    "cross.deals.won_without_document_share": {"en": "Create the 1C invoice from the won deal (CRM → 1C integration)",
                                               "ru": "Создавать счёт в 1С из выигранной сделки (интеграция CRM → 1С)"},
    "cross.payments.without_deal_share": {"en": "Link incoming 1C payments to CRM deals",
                                          "ru": "Связать поступления оплат в 1С со сделками CRM"},
    "cross.calls.inbound_unlinked_share": {"en": "Connect telephony to the CRM: every caller becomes a contact or a lead",
                                           "ru": "Подключить телефонию к CRM: каждый звонящий — контакт или лид"},
    "automation.leads.routing_determinism": {"en": "Assign incoming leads by a rule (source, city), not by hand",
                                             "ru": "Распределять входящие заявки по правилу (источник, город), а не вручную"},
    "automation.records.system_created_share": {"en": "Let forms, integrations and robots create leads and deals",
                                                "ru": "Пусть лиды и сделки создают формы, интеграции и роботы"},
    "volume.deals.closed_count": {"en": "Accumulate closed-deal history (close every deal as won or lost)",
                                  "ru": "Накопить историю закрытых сделок (закрывать каждую как успешную или проигранную)"},
    "refusal.deals.lost_without_reason_share": {"en": "Make the loss reason mandatory and fill it on lost deals",
                                                "ru": "Сделать причину отказа обязательной и заполнить её у проигранных сделок"},
    "refusal.deals.catch_all_reason_share": {"en": "Replace catch-all loss reasons (“Other”) with real ones",
                                             "ru": "Заменить причины отказа «Другое» настоящими"},
    "duplicates.contacts.redundant_share": {"en": "Merge duplicate contacts and block new ones",
                                            "ru": "Объединить дубли контактов и запретить новые"},
    "automation.deals.score_auc": {"en": "Run a lead-scoring pilot (or let bots handle part of the requests)",
                                   "ru": "Запустить пилот скоринга сделок (или отдать часть обращений ботам)"},
    "automation.records.bot_created_share": {"en": "Let a chat bot open and qualify part of the requests",
                                             "ru": "Пусть чат-бот открывает и квалифицирует часть обращений"},
    "process.calls.missed_without_callback_share": {"en": "Call back every missed call (automatic task, SLA)",
                                                    "ru": "Перезванивать каждому пропущенному (автоматическая задача, SLA)"},
    "process.leads.first_response_median_minutes": {"en": "Answer new leads within the hour (SLA enforced by the system)",
                                                    "ru": "Отвечать на новые заявки в течение часа (SLA контролирует система)"},
}
MISSING = {
    "sales": {"en": "Export the CRM deals and leads: without them the sales level cannot be judged",
              "ru": "Выгрузить сделки и лиды из CRM: без них уровень продаж не оценить"},
    "integration": {"en": "Export 1C (counterparties, invoices, payments) and the call log: without them the "
                          "integration cannot be judged",
                    "ru": "Выгрузить 1С (контрагенты, счета, оплаты) и журнал звонков: без них интеграцию не оценить"},
    "service": {"en": "Export calls with their answer status and the leads' phones: the service SLA cannot be judged",
                "ru": "Выгрузить звонки со статусом ответа и телефоны лидов: SLA сервиса не оценить"},
}
UNMEASURED = {"en": "not measurable yet: {reason}", "ru": "пока не измеряется: {reason}"}


@dataclass(frozen=True)
class Step:
    metric: str | None          # None: a missing input
    now: float | None
    target: float | None
    records: int | None
    action: str
    work_list: str | None = None
    ok_at: float | None = None   # thresholds.yaml warn: the check is "ok" only strictly beyond it

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Stage:
    domain: str
    from_level: int | None
    to_level: int
    steps: tuple[Step, ...]
    overall_after: int = 1      # the overall level once this stage and every stage before it are done

    def to_json(self) -> dict:
        return {"domain": self.domain, "from_level": self.from_level, "to_level": self.to_level,
                "steps": [s.to_json() for s in self.steps], "overall_after": self.overall_after}


def target_of(mid: str, cfg: dict) -> float | None:
    node = cfg
    for key in CRITERIA.get(mid, ("-",)):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return float(node)


def meets(value: float | None, target: float, direction: str | None) -> bool:
    if value is None:
        return False
    return value <= target + EPS if direction == "lower" else value >= target - EPS


def records_to_change(m: Metric | None, target: float, direction: str | None) -> int | None:
    """How many records must change for `m` to reach `target`, the volume staying as it is."""
    if m is None or m.value is None or meets(m.value, target, direction):
        return None if m is None or m.value is None else 0
    if m.unit == "count":
        return math.ceil(abs(target - m.value) - EPS)
    if m.unit != "share" or m.numerator is None or not m.denominator:
        return None                     # a ratio, an AUC or a median: no record count moves it by itself
    n, d = float(m.numerator), float(m.denominator)
    if direction == "higher":
        return max(0, math.ceil(target * d - EPS) - int(n))
    if m.id.startswith("duplicates."):
        # merging a redundant record removes it from the records counted too: (n − x) ÷ (d − x) ≤ t
        return max(0, math.ceil((n - target * d) / (1 - target) - EPS)) if target < 1 else 0
    return max(0, int(n) - math.floor(target * d + EPS))


def _step(mid: str, metrics: dict[str, Metric], cfg: dict, lang: str, work_lists: dict[str, str],
          thresholds: dict | None = None) -> Step | None:
    target = target_of(mid, cfg)
    if target is None:
        return None
    m = metrics.get(mid)
    direction = declared_direction(mid)
    value = None if m is None else m.value
    few = _too_few(mid, m, cfg)
    if meets(value, target, direction) and not few:
        return None
    action = ACTIONS[mid][lang]
    if value is None or few:
        reason = few or (m.reason if m is not None and m.reason else "not measured")
        action += " — " + UNMEASURED[lang].format(reason=reason)
    t = (thresholds or {}).get(mid)
    return Step(mid, value, target, records_to_change(m, target, direction), action, work_lists.get(mid),
                t.warn if t is not None else None)


def _too_few(mid: str, m: Metric | None, cfg: dict) -> str | None:
    """Q2 cannot show a rule on fewer than `min_records` leads/deals, whatever the value."""
    least = cfg["questions"]["Q2"]["min_records"]
    if mid == "automation.leads.routing_determinism" and m is not None and m.value is not None \
            and int(m.denominator or 0) < least:
        return f"{int(m.denominator or 0)} < {least} records"
    return None


def _blocking(domain, metrics, cfg, lang) -> list[str]:
    """Metric ids that block the domain's next level now, in the framework's order."""
    ids = [mid for b in domain.blockers for mid in b.metrics]
    return [mid for mid in CRITERIA if mid in ids]


def _sales_to_3(metrics, cfg, lang) -> list[str]:
    ids = [mid for b in level3_blockers(metrics, cfg, lang) for mid in b.metrics]
    if not (meets(_value(metrics, "automation.deals.score_auc"), target_of("automation.deals.score_auc", cfg), "higher")
            or meets(_value(metrics, "automation.records.bot_created_share"),
                     target_of("automation.records.bot_created_share", cfg), "higher")):
        ids.append("automation.deals.score_auc")     # either a working score or bots: one step
    return [mid for mid in CRITERIA if mid in ids]


def _sheet_names(lang: str) -> dict[str, str]:
    """metric → the name of the scorecard.xlsx sheet that lists its records."""
    try:
        from .report.xlsx_report import sheet_name
    except ImportError:  # the XLSX reporter is not installed in this build
        return {}
    return {mid: sheet_name(key, lang) for mid, key in RECORD_METRICS.items()}


def _value(metrics, mid):
    m = metrics.get(mid)
    return None if m is None else m.value


def build(metrics: dict[str, Metric], maturity: Maturity, cfg: dict, lang: str = "en",
          work_lists: dict[str, str] | None = None, thresholds: dict | None = None) -> tuple[Stage, ...]:
    """The roadmap: stages per domain, every stage to level 2 before any stage to level 3.
    `thresholds`: checks.thresholds.load_thresholds() (with the user's --config), for `ok_at`."""
    lang = lang if lang in ("en", "ru") else "en"
    work_lists = work_lists if work_lists is not None else _sheet_names(lang)
    stages: list[Stage] = []
    for name in DOMAIN_ORDER:
        d = maturity.domains.get(name)
        if d is None:
            continue
        if d.level is None:
            stages.append(Stage(name, None, 2, (Step(None, None, None, None, MISSING[name][lang]),)))
            continue
        if d.level >= TOP_LEVEL[name]:
            continue
        ids = _blocking(d, metrics, cfg, lang)
        if name in ("integration", "service"):   # an unmeasured metric does not block these (inference.py)
            ids = [mid for mid in ids if _value(metrics, mid) is not None]
        if name == "sales" and d.level == 2:
            ids = _sales_to_3(metrics, cfg, lang)
        steps = [s for s in (_step(mid, metrics, cfg, lang, work_lists, thresholds) for mid in ids) if s is not None]
        stages.append(Stage(name, d.level, d.level + 1, tuple(steps)))
        if name == "sales" and d.level == 1:   # the following stage
            steps = [s for s in (_step(mid, metrics, cfg, lang, work_lists, thresholds)
                                 for mid in _sales_to_3(metrics, cfg, lang)) if s is not None]
            stages.append(Stage(name, 2, 3, tuple(steps)))
    stages.sort(key=lambda s: (s.to_level, s.from_level is not None, DOMAIN_ORDER.index(s.domain)))
    return tuple(_with_effect(stages, maturity))


def _with_effect(stages: list[Stage], maturity: Maturity) -> list[Stage]:
    domains = dict(maturity.domains)
    out = []
    for s in stages:
        domains[s.domain] = dataclasses.replace(domains[s.domain], level=s.to_level)
        out.append(dataclasses.replace(s, overall_after=overall_level(domains)))
    return out
