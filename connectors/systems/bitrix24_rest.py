"""Bitrix24 REST dumps: CSV written by integrators from crm.deal.list / crm.contact.list /
crm.company.list / crm.lead.list, with the API field names as titles (crm.deal.fields,
crm.contact.fields, crm.company.fields, crm.lead.fields: `ID, STAGE_ID, ASSIGNED_BY_ID,
OPPORTUNITY, BEGINDATE, CLOSEDATE, CLOSED, SOURCE_ID, TITLE, DATE_CREATE, UF_CRM_…`).

Same entities and semantics as the UI export (systems/bitrix24.py): stages are ids (`WON`,
`LOSE`, `C2:LOSE`, `C2:APOLOGY`) or names, `STAGE_SEMANTIC_ID` P/S/F is the stage group, `CLOSED`
Y/N; ids of users and linked records are numbers, `0` when unset (macros.sql `is_blank_ref`);
dates ISO 8601 with an offset (`2024-03-12T10:15:00+03:00`); PHONE / EMAIL multi-fields arrive
as the API's list of `{"VALUE": …, "VALUE_TYPE": …}` (their values are taken, macros.sql
`multifield_text`). CLOSEDATE is mapped as the UI maps `Предполагаемая дата закрытия`.
"""
from ..profile import Profile
from .bitrix24 import SYSTEM
from .common import LOSS_REASON

_COMMON = {
    "record_id": ("ID",), "owner": ("ASSIGNED_BY_ID", "ASSIGNED_BY"), "created_by": ("CREATED_BY_ID", "CREATED_BY"),
    "modified_by": ("MODIFY_BY_ID", "MODIFY_BY"), "created_at": ("DATE_CREATE",), "modified_at": ("DATE_MODIFY",),
    "source": ("SOURCE_ID",), "comment": ("COMMENTS",),
}

DEALS = Profile(
    system=SYSTEM, entity="deals", variant="rest",
    markers=("STAGE_ID", "ASSIGNED_BY_ID", "OPPORTUNITY", "BEGINDATE", "CLOSEDATE", "CLOSED", "CATEGORY_ID",
             "CURRENCY_ID", "STAGE_SEMANTIC_ID", "DATE_CREATE"),
    fields={
        **_COMMON, "title": ("TITLE",), "amount": ("OPPORTUNITY",), "currency": ("CURRENCY_ID",),
        "stage": ("STAGE_ID",), "stage_group": ("STAGE_SEMANTIC_ID",), "is_closed": ("CLOSED",),
        "pipeline": ("CATEGORY_ID",), "company_id": ("COMPANY_ID",), "contact_id": ("CONTACT_ID",),
        "lead_id": ("LEAD_ID",), "probability": ("PROBABILITY",), "expected_close_at": ("CLOSEDATE",),
        "deal_type": ("TYPE_ID",),
    },
    patterns={"loss_reason": LOSS_REASON},
    required=("stage",),
)

LEADS = Profile(
    system=SYSTEM, entity="leads", variant="rest",
    markers=("STATUS_ID", "STATUS_SEMANTIC_ID", "ASSIGNED_BY_ID", "COMPANY_TITLE", "SECOND_NAME", "OPPORTUNITY",
             "CURRENCY_ID", "DATE_CREATE", "IS_RETURN_CUSTOMER", "STATUS_DESCRIPTION"),
    fields={
        **_COMMON, "title": ("TITLE",), "first_name": ("NAME",), "last_name": ("LAST_NAME",),
        "middle_name": ("SECOND_NAME",), "company_name": ("COMPANY_TITLE",), "status": ("STATUS_ID",),
        "amount": ("OPPORTUNITY",), "phone": ("PHONE",), "email": ("EMAIL",), "city": ("ADDRESS_CITY",),
    },
    patterns={"loss_reason": LOSS_REASON},
    required=("status",),
)

CONTACTS = Profile(
    system=SYSTEM, entity="contacts", variant="rest",
    markers=("NAME", "LAST_NAME", "SECOND_NAME", "ASSIGNED_BY_ID", "COMPANY_ID", "POST", "DATE_CREATE", "HONORIFIC",
             "TYPE_ID", "BIRTHDATE"),
    fields={
        **_COMMON, "first_name": ("NAME",), "last_name": ("LAST_NAME",), "middle_name": ("SECOND_NAME",),
        "company_id": ("COMPANY_ID",), "phone": ("PHONE",), "email": ("EMAIL",), "position": ("POST",),
        "city": ("ADDRESS_CITY",),
    },
    required=("first_name", "last_name"),
)

COMPANIES = Profile(
    system=SYSTEM, entity="companies", variant="rest",
    markers=("TITLE", "COMPANY_TYPE", "INDUSTRY", "EMPLOYEES", "REVENUE", "ASSIGNED_BY_ID", "DATE_CREATE", "WEB",
             "ADDRESS_LEGAL", "CURRENCY_ID"),
    fields={
        **_COMMON, "name": ("TITLE",), "company_type": ("COMPANY_TYPE",), "industry": ("INDUSTRY",),
        "employees": ("EMPLOYEES",), "revenue": ("REVENUE",), "phone": ("PHONE",), "email": ("EMAIL",),
        "website": ("WEB",), "address": ("ADDRESS", "ADDRESS_LEGAL", "REG_ADDRESS"), "city": ("ADDRESS_CITY",),
    },
    required=("name",),
)

PROFILES = (DEALS, LEADS, CONTACTS, COMPANIES)
