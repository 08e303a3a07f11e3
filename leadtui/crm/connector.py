"""What every CRM connector implements (HubSpot now; Salesforce is a second one of these):
pull a page of the leads changed since a cursor, and push one of leadtui's events,
idempotently. A connector knows its CRM's API and nothing of the store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from leadtui.core.intake import LeadRecord
from leadtui.core.models import Rep
from leadtui.core.to_the_crm import Outgoing


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

    name: str  # the CRM's word in settings and in the file: "hubspot"

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
