"""The nouns of the funnel: leads, marketing activities, events, reps."""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Stage(StrEnum):
    """Where a lead sits in the funnel."""

    NURTURING = "nurturing"  # marketing's: not (yet) sales-ready
    MQL = "mql"  # handed to sales, nobody has claimed it
    WORKING = "working"  # a rep claimed it and is attempting contact
    ACCEPTED = "accepted"  # sales-accepted lead (SAL)
    QUALIFIED = "qualified"  # sales-qualified lead (SQL)
    RETURNED_TO_NURTURE = "returned_to_nurture"
    DISQUALIFIED = "disqualified"
    WON = "won"
    LOST = "lost"

    @property
    def is_open(self) -> bool:
        """True while sales still owes the lead work."""
        return self in OPEN_STAGES


OPEN_STAGES = frozenset({Stage.MQL, Stage.WORKING, Stage.ACCEPTED})

# The most characters a note, a reason or any other text an event carries may hold:
# a long call summary fits, and a batch of such events still travels in one push.
NOTE_MAX = 4000


class EventKind(StrEnum):
    """Everything a person or the system can do to a lead."""

    BECAME_MQL = "became_mql"
    CLAIMED = "claimed"
    ATTEMPT = "attempt"
    ACCEPTED = "accepted"
    QUALIFIED = "qualified"
    RETURNED_TO_NURTURE = "returned_to_nurture"
    DISQUALIFIED = "disqualified"
    SNOOZED = "snoozed"
    REASSIGNED = "reassigned"
    RESCORED = "rescored"
    CLOSED = "closed"
    UNDONE = "undone"  # a compensating event: payload names the event it takes back


class Channel(StrEnum):
    CALL = "call"
    EMAIL = "email"


class AttemptOutcome(StrEnum):
    """What came of one call or email."""

    CONNECTED = "connected"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    GATEKEEPER = "gatekeeper"
    SENT = "sent"
    REPLIED = "replied"
    BOUNCED = "bounced"

    @property
    def is_connect(self) -> bool:
        """A two-way conversation happened: this meets the first-touch SLA."""
        return self in (AttemptOutcome.CONNECTED, AttemptOutcome.REPLIED)


CALL_OUTCOMES = frozenset(
    {
        AttemptOutcome.CONNECTED,
        AttemptOutcome.VOICEMAIL,
        AttemptOutcome.NO_ANSWER,
        AttemptOutcome.WRONG_NUMBER,
        AttemptOutcome.GATEKEEPER,
    }
)
EMAIL_OUTCOMES = frozenset({AttemptOutcome.SENT, AttemptOutcome.REPLIED, AttemptOutcome.BOUNCED})


class Role(StrEnum):
    REP = "rep"
    LEAD = "lead"  # an SDR team lead: sees and reassigns everything


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are refused, not guessed at."""
    if moment.tzinfo is None:
        raise ValueError("a time without a time zone is ambiguous")
    return moment.astimezone(UTC)


class Rep(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str
    team: str = ""
    role: Role = Role.REP
    capacity: int = Field(default=40, ge=0)
    time_zone: str = "UTC"


# Who a lead is and how to reach them: what a source may say about a lead, and what
# travels on the lead's card between the team server and the reps' files.
CONTACT_FIELDS = (
    "external_id",
    "name",
    "title",
    "company",
    "email",
    "phone",
    "website",
    "city",
    "region",
    "country",
    "employees",
    "revenue",
    "industry",
    "source",
)

PROJECTION_TIMES = (
    "mql_at",
    "claimed_at",
    "first_touch_at",
    "first_connect_at",
    "last_attempt_at",
    "snoozed_until",
    "stage_changed_at",
    "closed_at",
    "marketing_qualified_at",
    "accepted_at",
    "qualified_at",
)


class Projection(BaseModel):
    """What a lead's events add up to: stage, owner, score, attempts, version."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    stage: Stage = Stage.NURTURING
    owner: str | None = None
    score: int = 0
    fit: int = 0
    engagement: int = 0
    mql_at: datetime | None = None
    claimed_at: datetime | None = None
    first_touch_at: datetime | None = None
    first_connect_at: datetime | None = None
    last_attempt_at: datetime | None = None
    calls: int = 0
    emails: int = 0
    snoozed_until: datetime | None = None
    stage_changed_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = 0
    # Since the latest hand-off: its score, when marketing found the lead ready (when
    # known), and when sales accepted and qualified it. The team lead's reports read these.
    mql_score: int | None = None
    marketing_qualified_at: datetime | None = None
    accepted_at: datetime | None = None
    qualified_at: datetime | None = None

    @field_validator(*PROJECTION_TIMES)
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else utc(value)


PROJECTION_FIELDS = tuple(Projection.model_fields)


# The firmographics a lead may come in with, checked where numbers enter (a CSV file,
# the team server): the largest employers have about two million people, and 10^15
# (a thousand trillion, in the file's currency) is beyond any company's revenue.
MOST_EMPLOYEES = 10_000_000
MOST_REVENUE = 10**15


class Lead(Projection):
    """A person marketing collected, with the projection of everything done to them."""

    model_config = ConfigDict(frozen=False, defer_build=True)

    id: int | None = None
    uid: str = Field(default_factory=lambda: str(uuid.uuid4()))
    external_id: str | None = None
    name: str = ""
    title: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    city: str = ""
    region: str = ""
    country: str = ""
    employees: int | None = Field(default=None, ge=0)
    revenue: float | None = Field(default=None, ge=0)
    industry: str = ""
    source: str = ""
    created_at: datetime
    custom: dict[str, str] = Field(default_factory=dict)

    @field_validator("created_at")
    @classmethod
    def _created_in_utc(cls, value: datetime) -> datetime:
        return utc(value)

    @field_validator("revenue", mode="before")
    @classmethod
    def _revenue_known(cls, value: object) -> object:
        """An older version could keep a revenue of infinity (from 400 nines): no known
        revenue, so no JSON or spreadsheet ever reads Infinity or NaN."""
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value

    @property
    def projection(self) -> Projection:
        return Projection(**{name: getattr(self, name) for name in PROJECTION_FIELDS})


class Activity(BaseModel):
    """One piece of marketing behaviour: a page visit, a webinar, a download."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    lead_id: int
    kind: str = Field(min_length=1)
    at: datetime
    detail: str = ""

    @field_validator("at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return utc(value)


def new_event_id() -> str:
    return str(uuid.uuid4())


def new_uids(count: int) -> Iterator[str]:
    """`count` random (version 4) UUIDs in their canonical text, from one read of the
    system's randomness: a bulk import's new leads need one each, and uuid4() one at a
    time costs more than checking the row."""
    random = bytearray(os.urandom(16 * count))
    for start in range(0, len(random), 16):
        random[start + 6] = (random[start + 6] & 0x0F) | 0x40  # version 4
        random[start + 8] = (random[start + 8] & 0x3F) | 0x80  # the RFC 4122 variant
        text = random[start : start + 16].hex()
        yield f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class Event(BaseModel):
    """One entry of the append-only log; its id doubles as the sync idempotency key."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str = Field(default_factory=new_event_id)
    lead_id: int | None
    kind: EventKind
    actor: str
    at: datetime
    payload: dict[str, Any] = Field(default_factory=dict)
    synced_at: datetime | None = None

    @field_validator("at", "synced_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else utc(value)
