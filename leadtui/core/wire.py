"""What travels between a rep's file and the team server: events and the leads they
are about, named by ids that mean the same on every machine (an event's UUID, a
lead's uid), never by a file's own row numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from leadtui.core import moments
from leadtui.core.models import MOST_EMPLOYEES, MOST_REVENUE, NOTE_MAX, EventKind, Rep

if TYPE_CHECKING:  # the record's model is built on first use, not at every start
    from leadtui.core.intake import LeadRecord, Summary

MAX_BATCH = 500  # events in one push
MAX_BODY = 1_000_000  # bytes in one request's body, however it is sent


def _iso_text(value: object) -> datetime:
    """A time on the wire is ISO 8601 text (or already a time); a bare number is
    refused rather than read as seconds, as the contract says."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = datetime.fromisoformat(value)
    else:
        raise ValueError("a time is ISO 8601 text, such as 2026-11-17T16:40:00Z")
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the first instant there is
        raise ValueError(
            f"{moment.isoformat()} is outside the dates leadtui keeps ({moments.RANGE_WORDS})"
        ) from None


def _kept(moment: datetime) -> datetime:
    if not moments.in_range(moment):
        raise ValueError(
            f"{moments.shown(moment)} is outside the dates leadtui keeps ({moments.RANGE_WORDS})"
        )
    return moment


# A time as it was kept (what a file holds is read as it is) ...
Moment = Annotated[datetime, BeforeValidator(_iso_text)]
# ... and a time coming in, which must lie in the range leadtui keeps.
KeptMoment = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_kept),
    Field(json_schema_extra={"description": f"from {moments.RANGE_WORDS} (UTC)"}),
]


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


def _short_text(value: object) -> object:
    """Text in a payload (a note, a reason), however deep, is at most NOTE_MAX
    characters; walked with a list, not recursion, so any depth JSON allows is fine."""
    waiting = [value]
    while waiting:
        found = waiting.pop()
        if isinstance(found, str) and len(found) > NOTE_MAX:
            raise ValueError(f"text is at most {NOTE_MAX:,} characters, not {len(found):,}")
        if isinstance(found, dict):
            waiting += [*found.keys(), *found.values()]
        elif isinstance(found, list):
            waiting += found
    return value


def cut_long_text(payload: dict[str, Any]) -> dict[str, Any]:
    """A kept payload as it may travel: text over NOTE_MAX characters (kept before there
    was a limit) cut to it, ending in an ellipsis; whoever kept it still has it whole."""
    try:
        _short_text(payload)
    except ValueError:
        return {_cut(key): _cut(value) for key, value in payload.items()}
    return payload


def _cut(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= NOTE_MAX else value[: NOTE_MAX - 1] + "…"
    if isinstance(value, dict):
        return {_cut(key): _cut(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_cut(inner) for inner in value]
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
    payload: dict[str, Annotated[Any, AfterValidator(_short_text)]] = Field(
        default_factory=dict,
        description=f"what the kind needs (an attempt's channel, outcome and note; a reason "
        f"code and a note); every text in it at most {NOTE_MAX:,} characters",
    )


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


class PushedEvent(WireEvent):
    """An event coming in: its time must lie in the range leadtui keeps."""

    at: KeptMoment

    @model_validator(mode="after")
    def _snoozed_within_the_range(self) -> PushedEvent:
        until = self.payload.get("until")
        if self.kind is EventKind.SNOOZED and until is not None:
            try:
                _kept(_iso_text(until))
            except ValueError as problem:
                raise ValueError(f"payload.until: {problem}") from None
        return self


class Push(_Wire):
    events: list[PushedEvent] = Field(max_length=MAX_BATCH)

    @classmethod
    def of(cls, events: list[WireEvent]) -> Push:
        return cls(events=[PushedEvent.model_validate(event.model_dump()) for event in events])


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

    created_at: KeptMoment
    mql_at: KeptMoment | None = None

    def record(self) -> LeadRecord:
        """The lead as the one intake door takes it: its whole card (a blank external id
        is none) and marketing's scores, kept as sent."""
        values = self.model_dump()
        values["external_id"] = values["external_id"] or None
        from leadtui.core.intake import LeadRecord

        return LeadRecord.model_validate(values)


class HandOffs(_Wire):
    leads: list[HandOff] = Field(max_length=MAX_BATCH)


class HandedOff(_Wire):
    added: Count
    updated: Count
    handed: Count  # became MQLs now

    @classmethod
    def of(cls, summary: Summary) -> HandedOff:
        return cls(added=summary.imported, updated=summary.updated, handed=summary.handed)
