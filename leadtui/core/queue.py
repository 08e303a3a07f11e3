"""The queue as a rep sees it: one slim row per lead, and why each sits where it does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from enum import IntEnum
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


class Tier(IntEnum):
    """Where a lead stands in "what to do now": the store's queue order (see
    store.queries.queue_page), tier by tier."""

    URGENT = 0  # breached, or due by the due-soon margin: by deadline (the pool: in time)
    TODAY = 1  # its next step is due before the working day closes: by score
    LATER = 2  # a step on a later day, nothing owed, or snoozed: by score
    # The pool only (the unassigned leads, with `stale`): a lead already late waits for
    # every lead that can still be reached in time, since speed to lead decides whether
    # it is reached at all; one late by more than a business day comes last.
    LATE = 3  # late, by less than a business day: by score
    STALE = 4  # late by more than a business day: by score


def tier(
    row: QueueRow,
    *,
    now: datetime,
    soon: datetime,
    today: datetime,
    stale: datetime | None = None,
) -> Tier:
    due = row.next_due_at
    if due is None or (row.snoozed_until is not None and row.snoozed_until > now):
        return Tier.LATER
    if stale is not None and due < now:
        return Tier.STALE if due < stale else Tier.LATE
    if due <= soon:
        return Tier.URGENT
    return Tier.TODAY if due <= today else Tier.LATER


def in_order(
    rows: Sequence[QueueRow],
    *,
    now: datetime,
    soon: datetime,
    today: datetime,
    stale: datetime | None = None,
) -> bool:
    """Whether rows loaded in queue order are still in it: the clock moves, and a lead
    whose deadline came within the margin must move up past the ones still on track
    (in the pool, one whose deadline passed moves down past the ones still in time)."""
    placed = [(tier(row, now=now, soon=soon, today=today, stale=stale), row) for row in rows]
    for (was, before), (then, after) in zip(placed, placed[1:], strict=False):
        if then < was:
            return False
        urgent = then == was == Tier.URGENT
        if (
            urgent
            and before.next_due_at
            and after.next_due_at
            and after.next_due_at < before.next_due_at
        ):
            return False
    return True


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def place(
    position: int,
    score: int,
    reading: SlaReading,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> str:
    """ "2nd: first touch due in 14 min; score 82": the deadline first when it is what
    put the lead there; otherwise the score, and when the next step is due ("next step
    tomorrow 10:00"), for that is why it sits below today's work."""
    if reading.state in URGENT:
        return f"{ordinal(position)}: {reading.words}; score {score}"
    if reading.due is not None and now is not None and zone is not None:
        return (
            f"{ordinal(position)}: score {score}; next step {day_and_time(reading.due, now, zone)}"
        )
    return f"{ordinal(position)}: score {score}; {reading.words}"


def day_and_time(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """'today 14:00', 'tomorrow 10:00', 'Wed 10:00', '3 Dec 10:00' (a week or more on)."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow {local:%H:%M}"
    if today < local.date() < today + timedelta(days=7):
        return f"{local:%a %H:%M}"
    return f"{local.day} {local:%b %H:%M}"
