"""What every CRM connector implements (HubSpot, Salesforce): pull a page of the leads
changed since a cursor, and push one of leadtui's events, idempotently (or several at
once, for a CRM that takes a batch in one request). A connector knows its CRM's API and
nothing of the store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol, runtime_checkable

from leadtui.core.intake import LeadRecord
from leadtui.core.models import Rep
from leadtui.core.to_the_crm import Outgoing
from leadtui.crm.errors import Refused


@dataclass(frozen=True)
class Pulled:
    """One page of changed leads: the records (each with the CRM's id as its external
    id), the CRM owner of each record matched to a rep (by record), the objects that
    could not be made into records (with why), and the cursor after this page."""

    records: Sequence[LeadRecord]
    cursor: str
    owners: dict[str, str] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Budget:
    """What the CRM said of its limits in its last answer (None: it did not say)."""

    daily_left: int | None = None
    daily_max: int | None = None
    window_left: int | None = None


class Connector(Protocol):
    """One CRM, as a round uses it."""

    name: str  # the CRM's word in settings and in the file: "hubspot", "salesforce"
    # How long after a create whose answer was lost `find` can be trusted to see it
    # (HubSpot's search lags a few seconds; a lookup by external id does not).
    settle: timedelta

    def check(self) -> str:
        """Prove the credential and prepare the account (properties leadtui keeps on
        the CRM's objects); returns a line saying what was found. Raises CrmError."""
        ...

    def pull(self, cursor: str | None, reps: Sequence[Rep]) -> Iterator[Pulled]:
        """Pages of the leads changed since `cursor` (None: all of them), oldest change
        first; each page's cursor may be kept once the page has landed."""
        ...

    def find(self, outgoing: Outgoing) -> str | None:
        """What an earlier push of `outgoing` made, if the CRM has it (its id; "" for a
        change that made no object); None when it has nothing of it."""
        ...

    def push(self, outgoing: Outgoing) -> str:
        """Send one event; returns the id of what it made ("" for a change of a field).
        Raises Refused (this push is never sent again), Unsure (the answer was lost),
        or another CrmError (the round stops; the push waits)."""
        ...

    def budget(self) -> Budget: ...

    def close(self) -> None: ...


@runtime_checkable
class Batching(Protocol):
    """A connector that sends several pushes in one request (Salesforce's composite
    API): a round hands it each run of pushes it can batch."""

    def batchable(self, outgoing: Outgoing) -> bool:
        """Whether this push may go in a batch with the others like it."""
        ...

    def push_many(self, outgoing: Sequence[Outgoing]) -> list[str | Refused]:
        """Send these in one request; for each, in order, the id of what it made, or
        the Refused that says why the CRM would not take it. Raises Unsure (none of
        the answers came) or another CrmError, as push does."""
        ...
