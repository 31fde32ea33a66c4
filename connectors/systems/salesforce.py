"""Salesforce exports: Opportunity, Account, Contact, Lead (FORMATS.md §5.1).

Two header styles reach us: the Data Export / API style with API field names (`StageName`,
`IsWon`, `AccountId`, custom `Closed_Lost_Reason__c`) and report exports with field labels
(`Opportunity Name`, `Stage`, `Opportunity Owner`). Both are listed in one profile per entity;
the typical titles of either style count in full (`_either`), so a report export is not
penalised for lacking API names. Won/lost come from `IsWon`/`IsClosed` (the `deal_state` flags);
report exports carry `Won`/`Closed` columns when the user adds them, else the stage name decides.
"""
from __future__ import annotations

from collections.abc import Callable

from ..headers import norm_header
from ..model import Sample
from ..profile import Profile
from .common import COMPANY_PATTERNS, LOSS_REASON

SYSTEM = "salesforce"
_REASON = LOSS_REASON + r"|reason lost|lost reason|loss reason|closed lost"


def _frac(sample: Sample, markers: tuple[str, ...]) -> float:
    present = {norm_header(h) for h in sample.header}
    return sum(1 for m in markers if norm_header(m) in present) / len(markers)


def _either(api: tuple[str, ...], labels: tuple[str, ...]) -> Callable[[Sample], float]:
    """Bonus lifting the marker share to the better of the API-name set and the label set."""
    def bonus(sample: Sample) -> float:
        return 0.6 * max(0.0, _frac(sample, labels) - _frac(sample, api))
    return bonus


_AUDIT = {
    "owner": ("Opportunity Owner", "Owner Name", "Owner.Name", "OwnerId", "Owner ID"),
    "created_at": ("CreatedDate", "Created Date"), "created_by": ("CreatedById", "Created By", "CreatedBy.Name"),
    "modified_at": ("LastModifiedDate", "Last Modified Date"),
    "modified_by": ("LastModifiedById", "Last Modified By", "LastModifiedBy.Name"),
}

_OPP_API = ("StageName", "IsWon", "IsClosed", "AccountId", "OwnerId", "CloseDate", "CreatedById", "LastModifiedDate")
_OPP_LABELS = ("Opportunity Name", "Account Name", "Stage", "Amount", "Close Date", "Opportunity Owner")

OPPORTUNITIES = Profile(
    system=SYSTEM, entity="deals",
    markers=_OPP_API,
    fields={
        "record_id": ("Id", "Opportunity ID", "Opportunity Id"), "title": ("Name", "Opportunity Name"),
        "company_id": ("AccountId", "Account ID"), "company_name": ("Account Name", "Account.Name"),
        "contact_id": ("ContactId", "Contact ID"), "contact_name": ("Contact Name", "Primary Contact"),
        "stage": ("StageName", "Stage"), "amount": ("Amount",), "currency": ("CurrencyIsoCode", "Opportunity Currency", "Amount Currency"),
        "probability": ("Probability", "Probability (%)"), "closed_at": ("CloseDate", "Close Date"),
        "source": ("LeadSource", "Lead Source"), "is_won": ("IsWon", "Won"), "is_closed": ("IsClosed", "Closed"),
        "deal_type": ("Type", "Opportunity Type"), "comment": ("Description",), "pipeline": ("ForecastCategoryName", "Forecast Category"),
        **_AUDIT,
    },
    patterns={"loss_reason": _REASON},
    required=("stage",),
    bonus=_either(_OPP_API, _OPP_LABELS),
)

_ACC_API = ("BillingCity", "BillingCountry", "BillingStreet", "AnnualRevenue", "NumberOfEmployees", "Industry", "OwnerId",
            "ParentId", "AccountSource")
_ACC_LABELS = ("Account Name", "Account Owner", "Billing City", "Industry", "Annual Revenue", "Employees", "Account ID")

ACCOUNTS = Profile(
    system=SYSTEM, entity="companies",
    markers=_ACC_API,
    fields={
        "record_id": ("Id", "Account ID"), "name": ("Name", "Account Name"), "phone": ("Phone", "Fax"),
        "website": ("Website",), "industry": ("Industry",), "revenue": ("AnnualRevenue", "Annual Revenue"),
        "employees": ("NumberOfEmployees", "Employees"), "company_type": ("Type", "Account Type"),
        "parent": ("Parent Account", "Parent.Name", "ParentId"), "city": ("BillingCity", "Billing City", "ShippingCity"),
        "address": ("BillingStreet", "Billing Street", "Billing Address"), "source": ("AccountSource", "Account Source"),
        "postcode": ("BillingPostalCode", "Billing Zip/Postal Code"),
        "comment": ("Description",),
        **_AUDIT, "owner": ("Account Owner", "Owner Name", "Owner.Name", "OwnerId"),
    },
    patterns=COMPANY_PATTERNS,
    required=("name",),
    bonus=_either(_ACC_API, _ACC_LABELS),
)

_CON_API = ("FirstName", "LastName", "AccountId", "MobilePhone", "MailingCity", "OwnerId", "Salutation", "LeadSource")
_CON_LABELS = ("First Name", "Last Name", "Account Name", "Contact Owner", "Mailing City", "Mobile", "Contact ID", "Title")

CONTACTS = Profile(
    system=SYSTEM, entity="contacts",
    markers=_CON_API,
    fields={
        "record_id": ("Id", "Contact ID"), "full_name": ("Name", "Full Name", "Contact Name"),
        "first_name": ("FirstName", "First Name"), "last_name": ("LastName", "Last Name"),
        "company_id": ("AccountId", "Account ID"), "company_name": ("Account Name", "Account.Name"),
        "phone": ("Phone", "MobilePhone", "Mobile", "HomePhone", "Home Phone", "OtherPhone", "Other Phone", "Business Phone"),
        "email": ("Email",), "position": ("Title",), "city": ("MailingCity", "Mailing City"),
        "birth_date": ("Birthdate",), "address": ("MailingStreet", "Mailing Street"),
        "postcode": ("MailingPostalCode", "Mailing Zip/Postal Code"),
        "source": ("LeadSource", "Lead Source"), "comment": ("Description",),
        **_AUDIT, "owner": ("Contact Owner", "Owner Name", "Owner.Name", "OwnerId"),
    },
    required=("last_name",),
    bonus=_either(_CON_API, _CON_LABELS),
)

_LEAD_API = ("FirstName", "LastName", "Company", "Status", "IsConverted", "ConvertedOpportunityId", "LeadSource", "OwnerId")
_LEAD_LABELS = ("First Name", "Last Name", "Company / Account", "Lead Status", "Lead Owner", "Lead Source", "Converted")

LEADS = Profile(
    system=SYSTEM, entity="leads",
    markers=_LEAD_API,
    fields={
        "record_id": ("Id", "Lead ID"), "full_name": ("Name", "Full Name"), "first_name": ("FirstName", "First Name"),
        "last_name": ("LastName", "Last Name"), "company_name": ("Company", "Company / Account"),
        "status": ("Status", "Lead Status"), "phone": ("Phone", "MobilePhone", "Mobile"), "email": ("Email",),
        "source": ("LeadSource", "Lead Source"), "city": ("City",),
        "converted_deal_id": ("ConvertedOpportunityId", "Converted Opportunity", "Converted Opportunity ID"),
        "comment": ("Description",),
        **_AUDIT, "owner": ("Lead Owner", "Owner Name", "Owner.Name", "OwnerId"),
    },
    patterns={"loss_reason": _REASON},
    required=("last_name", "status"),
    bonus=_either(_LEAD_API, _LEAD_LABELS),
)

PROFILES = (OPPORTUNITIES, ACCOUNTS, CONTACTS, LEADS)
