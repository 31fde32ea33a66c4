"""HubSpot exports: deals, contacts, companies as CSV/XLSX with property labels (FORMATS.md §5.2).

Every export starts with `Record ID`; titles are the default property labels (`Deal Name`,
`Deal Stage`, `Closed Lost Reason`, `Deal owner`, `Company Domain Name`, …). Default pipeline
stages end in `Closed Won` / `Closed Lost`, which the `deal_state` macro knows; portals that
export `Is Closed Won` / `Is Deal Closed?` give the flags directly.
"""
from __future__ import annotations

from ..profile import Profile
from .common import COMPANY_PATTERNS

SYSTEM = "hubspot"

_COMMON = {
    "record_id": ("Record ID",), "created_at": ("Create Date", "Created Date"),
    "modified_at": ("Last Modified Date",), "source": ("Original Source", "Original Traffic Source", "Original Source Type"),
}

DEALS = Profile(
    system=SYSTEM, entity="deals",
    markers=("Record ID", "Deal Name", "Deal Stage", "Deal owner", "Pipeline", "Close Date", "Create Date", "Amount"),
    fields={
        **_COMMON, "title": ("Deal Name",), "stage": ("Deal Stage",), "pipeline": ("Pipeline",), "amount": ("Amount",),
        "currency": ("Currency",), "closed_at": ("Close Date",), "owner": ("Deal owner", "HubSpot Owner"),
        "loss_reason": ("Closed Lost Reason",), "is_won": ("Is Closed Won",), "is_closed": ("Is Deal Closed?", "Is Closed"),
        "probability": ("Deal probability", "Forecast probability"), "deal_type": ("Deal Type",),
        "company_name": ("Associated Company", "Associated Company (Primary)", "Company"),
        "contact_name": ("Associated Contact",), "comment": ("Deal Description",),
    },
    required=("title", "stage"),
)

CONTACTS = Profile(
    system=SYSTEM, entity="contacts",
    markers=("Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner", "Lifecycle Stage",
             "Lead Status", "Create Date"),
    fields={
        **_COMMON, "first_name": ("First Name",), "last_name": ("Last Name",), "email": ("Email",),
        "phone": ("Phone Number", "Mobile Phone Number"), "owner": ("Contact owner", "HubSpot Owner"),
        "company_name": ("Associated Company", "Associated Company (Primary)", "Company Name"),
        "position": ("Job Title",), "city": ("City",),
        "birth_date": ("Date of birth",), "address": ("Street Address",), "postcode": ("Postal Code", "Zip"),
    },
    required=("email",),
)

COMPANIES = Profile(
    system=SYSTEM, entity="companies",
    markers=("Record ID", "Company name", "Company Domain Name", "Company owner", "Create Date", "Phone Number",
             "Industry", "Number of Employees", "Annual Revenue", "Lifecycle Stage"),
    fields={
        **_COMMON, "name": ("Company name",), "website": ("Company Domain Name", "Website URL"),
        "owner": ("Company owner", "HubSpot Owner"), "phone": ("Phone Number",), "industry": ("Industry",),
        "employees": ("Number of Employees",), "revenue": ("Annual Revenue",), "company_type": ("Type",),
        "city": ("City",), "address": ("Street Address",), "parent": ("Parent Company",), "postcode": ("Postal Code", "Zip"),
        "comment": ("Description", "About Us"),
    },
    patterns=COMPANY_PATTERNS,
    required=("name",),
)

PROFILES = (DEALS, CONTACTS, COMPANIES)
