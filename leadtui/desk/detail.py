"""A lead as its detail shows it: the lead, the factors of its score, its history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from leadtui.core import rationale
from leadtui.core.models import Activity, Event, EventKind, Lead
from leadtui.core.scoring import Factor, Score


@dataclass(frozen=True)
class Detail:
    """Everything the app's detail pane and `leadtui lead show` tell of one lead, read at
    once: the card, the score's factors, the events and the marketing activities."""

    lead: Lead
    factors: list[Factor]
    events: list[Event]
    activities: list[Activity]

    @property
    def score(self) -> Score:
        return Score(tuple(self.factors))


# What a rep's own step is called when it is taken back.
STEP_WORDS = {
    EventKind.CLAIMED: "claim",
    EventKind.ACCEPTED: "acceptance",
    EventKind.QUALIFIED: "qualification",
    EventKind.RETURNED_TO_NURTURE: "return to nurture",
    EventKind.DISQUALIFIED: "disqualification",
    EventKind.SNOOZED: "snooze",
    EventKind.REASSIGNED: "reassignment",
}


@dataclass(frozen=True)
class Undone:
    """What an undo took back, and the lead as it now stands."""

    lead: Lead
    taken: Event
    now: datetime
    reasons: Mapping[str, str] = field(default_factory=dict)  # code -> the agreement's words

    @property
    def words(self) -> str:
        """'took back your call (no answer) on Tom Dalton, made 2 min ago'."""
        return f"took back your {self.step} on {self.lead.name}, made {self.made}"

    @property
    def said(self) -> str:
        """The same without the lead's name, for a line that already names it."""
        return f"took back your {self.step}, made {self.made}"

    @property
    def step(self) -> str:
        payload = self.taken.payload
        if self.taken.kind is EventKind.ATTEMPT:
            outcome = str(payload.get("outcome", "")).replace("_", " ")
            return f"{payload.get('channel', 'attempt')} ({outcome})"
        step = STEP_WORDS.get(self.taken.kind, self.taken.kind.value.replace("_", " "))
        if not payload.get("reason"):
            return step
        return f"{step} ({self.reasons.get(str(payload['reason']), payload['reason'])})"

    @property
    def made(self) -> str:
        return rationale.since(self.taken.at, self.now)
