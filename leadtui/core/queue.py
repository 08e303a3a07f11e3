"""Why a lead sits where it does in the queue, in words."""

from __future__ import annotations

from leadtui.core.models import Lead
from leadtui.core.sla import SlaReading, SlaState

URGENT = frozenset({SlaState.BREACHED, SlaState.DUE_SOON})


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def place(position: int, lead: Lead, reading: SlaReading) -> str:
    """ "2nd: first touch due in 14 min; score 82": the deadline first when it is what
    put the lead there, the score otherwise."""
    if reading.state in URGENT:
        return f"{ordinal(position)}: {reading.words}; score {lead.score}"
    return f"{ordinal(position)}: score {lead.score}; {reading.words}"
