"""The duplicate rules for the CRM / 1C tables, as the contract defines "same person" and
"same company" (contract/AUDIT_RESULT.md, "Terms used below"), and the preparation steps that
run them (registered in checks/prepare.py).

People (stg.contacts):  a shared normalised phone or e-mail (not a switchboard: a value shared by
    differently named contacts of one company; nor a hub held by 6+ distinct names); the same
    normalised full name within the same company; fuzzy names (typos, ё/е, transliteration,
    initials) only inside the same company, which is then the confirming attribute.
Companies (stg.companies) and counterparties (stg.counterparties), each within itself: equal
    valid INN; or the same normalised name (counterparties: short or full name) together with a
    shared phone or e-mail where the INN is missing or invalid on a side. Different valid INNs
    are never merged, not even through a third record.
"""
from __future__ import annotations

from ..sqlfile import script
from . import engine, models
from .spec import Confirm, Fuzzy, Spec

CONTACTS = Spec(
    entity="contacts", prefix="contact", records=script("prepare/dedup_contacts_records"), fill_entity="contacts",
    shared_key=True, switchboard=True, hub_names=6, name_group=True,
    fuzzy=Fuzzy(
        # same company and the same first letter of the surname, or of the given name (a typo in one
        # first letter still meets its twin in the other block)
        blocks=("grp || '|s|' || left(s, 1)", "grp || '|g|' || left(g, 1)"),
        confirm=(Confirm("company", "l.grp = r.grp", "l.grp"),),
        min_confirm=1),
    linkage=models.CONTACTS,
    labels={"name": "full_name", "group": "company"},
)

COMPANIES = Spec(
    entity="companies", prefix="company", records=script("prepare/dedup_companies_records"), fill_entity="companies",
    strong_id=True, name_and_key=True, linkage=models.COMPANIES, labels={"name": "name", "strong_id": "inn"},
)

COUNTERPARTIES = Spec(
    entity="counterparties", prefix="counterparty", records=script("prepare/dedup_counterparties_records"),
    fill_entity="counterparties", strong_id=True, name_and_key=True, labels={"name": "name", "strong_id": "inn"},
)


def dedup_contacts(con, params: dict | None = None) -> None:
    engine.run(con, CONTACTS)


def dedup_companies(con, params: dict | None = None) -> None:
    engine.run(con, COMPANIES)


def dedup_counterparties(con, params: dict | None = None) -> None:
    engine.run(con, COUNTERPARTIES)


STEPS = {
    "dedup_contacts": dedup_contacts,
    "dedup_companies": dedup_companies,
    "dedup_counterparties": dedup_counterparties,
}
