"""Leads coming in, from any source: the plain record every source makes (a CSV file's
row, marketing's hand-off to the team server, later a CRM's contact), the fields and
stages the one intake door knows, and what an intake did.

A source only makes records; `Store.intake` (store/intake.py) does the rest, for all
of them alike. A record is checked where it is made, as every door checks what comes
in: text without NUL characters and at most LONGEST_TEXT characters, head counts and
revenues within the bounds of models.py, moments within the dates leadtui keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from leadtui.core import moments
from leadtui.core.lifecycle import ALLOWED_FROM
from leadtui.core.models import (
    CONTACT_FIELDS,
    MOST_EMPLOYEES,
    MOST_REVENUE,
    EventKind,
    Stage,
    utc,
)

__all__ = ["CONTACT_FIELDS"]  # and the rest of this module

SCORES = ("score", "fit", "engagement")

# The stages a hand-over moves a lead on from (the lifecycle's rule for `became_mql`):
# marketing's. A lead already with sales is not handed over again.
HANDED_OVER_FROM = ALLOWED_FROM[EventKind.BECAME_MQL]

# Where a source may say a lead it hands over already stands with sales (a CRM's lead
# status): the intake records the moves that bring it there, after the hand-over.
WITH_SALES = frozenset(
    {
        Stage.MQL,
        Stage.WORKING,
        Stage.ACCEPTED,
        Stage.QUALIFIED,
        Stage.RETURNED_TO_NURTURE,
        Stage.DISQUALIFIED,
    }
)

# The most characters one field may hold: far beyond any name or address a CRM keeps.
LONGEST_TEXT = 100_000
# Beyond any score a lead can have (as the team server's counts are bounded).
_BEYOND_ANY_SCORE = 10**12


def _kept(moment: datetime, info: ValidationInfo) -> datetime:
    """A moment in UTC within the dates leadtui keeps (MomentOutOfRange otherwise)."""
    return moments.check(utc(moment), info.field_name or "a lead's time")


_Text = Annotated[str, Field(max_length=LONGEST_TEXT, pattern="^[^\\x00]*$")]
_Moment = Annotated[datetime, AfterValidator(_kept)]
_Score = Annotated[int, Field(ge=-_BEYOND_ANY_SCORE, le=_BEYOND_ANY_SCORE)]


class LeadRecord(BaseModel):
    """One lead as a source knows it. A field left as None is one the source does not
    say (the lead keeps what it has; see `Store.intake` for a source that sends whole
    cards). The source's key for the lead is its `uid` (the team's own id: the team
    server's hand-off), else its external id, else its email; one of them is needed."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)

    uid: Annotated[str, Field(min_length=1, max_length=64, pattern="^[^\\x00]*$")] | None = None
    external_id: _Text | None = None
    name: _Text | None = None
    title: _Text | None = None
    company: _Text | None = None
    email: _Text | None = None
    phone: _Text | None = None
    website: _Text | None = None
    city: _Text | None = None
    region: _Text | None = None
    country: _Text | None = None
    employees: Annotated[int, Field(ge=0, le=MOST_EMPLOYEES)] | None = None
    revenue: Annotated[float, Field(ge=0, le=MOST_REVENUE)] | None = None
    industry: _Text | None = None
    source: _Text | None = None
    created_at: _Moment | None = None  # None: when it comes in
    # When the source handed the lead to sales: it becomes an MQL then (None: it keeps
    # its stage; only a lead still with marketing is handed over).
    mql_at: _Moment | None = None
    # Where the source says the lead stands with sales (one of WITH_SALES), and the rep
    # (by id) it says holds it: a lead still with marketing here is handed over (at
    # `mql_at`, else `created_at`, else now), claimed by that rep, and moved on to
    # that stage. None: the source says nothing of it (a lead with sales here never
    # takes a stage or an owner from a source: the rep's work is the truth).
    stage: Stage | None = None
    owner: Annotated[str, Field(min_length=1, max_length=64, pattern="^[^\\x00]*$")] | None = None
    # Marketing's own scores, where the source has them (the team server keeps them as
    # sent); None: the lead is scored here, under the agreement.
    score: _Score | None = None
    fit: _Score | None = None
    engagement: _Score | None = None
    # What else the source knows, kept as custom fields (a file's other columns); None
    # when it knows nothing else (most records: no dict to make and keep for them).
    custom: dict[_Text, _Text] | None = None

    @model_validator(mode="after")
    def _known_by_something(self) -> LeadRecord:
        if not (self.uid or self.external_id or self.email):
            raise ValueError("no email and no external id: nothing to know the lead by")
        if self.stage is not None and self.stage not in WITH_SALES:
            raise ValueError(f"stage {self.stage.value!r} is not one a source hands over")
        return self

    @property
    def handed(self) -> bool:
        """The source says the lead is with sales: a hand-off time or a stage."""
        return self.mql_at is not None or self.stage is not None

    @property
    def key(self) -> str:
        """What the record is known by within one intake (records with the same key are
        one lead)."""
        return self.uid or self.external_id or self.email or ""

    @property
    def scores(self) -> dict[str, int] | None:
        """The scores the source gave (a missing part is 0), or None when it gave none."""
        if self.score is None:
            return None
        return {name: getattr(self, name) or 0 for name in SCORES}


class CheckedRecord(NamedTuple):
    """A lead record whose source checked every value as it made it, with the very
    bounds of LeadRecord (a CSV file's reader: each cell bounded and read as its field),
    kept as a plain tuple, so a million of them cost what a million rows cost. The
    intake door takes it as it takes a LeadRecord; its first fields are the contact
    fields, in CONTACT_FIELDS' order."""

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
    uid: str | None = None
    created_at: datetime | None = None
    mql_at: datetime | None = None
    stage: Stage | None = None
    owner: str | None = None
    score: int | None = None
    fit: int | None = None
    engagement: int | None = None
    custom: dict[str, str] | None = None

    @property
    def handed(self) -> bool:
        """As LeadRecord.handed."""
        return self.mql_at is not None or self.stage is not None

    @property
    def key(self) -> str:
        """As LeadRecord.key."""
        return self.uid or self.external_id or self.email or ""

    @property
    def scores(self) -> dict[str, int] | None:
        """As LeadRecord.scores."""
        if self.score is None:
            return None
        return {"score": self.score, "fit": self.fit or 0, "engagement": self.engagement or 0}

    def filled_in(self, later: CheckedRecord) -> CheckedRecord:
        """This record with what a later one of the same key says (its custom fields,
        when it has any, replace these)."""
        said: dict[str, Any] = {
            name: value
            for name, value in zip(self._fields, later, strict=True)
            if value is not None and value != {}
        }
        return self._replace(**said)


# What the intake door takes: a record checked by pydantic, or by its source.
Record = LeadRecord | CheckedRecord


def clash(record: Record, holder: str | None) -> str | None:
    """Why `record` cannot be kept when the lead with uid `holder` has its external id."""
    if holder is None or holder == record.uid:
        return None
    return f"external id {record.external_id!r} is lead {holder}'s"


@dataclass
class Summary:
    """What one intake (or one import of a file) did: leads added and updated, those
    handed over by the source's word, those that crossed the threshold when scored,
    and the rows the source could not make into records (and where they were put)."""

    imported: int = 0
    updated: int = 0
    rejected: int = 0
    rejects: Path | None = None
    new_mqls: list[int] = field(default_factory=list)
    handed: int = 0
    # What the source was taken for ("a HubSpot contacts export"), and how many of the
    # leads it hands to sales name an owner who is no rep here (they wait in the pool).
    read_as: str | None = None
    unowned: int = 0

    def line(self, noun: str = "imported") -> str:
        parts = [f"{noun} {self.imported:,}", f"updated {self.updated:,}"]
        if self.read_as:
            parts.insert(0, f"read as {self.read_as}")
        rejected = f"rejected {self.rejected:,}"
        if self.rejects is not None:
            rejected += f" (see {self.rejects.name})"
        parts.append(rejected)
        if self.new_mqls:
            parts.append(f"{len(self.new_mqls):,} new MQLs")
        if self.unowned:
            owners, where = (
                ("owner matches", "its lead goes")
                if self.unowned == 1
                else ("owners match", "their leads go")
            )
            parts.append(f"{self.unowned:,} {owners} no rep ({where} to the pool)")
        return " · ".join(parts)
