"""What travels between a rep's file and the team server: events and the leads they
are about, named by ids that mean the same on every machine (an event's UUID, a
lead's uid), never by a file's own row numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from leadtui.core.models import MOST_EMPLOYEES, MOST_REVENUE, EventKind, Rep

MAX_BATCH = 500  # events in one push


def _iso_text(value: object) -> datetime:
    """A time on the wire is ISO 8601 text (or already a time); a bare number is
    refused rather than read as seconds, as the contract says."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = datetime.fromisoformat(value)
    else:
        raise ValueError("a time is ISO 8601 text, such as 2026-11-17T16:40:00Z")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


Moment = Annotated[datetime, BeforeValidator(_iso_text)]


def _number(value: object) -> object:
    """A number is a JSON number: "5" or true is not taken for 5; 5.0 is 5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a number is expected")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _plain_text(value: str) -> str:
    """Text as it can be stored: a lone UTF-16 surrogate (valid in JSON, not in UTF-8)
    becomes U+FFFD, the replacement character; a NUL character (which PostgreSQL's
    text cannot hold) is refused."""
    if "\x00" in value:
        raise ValueError("text may not hold a NUL character (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


BIG = 10**12  # beyond any count or score a lead can have
Count = Annotated[int, Field(ge=-BIG, le=BIG), BeforeValidator(_number)]
Employees = Annotated[int, Field(ge=0, le=MOST_EMPLOYEES), BeforeValidator(_number)]
Amount = Annotated[float, Field(ge=0, le=MOST_REVENUE), BeforeValidator(_number)]
_NO_NUL = {"pattern": "^[^\\u0000]*$"}  # documented; _plain_text says it in words
_PLAIN = AfterValidator(_plain_text)
Text = Annotated[str, _PLAIN, Field(max_length=1000, json_schema_extra=_NO_NUL)]
Key = Annotated[str, _PLAIN, Field(min_length=1, max_length=64, json_schema_extra=_NO_NUL)]
# Another system's id for the lead: short enough (in bytes, too) for a unique index.
ExternalId = Annotated[str, _PLAIN, Field(max_length=200, json_schema_extra=_NO_NUL)]
# A UUID in its canonical form (8-4-4-4-12 hexadecimal digits, in either case), as
# every part of the product writes one; kept as sent, since it is the client's key.
EventId = Annotated[str, Field(pattern="^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$")]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WireEvent(_Wire):
    id: EventId = Field(description="the event's UUID")
    lead: Key = Field(description="the lead's uid")
    kind: EventKind
    actor: Key
    at: Moment
    payload: dict[str, Any] = Field(default_factory=dict)


class WireLead(_Wire):
    """A lead's identity and contact fields; its stage and owner follow from events."""

    uid: Key
    external_id: ExternalId | None = None
    name: Text | None = None
    title: Text | None = None
    company: Text | None = None
    email: Text | None = None
    phone: Text | None = None
    website: Text | None = None
    city: Text | None = None
    region: Text | None = None
    country: Text | None = None
    employees: Employees | None = None
    revenue: Amount | None = None
    industry: Text | None = None
    source: Text | None = None
    created_at: Moment
    score: Count = 0
    fit: Count = 0
    engagement: Count = 0

    @classmethod
    def kept(cls, values: dict[str, Any]) -> WireLead:
        """A lead's card from a file's row: a figure an older version let in beyond
        today's bounds (employees, revenue) travels as unknown, not as a failed feed."""
        employees, revenue = values.get("employees"), values.get("revenue")
        if employees is not None and not 0 <= employees <= MOST_EMPLOYEES:
            values = values | {"employees": None}
        if revenue is not None and not 0 <= revenue <= MOST_REVENUE:  # NaN is not, either
            values = values | {"revenue": None}
        return cls.model_validate(values)


class Push(_Wire):
    events: list[WireEvent] = Field(max_length=MAX_BATCH)


class Refusal(_Wire):
    id: str
    lead: str
    reason: str  # one sentence for the rep
    holder: str | None = None  # who holds the lead, when that is why


class Pushed(_Wire):
    """Each pushed event, accepted now, already there (a retry), or refused."""

    accepted: list[str] = Field(default_factory=list)
    duplicates: list[str] = Field(default_factory=list)
    refused: list[Refusal] = Field(default_factory=list)


class Feed(_Wire):
    """The changes after a cursor: events in the server's order, the leads they are
    about, the team (events name reps), and the cursor to ask from next."""

    events: list[WireEvent]
    leads: list[WireLead]
    reps: list[Rep]
    next: Count
    more: bool


class Claim(_Wire):
    version: Annotated[
        int,
        Field(ge=0, le=BIG, description="the lead's version as the claimer saw it"),
        BeforeValidator(_number),
    ]


class HandOff(WireLead):
    """A lead marketing sends to sales: its card, and when it was handed over (none:
    just keep the card up to date)."""

    mql_at: Moment | None = None

    def card(self) -> WireLead:
        """The lead's card as it is kept (a blank external id is none)."""
        values = self.model_dump(exclude={"mql_at"})
        values["external_id"] = values["external_id"] or None
        return WireLead.model_validate(values)

    def clash(self, holder: str | None) -> str | None:
        """Why the card cannot be kept when lead `holder` has its external id already."""
        if holder is None or holder == self.uid:
            return None
        return f"external id {self.external_id!r} is lead {holder}'s"


class HandOffs(_Wire):
    leads: list[HandOff] = Field(max_length=MAX_BATCH)


class HandedOff(_Wire):
    added: Count
    updated: Count
    handed: Count  # became MQLs now
