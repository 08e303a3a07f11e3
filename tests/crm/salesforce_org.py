"""A realistic Salesforce org for the tests: three dozen Leads at the MQL status, a dozen
still open with marketing, two converted, and the team's users; and a connector to it."""

from __future__ import annotations

from typing import Any

from leadtui.crm.salesforce import Salesforce, SalesforceHttp
from tests.crm.conftest import PEOPLE, Waits
from tests.crm.fake_salesforce import FakeSalesforce

CLIENT_ID = "3MVG9fake.consumer.key"
SECRET = "fake-consumer-secret"
DANA = "0055g00000DanaWAAA"
SIZES = {"500-1000": 650, "1000+": 1200, "100-500": 240, "250": 250, "2,500": 2500, "25-50": 30}


def lead_fields(n: int) -> dict[str, Any]:
    first, last, title, company, domain, size = PEOPLE[n % len(PEOPLE)]
    return {
        "FirstName": first,
        "LastName": f"{last}{'' if n < len(PEOPLE) else f' {n}'}",
        "Email": f"{first.lower()}.{n}@{domain}",
        "Phone": f"(312) 555-{n:04d}",
        "Title": title,
        "Company": company,
        "Website": f"www.{domain}",
        "City": "Chicago",
        "State": "IL",
        "Country": "USA",
        "NumberOfEmployees": SIZES[size],
        "AnnualRevenue": 20_000_000.0 + n * 1_000_000,
        "Industry": "Manufacturing",
        "LeadSource": "Web" if n % 2 else "Trade Show",
        "Rating": ("Hot", "Warm", "Cold")[n % 3],
        "Status": "MQL",
        "OwnerId": DANA if n % 3 == 0 else "00G5g00000SdrQueue",  # a queue: no rep
    }


def fill(fake: FakeSalesforce, handed: int = 36, with_marketing: int = 12) -> list[str]:
    """The org's Leads; returns the ids of those handed to sales (status MQL)."""
    fake.add_user(DANA, "Dana Whitfield", "dana.whitfield@example.com")
    fake.add_user("0055g00000PriyaAAA", "Priya Nair", "priya@example.com")  # not a rep
    ids = []
    for n in range(handed + with_marketing):
        fields = lead_fields(n)
        if n >= handed:
            fields["Status"] = "Open - Not Contacted"
        lead = fake.add_lead(**fields)
        if n < handed:
            ids.append(lead)
    for n in range(2):  # converted by an AE: no longer a lead to work
        fake.add_lead(**lead_fields(90 + n) | {"IsConverted": True, "Status": "Closed - Converted"})
    return ids


def connector(url: str, secret: str = SECRET, **options: Any) -> Salesforce:
    http_options = {
        key: options.pop(key) for key in ("timeout", "attempts", "sleep") if key in options
    }
    http = SalesforceHttp(
        url, CLIENT_ID, secret, backoff=0.0, **({"sleep": Waits()} | http_options)
    )
    return Salesforce(http, **options)
