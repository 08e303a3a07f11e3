"""Demo leads and their marketing behaviour, drawn from one seeded random stream."""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from leadtui.demo import words

DAY = 86_400


def _weighted(table: dict[str, Any]) -> tuple[list[str], list[float]]:
    names = list(table)
    weights = [float(v[0] if isinstance(v, tuple) else v) for v in table.values()]
    return names, list(_cumulative(weights))


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_COUNTRIES = _weighted(words.COUNTRIES)
_INDUSTRIES = _weighted(words.INDUSTRIES)
_SENIORITY = _weighted(words.SENIORITY)
_FUNCTIONS = _weighted(words.FUNCTIONS)
_SOURCES = _weighted(words.SOURCES)
_ACTIVITIES = _weighted(words.ACTIVITIES)
_SIZES = (
    [band[1:] for band in words.COMPANY_SIZES],
    _cumulative([float(band[0]) for band in words.COMPANY_SIZES]),
)
# What each activity was about; a campaign or a report is named for the month or the
# year of the activity itself ({month}, {year}, in the team's time zone).
_DETAILS = {
    "product_page": ("/platform", "/integrations", "/platform/queue", "/security"),
    "pricing_page": ("/pricing", "/pricing#enterprise"),
    "roi_calculator": ("/roi-calculator",),
    "demo_request": ("demo form",),
    "content_download": ("State of Sales Ops {year}", "SLA playbook", "Lead scoring guide"),
    "webinar_registered": ("Speed to lead, live", "Fixing the MQL hand-off"),
    "webinar_attended": ("Speed to lead, live", "Fixing the MQL hand-off"),
    "email_click": ("{month} newsletter", "Webinar invitation", "Case study: Atlas"),
}


class DemoLead(NamedTuple):
    """A demo lead as drawn: who it is, in plain values (a Lead's fields of the same
    names), light because there may be a million."""

    id: int
    uid: str
    external_id: str
    name: str
    title: str
    company: str
    email: str
    phone: str
    website: str
    city: str
    region: str
    country: str
    employees: int
    revenue: float
    industry: str
    source: str
    created_at: datetime
    custom: dict[str, str] | None = None  # none: the demo keeps no other columns


class Seen(NamedTuple):
    """One marketing activity of a demo lead; light, because there are millions."""

    lead_id: int
    kind: str
    at: datetime
    detail: str


@dataclass
class Drawn:
    """A lead as drawn, with what the demo knows but the product cannot: its true intent."""

    lead: DemoLead
    activities: list[Seen]
    intent: float  # how likely this lead is to buy, before anyone calls
    seniority: str


def pick(rng: random.Random, choices: tuple[Sequence[Any], list[float]]) -> Any:
    """One of the names by their weights: what rng.choices(names, cum_weights=...)[0]
    draws, from the same one random number, without its lists."""
    names, cumulative = choices
    return names[bisect(cumulative, rng.random() * (cumulative[-1] + 0.0), 0, len(names) - 1)]


def draw_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def draw_lead(rng: random.Random, lead_id: int, now: datetime, zone: tzinfo = UTC) -> Drawn:
    country = str(pick(rng, _COUNTRIES))
    _, legal, tld, dial, places = words.COUNTRIES[country]
    industry = str(pick(rng, _INDUSTRIES))
    seniority = str(pick(rng, _SENIORITY))
    _, patterns, buying = words.SENIORITY[seniority]
    function = str(pick(rng, _FUNCTIONS))
    title = rng.choice(patterns).format(f=function)
    low, high = pick(rng, _SIZES)
    employees = int(math.exp(rng.uniform(math.log(low), math.log(high))))
    revenue = round(employees * rng.uniform(90_000, 320_000), -4)
    first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
    brand = f"{rng.choice(words.COMPANY_FIRST)} {rng.choice(words.COMPANY_SECOND[industry])}"
    if rng.random() < 0.01:
        brand = rng.choice(words.COMPETITORS)
    domain = f"{brand.lower().replace(' ', '')}{tld}"
    city, region = rng.choice(places)
    source = str(pick(rng, _SOURCES))
    warmth = words.SOURCES[source][2]

    local = f"{first}.{last}".lower().replace("ü", "ue").replace("'", "")
    email = f"{local}@{domain}"
    if rng.random() < 0.07 or seniority == "student":
        email = f"{local}{rng.randint(1, 99)}@{rng.choice(words.FREE_MAIL)}"
    phone = f"{dial} {rng.randint(200, 989)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    roll = rng.random()
    if roll < 0.08:
        phone = ""
    elif roll < 0.10:
        phone = rng.choice(("n/a", "123", "call me"))
    website = "" if rng.random() < 0.03 else f"https://www.{domain}"
    created_at = (now - timedelta(seconds=rng.uniform(2 * 3600, 180 * DAY))).replace(microsecond=0)

    size_factor = 1.4 if employees >= 1000 else 1.0 if employees >= 100 else 0.4
    industry_factor = 1.3 if industry in ("Manufacturing", "Logistics", "Healthcare") else 0.8
    intent = buying * size_factor * industry_factor * warmth * rng.lognormvariate(0, 0.5)
    lead = DemoLead(
        id=lead_id,
        uid=draw_uuid(rng),
        external_id=f"M-{lead_id:07d}",
        name=f"{first} {last}",
        title=title,
        company=f"{brand} {legal}",
        email=email,
        phone=phone,
        website=website,
        city=city,
        region=region,
        country=country,
        employees=employees,
        revenue=revenue,
        industry=industry,
        source=source,
        created_at=created_at,
    )
    activities = _behaviour(rng, lead_id, source, intent, created_at, now, zone)
    return Drawn(lead, activities, intent, seniority)


def _behaviour(
    rng: random.Random,
    lead_id: int,
    source: str,
    intent: float,
    created_at: datetime,
    now: datetime,
    zone: tzinfo,
) -> list[Seen]:
    """Marketing activity after the lead was created; keener leads do more, and deeper."""
    span = (now - created_at).total_seconds()
    found: list[Seen] = []
    first_kind = words.SOURCES[source][1]
    if first_kind is not None:
        found.append(_activity(lead_id, first_kind, created_at, zone))
    count = min(int(rng.expovariate(1 / (2 + 3.5 * intent))), 16)
    # A burst: a few keen leads came back in the last days, which is what makes an MQL today.
    burst = rng.random() < 0.06 * intent
    for _ in range(count):
        kind = str(pick(rng, _ACTIVITIES))
        if words.ACTIVITIES[kind][1] == 3 and rng.random() > min(0.25 * intent, 0.9):
            kind = "email_click" if rng.random() < 0.5 else "product_page"
        if burst and rng.random() < 0.6:
            offset = span - rng.uniform(0, min(span, 3 * DAY))
        else:
            offset = span * (1 - rng.random() ** 1.6)
        at = created_at + timedelta(seconds=offset)
        found.append(_activity(lead_id, kind, at, zone, rng))
    if rng.random() < 0.02:
        halfway = created_at + timedelta(seconds=span / 2)
        found.append(_activity(lead_id, "unsubscribed", halfway, zone))
    found.sort(key=lambda activity: activity.at)
    return found


def _activity(
    lead_id: int, kind: str, at: datetime, zone: tzinfo, rng: random.Random | None = None
) -> Seen:
    details = _DETAILS.get(kind, ("",))
    detail = details[0] if rng is None else rng.choice(details)
    if "{" in detail:  # few are named for a date: the rest skip the time zone's work
        local = at.astimezone(zone)
        detail = detail.format(month=f"{local:%B}", year=local.year)
    # Whole seconds, as the database keeps them, so a rescoring run agrees to the point.
    return Seen(lead_id, kind, at.replace(microsecond=0), detail)
