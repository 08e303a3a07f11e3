"""The CRMs' own CSV exports: the headers HubSpot and Salesforce write, how a file is
recognised as one of them, and what their stage and status columns mean here.

Headers are compared normalised (columns.normalise: case, punctuation and spacing
aside), so "Country/Region" is "country region" and `hs_lead_status` is "hs lead
status". Each CRM's map adds to the common headers (columns.LEAD_HEADERS); both the
labels of a view's export and the internal names some exports write are known.
"""

from __future__ import annotations

from dataclasses import dataclass

from leadtui.core.models import Stage
from leadtui.importing.columns import LEAD_HEADERS, normalise

# Fields that say where a lead stands in the CRM and who holds it there; read by
# `where_it_stands` and the owner's match to a rep, never kept on the lead as they are.
STANDING_FIELDS = {"owner", "lifecycle_stage", "lead_status", "converted"}


@dataclass(frozen=True)
class Export:
    """One CRM's export: its name (for --crm), what the summary calls it, the fields
    its headers fill, and the headers only it writes (how a file is told to be one)."""

    name: str
    called: str
    headers: dict[str, str]
    marks: frozenset[str]


def _known(pairs: dict[str, str]) -> dict[str, str]:
    return LEAD_HEADERS | {normalise(header): name for header, name in pairs.items()}


HUBSPOT = Export(
    name="hubspot",
    called="a HubSpot contacts export",
    headers=_known(
        {
            # A view's export and "all properties" write the properties' labels.
            "Record ID": "external_id",
            "Contact ID": "external_id",
            "Email": "email",
            "Phone Number": "phone",
            "Mobile Phone Number": "phone",
            "Job Title": "title",
            "Company Name": "company",
            "Website URL": "website",
            "City": "city",
            "State/Region": "region",
            "Country/Region": "country",
            "Number of Employees": "employees",
            "Annual Revenue": "revenue",
            "Industry": "industry",
            "Original Source": "source",
            "Create Date": "created_at",
            "Became a Marketing Qualified Lead Date": "mql_at",
            "Contact owner": "owner",
            "Lifecycle Stage": "lifecycle_stage",
            "Lead Status": "lead_status",
            # Some exports (and the API) write the internal names instead.
            "hs_object_id": "external_id",
            "firstname": "first_name",
            "lastname": "last_name",
            "jobtitle": "title",
            "mobilephone": "phone",
            "numemployees": "employees",
            "annualrevenue": "revenue",
            "hs_analytics_source": "source",
            "createdate": "created_at",
            "hs_lifecyclestage_marketingqualifiedlead_date": "mql_at",
            "hubspot_owner_id": "owner",
            "lifecyclestage": "lifecycle_stage",
            "hs_lead_status": "lead_status",
        }
    ),
    marks=frozenset(
        normalise(header)
        for header in (
            "Record ID",
            "Contact ID",
            "Lifecycle Stage",
            "Contact owner",
            "Became a Marketing Qualified Lead Date",
            "Original Source",
            "Country/Region",
            "Website URL",
            "State/Region",
            "HubSpot Score",
            "Marketing contact status",
            "hs_object_id",
            "lifecyclestage",
            "hs_lead_status",
            "hubspot_owner_id",
            "hs_analytics_source",
        )
    ),
)

SALESFORCE = Export(
    name="salesforce",
    called="a Salesforce leads report",
    headers=_known(
        {
            # A report's export writes the fields' labels.
            "Lead ID": "external_id",
            "Title": "title",
            "Company": "company",
            "Company / Account": "company",
            "Mobile": "phone",
            "Lead Source": "source",
            "Lead Status": "lead_status",
            "No. of Employees": "employees",
            "Created Date": "created_at",
            "Lead Owner": "owner",
            "Owner Email": "owner",
            "State/Province": "region",
            "Converted": "converted",
            # Data Loader writes the API names.
            "Id": "external_id",
            "FirstName": "first_name",
            "LastName": "last_name",
            "MobilePhone": "phone",
            "LeadSource": "source",
            "Status": "lead_status",
            "NumberOfEmployees": "employees",
            "AnnualRevenue": "revenue",
            "CreatedDate": "created_at",
            "OwnerId": "owner",
            "IsConverted": "converted",
        }
    ),
    marks=frozenset(
        normalise(header)
        for header in (  # not Lead ID nor State/Province: other tools write them too
            "Lead Owner",
            "Lead Status",
            "Rating",
            "No. of Employees",
            "Company / Account",
            "Converted",
            "LeadSource",
            "OwnerId",
            "IsConverted",
            "NumberOfEmployees",
            "SystemModstamp",
        )
    ),
)

EXPORTS = {export.name: export for export in (HUBSPOT, SALESFORCE)}
NAMES = (*EXPORTS, "none")


def recognised(header: list[str]) -> Export | None:
    """The CRM whose export this header row is: the one that writes most of its
    headers only it writes (at least two, so one odd column is no CRM)."""
    columns = {normalise(name) for name in header}
    found = sorted(
        ((len(columns & export.marks), export.name) for export in EXPORTS.values()),
        reverse=True,
    )
    count, name = found[0]
    if count < 2 or count == found[1][0]:
        return None
    return EXPORTS[name]


# HubSpot's lifecycle stages past the hand-over (label or internal value, normalised);
# an MQL is handed to sales here, and its lead status says how far; any other stage
# (subscriber, lead, other, one the account made up) is marketing's.
_PAST_HAND_OVER = {
    "sales qualified lead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
}
_MQL = {"marketing qualified lead", "marketingqualifiedlead", "mql"}

# Lead statuses, HubSpot's (hs_lead_status) and Salesforce's (the default picklists,
# old and new), normalised, and the stage each means for a lead with sales.
_STATUSES: dict[str, Stage | None] = {
    "new": Stage.MQL,
    "open": Stage.MQL,
    "open not contacted": Stage.MQL,
    "in progress": Stage.WORKING,
    "attempted to contact": Stage.WORKING,
    "connected": Stage.WORKING,
    "working": Stage.WORKING,
    "working contacted": Stage.WORKING,
    "contacted": Stage.WORKING,
    "open deal": Stage.QUALIFIED,
    "qualified": Stage.QUALIFIED,
    "converted": Stage.QUALIFIED,
    "closed converted": Stage.QUALIFIED,
    "unqualified": Stage.DISQUALIFIED,
    "disqualified": Stage.DISQUALIFIED,
    "closed not converted": Stage.DISQUALIFIED,
    "bad timing": Stage.RETURNED_TO_NURTURE,
    "nurturing": None,  # back with marketing: not sales' to work
    "nurture": None,
}
_YES = {"1", "true", "yes", "y", "x"}


def where_it_stands(
    lifecycle: str | None, status: str | None, converted: str | None
) -> Stage | None:
    """Where a lead stands with sales by the CRM's word, or None: still marketing's (or
    the file does not say). A lifecycle stage (HubSpot's) decides whether the lead was
    handed over at all; the lead status then says how far sales took it. Without a
    lifecycle stage (Salesforce keeps leads with sales), the status alone decides; a
    status the table does not know is a lead sales has not touched yet."""
    if converted is not None and normalise(converted) in _YES:
        return Stage.QUALIFIED
    told = normalise(status or "")
    if lifecycle is not None and (stage := normalise(lifecycle)):
        if stage in _PAST_HAND_OVER:
            return Stage.QUALIFIED
        if stage not in _MQL:
            return None  # marketing's (or a stage the account made up): not handed over
        return _STATUSES.get(told, Stage.MQL) if told else Stage.MQL
    if not told:
        return None
    return _STATUSES.get(told, Stage.MQL)
