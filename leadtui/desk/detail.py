"""A lead as its detail shows it: the lead, the factors of its score, its history."""

from __future__ import annotations

from dataclasses import dataclass

from leadtui.core.models import Activity, Event, Lead
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
