"""The canonical schema: every entity's fields and their types, whatever system wrote them.

Connector profiles map source columns onto these names; `build.py` turns the mapped text
into typed `stg.<entity>` tables. Type names drive the normalisation applied:
  text     trimmed, placeholders (`-`, `нет`, ...) become NULL
  id       source record id, kept verbatim (evidence points back with it)
  ts       timestamp from any supported date format
  amount   number from `1 234,56` / `1234.56` / `1,234.56`
  phone    raw text kept, plus `<field>s` = list of E.164 numbers (libphonenumber)
  email    raw text kept, plus `emails` = normalised list
  inn      digits only, plus `inn_valid`
  company  text, plus `<field>_norm` (legal form, quotes, case, ё, look-alikes removed)
  person   text, plus `<field>_norm`
  date     a calendar date (any `ts` spelling, or `YYYYMMDD`), e.g. a birth date
Derived by field name (build.py): `address` → `address_norm` (address tokens), `postcode` →
`postcode_norm`, `website` → `website_domain` (the host without `www.`).
"""
from __future__ import annotations

COMMON = {
    "record_id": "id",
    "owner": "text",
    "created_by": "text",
    "modified_by": "text",
    "created_at": "ts",
    "modified_at": "ts",
    "source": "text",
    "city": "text",
    "comment": "text",
}

ENTITIES: dict[str, dict[str, str]] = {
    "companies": {
        "name": "company", "inn": "inn", "kpp": "text", "phone": "phone", "email": "email",
        "industry": "text", "address": "text", "company_type": "text", "employees": "text", "revenue": "amount",
        "parent": "company", "website": "text", "postcode": "text",
    },
    "contacts": {
        "full_name": "person", "first_name": "text", "last_name": "text", "middle_name": "text",
        "company_name": "company", "company_id": "text", "phone": "phone", "email": "email",
        "position": "text", "birth_date": "date", "address": "text", "postcode": "text",
    },
    "leads": {
        "title": "text", "full_name": "person", "first_name": "text", "last_name": "text", "middle_name": "text",
        "company_name": "company", "phone": "phone", "email": "email", "status": "text",
        "loss_reason": "text", "amount": "amount", "converted_deal_id": "text",
    },
    "deals": {
        "title": "text", "amount": "amount", "currency": "text", "stage": "text", "stage_group": "text",
        "is_won": "text", "is_closed": "text", "pipeline": "text", "loss_reason": "text",
        "company_name": "company", "company_id": "text", "contact_name": "person", "contact_id": "text",
        "lead_id": "text", "phone": "phone", "email": "email", "probability": "amount",
        "closed_at": "ts", "expected_close_at": "ts", "product": "text", "deal_type": "text",
    },
    "tasks": {
        "title": "text", "status": "text", "deadline_at": "ts", "closed_at": "ts", "entity_ref": "text",
    },
    "counterparties": {
        "name": "company", "full_name": "company", "inn": "inn", "kpp": "text", "kind": "text",
        "phone": "phone", "email": "email", "address": "text", "code": "text",
    },
    "documents": {
        "doc_type": "text", "number": "text", "doc_date": "ts", "amount": "amount", "currency": "text",
        "counterparty_name": "company", "counterparty_inn": "inn", "counterparty_id": "text",
        "organization": "text", "status": "text",
    },
    "payments": {
        "number": "text", "pay_date": "ts", "amount": "amount", "direction": "text", "operation": "text",
        "counterparty_name": "company", "counterparty_inn": "inn", "purpose": "text", "organization": "text",
    },
    "calls": {
        "call_id": "text", "started_at": "ts", "answered_at": "ts", "ended_at": "ts",
        "duration": "amount", "billsec": "amount", "direction": "text", "status": "text",
        "from_number": "text", "to_number": "text", "employee": "text", "crm_ref": "text",
        # PBX call legs (Asterisk/FreePBX dcontext, channel, lastapp): who is outside, whether a person answered
        "context": "text", "channel": "text", "app": "text",
    },
    "users": {"name": "person", "manager": "text", "office": "text"},
    "products": {"name": "text", "series": "text", "price": "amount"},
}

# Fields holding a record id or a reference to another record (whatever their type): their
# placeholders include the systems' "empty id" values (macros.sql `is_blank_ref`).
REFERENCES = frozenset({
    "record_id", "company_id", "contact_id", "lead_id", "converted_deal_id", "counterparty_id", "parent",
    "owner", "created_by", "modified_by", "entity_ref", "crm_ref", "call_id",
})

# `record_id` applies everywhere; the rest of COMMON only where it makes sense.
_NO_COMMON = {"users", "products"}


def fields(entity: str) -> dict[str, str]:
    base = {"record_id": "id"} if entity in _NO_COMMON else dict(COMMON)
    base.update(ENTITIES[entity])
    return base


def entities() -> list[str]:
    return list(ENTITIES)


def blank_sql(column: str, kind: str) -> str:
    """SQL that is true when a canonical column is blank. The build stores every text-like field
    through clean_text (NULL when blank or a placeholder), so NULL is enough; ids are kept
    verbatim and still need the placeholder rule (`is_blank`)."""
    return f"is_blank_ref({column})" if kind == "id" else f"{column} IS NULL"
