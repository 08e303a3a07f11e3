"""The reports' figures in short words for people: shared by the command line's
tables and the team screen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from leadtui.core.sla import duration
from leadtui.core.sources import source_words

SPARKS = "▁▂▃▄▅▆▇█"
NOTHING = "—"


def percent(rate: float | None) -> str:
    return NOTHING if rate is None else f"{rate:.0%}"


def span(value: timedelta | None, day: timedelta | None = None) -> str:
    """'14 min', '1 h 20 min'; with `day`, two days or more in days ('4 d')."""
    return NOTHING if value is None else duration(value, day)


def calendar_span(value: timedelta | None) -> str:
    return span(value, timedelta(days=1))


def spark(values: Sequence[int]) -> str:
    """Counts per day as a bar per day: '▁▃█▅'; a day with none is '·'."""
    top = max(values, default=0)
    if top == 0:
        return "·" * len(values)
    return "".join(
        "·" if value == 0 else SPARKS[min(len(SPARKS) - 1, value * len(SPARKS) // (top + 1))]
        for value in values
    )


def bar(rate: float | None, width: int = 10) -> str:
    """A rate as a bar of `width` cells: '████▌     '."""
    if rate is None:
        return " " * width
    eighths = round(max(0.0, min(rate, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(width)


def source(code: str) -> str:
    """A lead source in words; the funnel's row for every source stays "all"."""
    return code if code == EVERYONE else source_words(code)


UNASSIGNED_WORDS = "(unassigned)"
EVERYONE = "all"  # the funnel's row for every group
NOTHING_HANDED = "No leads were handed to sales {span}."  # a report's empty words
# A rep's moves, in one word each.
MOVES = {
    "accepted": "accepted",
    "qualified": "qualified",
    "returned_to_nurture": "returned",
    "disqualified": "disqualified",
}
