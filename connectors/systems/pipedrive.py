"""Pipedrive exports: deals, people, organizations (FORMATS.md §5.3).

Titles are prefixed by the object: `Deal - Title`, `Person - Email - Work`,
`Organization - Name` (custom fields keep the prefix). A deals export may carry its person's
and organization's columns too, so people/organizations profiles step back when `Deal - `
(or, for organizations, `Person - `) titles are present. `Deal - Status` (open/won/lost) is the
stage group the `deal_state` macro reads.
"""
from __future__ import annotations

from collections.abc import Callable

from ..model import Sample
from ..profile import Profile
from .common import COMPANY_PATTERNS

SYSTEM = "pipedrive"


def _share(sample: Sample, prefix: str) -> float:
    titles = [h.strip().lower() for h in sample.header if h.strip()]
    return sum(1 for t in titles if t.startswith(prefix)) / len(titles) if titles else 0.0


def _prefix_bonus(own: str, *others: str) -> Callable[[Sample], float]:
    """Titles with the object prefix are Pipedrive's signature; another object's prefix means another export."""
    def bonus(sample: Sample) -> float:
        if any(_share(sample, o) > 0 for o in others):
            return -0.5
        return 0.1 if _share(sample, own) >= 0.5 else 0.0
    return bonus


_PERSON_PHONES = ("Person - Phone", "Person - Phone - Work", "Person - Phone - Mobile", "Person - Phone - Home",
                  "Person - Phone - Other")
_PERSON_EMAILS = ("Person - Email", "Person - Email - Work", "Person - Email - Home", "Person - Email - Other")

DEALS = Profile(
    system=SYSTEM, entity="deals",
    markers=("Deal - ID", "Deal - Title", "Deal - Value", "Deal - Status", "Deal - Stage", "Deal - Owner",
             "Deal - Deal created", "Deal - Organization"),
    fields={
        "record_id": ("Deal - ID",), "title": ("Deal - Title",), "amount": ("Deal - Value",),
        "currency": ("Deal - Currency of value", "Deal - Currency"), "stage_group": ("Deal - Status",),
        "stage": ("Deal - Stage",), "pipeline": ("Deal - Pipeline",), "owner": ("Deal - Owner",),
        "created_by": ("Deal - Creator",), "created_at": ("Deal - Deal created", "Deal - Add time"),
        "modified_at": ("Deal - Update time", "Deal - Last stage change"),
        "closed_at": ("Deal - Deal closed on", "Deal - Won time", "Deal - Lost time", "Deal - Close time"),
        "expected_close_at": ("Deal - Expected close date",), "loss_reason": ("Deal - Lost reason",),
        "probability": ("Deal - Probability",), "company_name": ("Deal - Organization", "Organization - Name"),
        "contact_name": ("Deal - Contact person", "Person - Name"), "source": ("Deal - Source", "Deal - Source channel"),
        "product": ("Deal - Product name", "Deal - Products"), "phone": _PERSON_PHONES, "email": _PERSON_EMAILS,
    },
    multi=("phone", "email", "closed_at"),
    required=("title",),
    bonus=_prefix_bonus("deal - "),
)

PERSONS = Profile(
    system=SYSTEM, entity="contacts",
    markers=("Person - ID", "Person - Name", "Person - First name", "Person - Last name", "Person - Organization",
             "Person - Owner", "Person - Email - Work", "Person - Phone - Work"),
    fields={
        "record_id": ("Person - ID",), "full_name": ("Person - Name",), "first_name": ("Person - First name",),
        "last_name": ("Person - Last name",), "company_name": ("Person - Organization", "Organization - Name"),
        "phone": _PERSON_PHONES, "email": _PERSON_EMAILS, "owner": ("Person - Owner",),
        "created_at": ("Person - Person created", "Person - Add time"), "modified_at": ("Person - Update time",),
        "position": ("Person - Job title",), "source": ("Person - Source", "Person - Source channel"),
        "birth_date": ("Person - Birthday",), "address": ("Person - Postal address",),
        "postcode": ("Person - ZIP/Postal code of Postal address",),
    },
    required=("full_name",),
    bonus=_prefix_bonus("person - ", "deal - "),
)

ORGANIZATIONS = Profile(
    system=SYSTEM, entity="companies",
    markers=("Organization - ID", "Organization - Name", "Organization - Owner", "Organization - Address",
             "Organization - Organization created", "Organization - People"),
    fields={
        "record_id": ("Organization - ID",), "name": ("Organization - Name",), "owner": ("Organization - Owner",),
        "address": ("Organization - Address", "Organization - Full/combined address of Address"),
        "postcode": ("Organization - ZIP/Postal code of Address",),
        "city": ("Organization - City/town/village/locality of Address",),
        "created_at": ("Organization - Organization created", "Organization - Add time"),
        "modified_at": ("Organization - Update time",), "website": ("Organization - Website", "Organization - Web"),
        "industry": ("Organization - Industry",), "employees": ("Organization - Number of employees",),
        "revenue": ("Organization - Annual revenue",), "phone": ("Organization - Phone",),
    },
    patterns=COMPANY_PATTERNS,
    required=("name",),
    bonus=_prefix_bonus("organization - ", "deal - ", "person - "),
)

PROFILES = (DEALS, PERSONS, ORGANIZATIONS)
