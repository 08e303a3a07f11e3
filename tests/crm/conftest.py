"""A fake HubSpot on 127.0.0.1 on a free port, holding a realistic account: three dozen
contacts handed to sales, a dozen still with marketing, and the team's owners."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import Rep
from leadtui.crm.hubspot import HubSpot, HubSpotHttp
from leadtui.crm.rounds import CrmRounds
from leadtui.store import Store
from tests.crm.fake_hubspot import FakeHubSpot
from tests.sync.servers import serve_in_thread

PEOPLE = [
    ("Ines", "Martin", "VP of IT", "Granite Precision Inc.", "graniteprecision.com", "500-1000"),
    ("Omar", "Haddad", "Director of IT", "Lakeshore Foundry", "lakeshorefoundry.com", "1000+"),
    ("Greta", "Lindqvist", "IT Manager", "Nordvik Tooling AB", "nordvik.se", "100-500"),
    ("Tomás", "Ortega", "Head of Operations", "Cobre Industrial", "cobre-ind.mx", "250"),
    ("Aiko", "Tanaka", "VP Engineering", "Kansai Motion Ltd", "kansaimotion.jp", "2,500"),
    ("Liam", "O'Brien", "IT Specialist", "Shannon Plastics", "shannonplastics.ie", "25-50"),
]


def contact_properties(n: int) -> dict[str, str]:
    first, last, title, company, domain, size = PEOPLE[n % len(PEOPLE)]
    return {
        "firstname": first,
        "lastname": f"{last}{'' if n < len(PEOPLE) else f' {n}'}",
        "email": f"{first.lower()}.{n}@{domain}",
        "phone": f"+1 312 555 {n:04d}",
        "jobtitle": title,
        "company": company,
        "website": f"https://www.{domain}",
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
        "numemployees": size,
        "annualrevenue": str(20_000_000 + n * 1_000_000),
        "industry": "MANUFACTURING",
        "hs_analytics_source": "ORGANIC_SEARCH" if n % 2 else "PAID_SOCIAL",
        "hs_analytics_num_page_views": str(3 + n),
        "hs_analytics_num_visits": str(1 + n % 4),
        "num_conversion_events": str(n % 3),
        "recent_conversion_event_name": "Pricing page: talk to sales",
        "lifecyclestage": "marketingqualifiedlead",
        "hs_lead_status": "NEW",
        "hs_lifecyclestage_marketingqualifiedlead_date": "2026-11-16T14:05:00.000Z",
        "hubspot_owner_id": "71001" if n % 3 == 0 else "",
    }


def fill(fake: FakeHubSpot, handed: int = 36, with_marketing: int = 12) -> list[str]:
    """The account's contacts; returns the ids of those handed to sales."""
    fake.add_owner("71001", "Dana", "Whitfield", "dana.whitfield@example.com")
    fake.add_owner("71002", "Priya", "Nair", "priya@example.com")  # not a rep here
    ids = []
    for n in range(handed + with_marketing):
        properties = contact_properties(n)
        if n >= handed:
            properties["lifecyclestage"] = "lead"
        contact = fake.add_contact(**properties)
        if n < handed:
            ids.append(contact)
    return ids


class Running:
    def __init__(self, fake: FakeHubSpot, url: str, stop: Any) -> None:
        self.fake = fake
        self.url = url
        self.stop = stop


@pytest.fixture
def hubspot() -> Iterator[Running]:
    fake = FakeHubSpot()
    url, server, thread = serve_in_thread(fake.app)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    yield Running(fake, url, stop)
    stop()


class Waits(list[float]):
    """The waits asked for (recorded, not slept: a test never waits ten seconds)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def connector(url: str, token: str = "pat-na1-fake", **options: Any) -> HubSpot:
    http_options = {
        key: options.pop(key) for key in ("timeout", "attempts", "sleep") if key in options
    }
    http = HubSpotHttp(url, token, backoff=0.0, **({"sleep": Waits()} | http_options))
    return HubSpot(http, **options)


@pytest.fixture
def team_file(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "team.db") as store:
        store.save_rep(Rep(id="dana", name="Dana Whitfield"))
        store.save_rep(Rep(id="marcus", name="Marcus Lee"))
        yield store


def rounds(store: Store, hub: HubSpot, terms: Agreement) -> CrmRounds:
    from datetime import timedelta

    return CrmRounds(store, hub, terms, settle=timedelta(0))


@pytest.fixture
def salesforce() -> Iterator[Running]:
    from tests.crm.fake_salesforce import FakeSalesforce

    fake = FakeSalesforce(batch=10)  # small batches, so every pull pages
    url, server, thread = serve_in_thread(fake.app)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    yield Running(fake, url, stop)  # type: ignore[arg-type]
    stop()
