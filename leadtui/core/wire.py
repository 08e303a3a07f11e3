"""What travels between a rep's file and the team server: events and the leads they
are about, named by ids that mean the same on every machine (an event's UUID, a
lead's uid), never by a file's own row numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from leadtui.core.models import EventKind, Rep

MAX_BATCH = 500  # events in one push


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WireEvent(_Wire):
    id: str = Field(min_length=8, max_length=64, description="the event's UUID")
    lead: str = Field(min_length=1, max_length=64, description="the lead's uid")
    kind: EventKind
    actor: str = Field(min_length=1, max_length=64)
    at: datetime
    payload: dict[str, Any] = Field(default_factory=dict)


class WireLead(_Wire):
    """A lead's identity and contact fields; its stage and owner follow from events."""

    uid: str = Field(min_length=1, max_length=64)
    external_id: str | None = None
    name: str | None = None
    title: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    employees: int | None = None
    revenue: float | None = None
    industry: str | None = None
    source: str | None = None
    created_at: datetime
    score: int = 0
    fit: int = 0
    engagement: int = 0


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
    next: int
    more: bool


class Claim(_Wire):
    version: int = Field(ge=0, description="the lead's version as the claimer saw it")


class HandOff(WireLead):
    """A lead marketing sends to sales: its card, and when it was handed over (none:
    just keep the card up to date)."""

    mql_at: datetime | None = None


class HandOffs(_Wire):
    leads: list[HandOff] = Field(max_length=MAX_BATCH)


class HandedOff(_Wire):
    added: int
    updated: int
    handed: int  # became MQLs now
