"""The team's attempts as a sparkline on the team review: a bar per day of the period (per
hour when the period is one day), each as tall as its share of the busiest one, so a
quiet day still shows and the week's shape reads; a slot with none is a dot, one still
to come is blank.

Textual's own Sparkline scales from the smallest value to the largest and fills its
width with a single value, which made one day (Today) a solid wall."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from leadtui.core.agreement import SlaTerms
from leadtui.reports import Period, RepFigures

BARS = "▁▂▃▄▅▆▇█"
WIDEST = 6  # cells a slot takes at most (its bar and a gap), so a week stays a shape
NONE = "·"
NOT_YET = -1  # a slot still to come


def spark_lines(counts: Sequence[int], width: int, height: int = 2) -> list[str]:
    """`counts` drawn in `width` cells and `height` lines, the top line first (NOT_YET:
    blank). More slots than cells: neighbours share a cell, drawn by the larger."""
    if not counts or width <= 0:
        return [""] * height
    if len(counts) > width:
        step = len(counts) / width
        counts = [
            max(counts[int(cell * step) : max(int((cell + 1) * step), int(cell * step) + 1)])
            for cell in range(width)
        ]
    cell = min(width // len(counts), WIDEST)
    bar = cell - 1 if cell >= 2 else 1  # a gap between bars where there is room
    gap = " " * (cell - bar)
    top = max(counts) or 1
    steps = height * len(BARS)
    levels = [0 if count <= 0 else max(1, round(count / top * steps)) for count in counts]
    lines = []
    for line in reversed(range(height)):
        drawn = []
        for count, level in zip(counts, levels, strict=True):
            part = level - line * len(BARS)
            if level == 0:
                mark = NONE if line == 0 and count >= 0 else " "
            elif part <= 0:
                mark = " "
            else:
                mark = BARS[min(part, len(BARS)) - 1]
            drawn.append(mark * bar + gap)
        lines.append("".join(drawn).rstrip())
    return lines


class AttemptsSpark(Static):
    """Given counts with `show`; drawn to the width it has."""

    counts: tuple[int, ...] = ()

    def show(self, counts: Sequence[int]) -> None:
        self.counts = tuple(counts)
        self.refresh(layout=True)

    def render(self) -> Text:
        height = self.size.height or 2
        return Text("\n".join(spark_lines(self.counts, self.size.width, height)))


def team_attempts(
    team: Sequence[RepFigures], period: Period, now: datetime, sla: SlaTerms
) -> tuple[list[int], str]:
    """The whole team's attempts for the sparkline, and the caption that says what it
    counts and its busiest: per day, or per hour of the working day (widened to any
    hour with attempts) when the period is a single day. Slots after `now`: NOT_YET."""
    local = now.astimezone(period.zone)
    if period.since == period.until:
        per_hour = [sum(hour) for hour in zip(*(rep.per_hour for rep in team), strict=True)]
        per_hour = per_hour or [0] * 24
        busy = [hour for hour, count in enumerate(per_hour) if count]
        first = min([sla.opens.hour, *busy])
        last = max([sla.closes.hour + (sla.closes.minute > 0) - 1, *busy])
        counts = [
            NOT_YET if (period.since, hour) > (local.date(), local.hour) else per_hour[hour]
            for hour in range(first, last + 1)
        ]
        what = f"Attempts per hour, {first:02d}:00 to {last + 1:02d}:00, whole team"
        busiest = [f"at {hour:02d}:00" for hour in range(first, last + 1)]
    else:
        counts = [sum(day) for day in zip(*(rep.per_day for rep in team), strict=True)]
        counts = [
            NOT_YET if day > local.date() else count
            for day, count in zip(period.days, counts or [0] * len(period.days), strict=True)
        ]
        what = "Attempts per day, whole team"
        busiest = [f"on {day:%a %d %b}" for day in period.days]
    total = sum(count for count in counts if count > 0)
    if total == 0:
        return counts, f"{what}: none"
    top = max(counts)
    return counts, f"{what}: {total:,} · most {top:,} {busiest[counts.index(top)]}"
