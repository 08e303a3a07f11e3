"""The queue as a rep sees it: one slim row per lead, and why each sits where it does."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from leadtui.core.models import Stage
from leadtui.core.sla import SlaReading, SlaState

URGENT = frozenset({SlaState.BREACHED, SlaState.DUE_SOON})


class QueueRow(NamedTuple):
    """What a queue line shows of a lead, and what its SLA clock and one-line rationale
    need: read straight from the table, cheap enough to page through a million leads
    (a tuple: building one costs a sixth of a frozen dataclass).
    `Lead` has the same attributes, so the SLA clock and the rationale take either."""

    id: int
    name: str
    title: str
    company: str
    employees: int | None
    industry: str
    source: str
    stage: Stage
    owner: str | None
    score: int
    fit: int
    engagement: int
    mql_at: datetime | None
    first_touch_at: datetime | None
    first_connect_at: datetime | None
    snoozed_until: datetime | None
    calls: int
    emails: int
    version: int
    next_due_at: datetime | None
    last_attempt_at: datetime | None  # the cadence's next step is spaced from it


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def place(position: int, score: int, reading: SlaReading) -> str:
    """ "2nd: first touch due in 14 min; score 82": the deadline first when it is what
    put the lead there, the score otherwise."""
    if reading.state in URGENT:
        return f"{ordinal(position)}: {reading.words}; score {score}"
    return f"{ordinal(position)}: score {score}; {reading.words}"
