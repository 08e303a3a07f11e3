"""The SLA clock: what is due on a lead, by when in business time, and how it stands.

Nothing here is stored: the reading is derived from the lead's projection (itself
the fold of its events), the agreement and the clock, every time it is asked for.

Choice: the first-touch SLA is met by the first attempt of any kind (a call or an
email is a touch); speed to the first connect is measured beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from leadtui.core import moments
from leadtui.core.agreement import SlaTerms
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import OPEN_STAGES, Channel, Stage


class Clocked(Protocol):
    """What the clock reads of a lead: a `Lead`, or a queue row."""

    @property
    def stage(self) -> Stage: ...
    @property
    def source(self) -> str: ...
    @property
    def mql_at(self) -> datetime | None: ...
    @property
    def first_touch_at(self) -> datetime | None: ...
    @property
    def first_connect_at(self) -> datetime | None: ...
    @property
    def snoozed_until(self) -> datetime | None: ...
    @property
    def calls(self) -> int: ...
    @property
    def emails(self) -> int: ...


class SlaState(StrEnum):
    ON_TRACK = "on track"
    DUE_SOON = "due soon"
    BREACHED = "breached"
    MET = "met"
    PAUSED = "paused"
    NO_CLOCK = "no clock"  # it holds a time from outside the dates leadtui keeps


@dataclass(frozen=True)
class Step:
    """One attempt the cadence expects, and by when."""

    channel: Channel
    of_channel: int  # this is call 2 ...
    channel_total: int  # ... of 3
    due: datetime

    @property
    def label(self) -> str:
        return f"{self.channel.value} {self.of_channel} of {self.channel_total}"


@dataclass(frozen=True)
class SlaReading:
    state: SlaState
    words: str  # for people: "first touch due in 14 min"
    due: datetime | None = None
    left: timedelta | None = None  # business time to `due`; negative once overdue
    suggestion: str | None = None  # e.g. return to nurture when the cadence ran out


def cadence(terms: SlaTerms) -> list[Channel]:
    """The attempts in order: calls and emails interleaved, a call first."""
    calls, emails = terms.cadence.calls, terms.cadence.emails
    order: list[Channel] = []
    while calls or emails:
        if calls:
            order.append(Channel.CALL)
            calls -= 1
        if emails:
            order.append(Channel.EMAIL)
            emails -= 1
    return order


def schedule(
    calendar: BusinessCalendar, terms: SlaTerms, source: str, mql_at: datetime
) -> list[Step]:
    """Every step of the cadence with its due time: the first at the first-touch target,
    the rest spread evenly to the end of the cadence's business days."""
    order = cadence(terms)
    first = timedelta(minutes=terms.first_touch_target(source))
    span = calendar.day_length() * terms.cadence.over_business_days
    gap = (span - first) / (len(order) - 1) if len(order) > 1 and span > first else timedelta(0)
    totals = {channel: order.count(channel) for channel in Channel}
    seen = dict.fromkeys(Channel, 0)
    steps = []
    for index, channel in enumerate(order):
        seen[channel] += 1
        due = calendar.add(mql_at, first + gap * index)
        steps.append(Step(channel, seen[channel], totals[channel], due))
    return steps


def read(lead: Clocked, terms: SlaTerms, calendar: BusinessCalendar, now: datetime) -> SlaReading:
    """How the lead's SLA stands at `now`."""
    zone = calendar.zone
    if lead.stage not in OPEN_STAGES or lead.mql_at is None:
        return SlaReading(SlaState.MET, f"no clock: {lead.stage.value.replace('_', ' ')}")
    stray = stray_moment(lead)
    if stray is not None:
        what, moment = stray
        return SlaReading(
            SlaState.NO_CLOCK,
            f"{what} {moments.shown(moment)} is outside the dates leadtui keeps "
            f"({moments.RANGE_WORDS})",
        )
    if lead.first_connect_at is not None:
        took = duration(calendar.between(lead.mql_at, lead.first_connect_at))
        return SlaReading(SlaState.MET, f"connected {took} after hand-off")
    if lead.snoozed_until is not None and lead.snoozed_until > now:
        until = lead.snoozed_until.astimezone(zone)
        return SlaReading(SlaState.PAUSED, f"snoozed until {until:%a %H:%M}", lead.snoozed_until)
    steps = schedule(calendar, terms, lead.source, lead.mql_at)
    done = lead.calls + lead.emails
    if done >= len(steps):
        return SlaReading(
            SlaState.MET,
            f"cadence done ({lead.calls} calls, {lead.emails} emails), no connect",
            suggestion="return to nurture: no_response",
        )
    step = _next_step(steps, lead)
    left = calendar.between(now, step.due)
    what = "first touch" if done == 0 else step.label
    if left < timedelta(0):
        overdue = duration(-left, calendar.day_length())
        words = (
            f"first touch breached {overdue} ago (business time)"
            if done == 0
            else f"{what} overdue by {overdue} (business time)"
        )
        return SlaReading(SlaState.BREACHED, words, step.due, left)
    if not calendar.is_open(now):
        due = step.due.astimezone(zone)
        return SlaReading(
            SlaState.PAUSED, f"outside hours; {what} due {due:%a %H:%M}", step.due, left
        )
    if left <= timedelta(minutes=terms.due_soon_minutes):
        return SlaReading(SlaState.DUE_SOON, f"{what} due in {duration(left)}", step.due, left)
    if done == 0:
        words = f"first touch due in {duration(left)}"
    else:
        words = f"{what} due {step.due.astimezone(zone):%a %H:%M}"
    return SlaReading(SlaState.ON_TRACK, words, step.due, left)


def stray_moment(lead: Clocked) -> tuple[str, datetime] | None:
    """The first time the clock would read that lies outside the dates leadtui keeps
    (an older version let it in), with its name; such a lead has no clock."""
    for what, moment in (
        ("hand-off", lead.mql_at),
        ("first touch", lead.first_touch_at),
        ("first connect", lead.first_connect_at),
        ("snooze", lead.snoozed_until),
    ):
        if moment is not None and not moments.in_range(moment):
            return what, moment
    return None


def next_due(lead: Clocked, terms: SlaTerms, calendar: BusinessCalendar) -> datetime | None:
    """When the lead's next SLA step falls due; None when nothing is owed any more (or
    the lead has no clock)."""
    if lead.stage not in OPEN_STAGES or lead.mql_at is None or lead.first_connect_at:
        return None
    if stray_moment(lead) is not None:
        return None
    steps = schedule(calendar, terms, lead.source, lead.mql_at)
    done = lead.calls + lead.emails
    return steps[done].due if done < len(steps) else None


def handoff(
    calendar: BusinessCalendar, terms: SlaTerms, qualified_at: datetime, handed_at: datetime
) -> tuple[timedelta, bool]:
    """Marketing's side: business time from qualifying to the hand-off, and whether it
    kept within the agreement's `handoff_hours`."""
    took = calendar.between(qualified_at, handed_at)
    return took, took <= timedelta(hours=terms.handoff_hours)


def speed_to_lead(
    calendar: BusinessCalendar, lead: Clocked
) -> tuple[timedelta | None, timedelta | None]:
    """Business time from hand-off to the first attempt, and to the first connect."""
    if lead.mql_at is None or stray_moment(lead) is not None:
        return None, None
    first = lead.first_touch_at
    connect = lead.first_connect_at
    return (
        None if first is None else calendar.between(lead.mql_at, first),
        None if connect is None else calendar.between(lead.mql_at, connect),
    )


def duration(span: timedelta, day: timedelta | None = None) -> str:
    """'14 min', '1 h 20 min', '26 h'; with `day` (a business day), spans of two days
    or more in days: '79 d'."""
    if day and span >= 2 * day:
        return f"{int(span / day)} d"
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours >= 10 or rest == 0:
        return f"{hours} h"
    return f"{hours} h {rest} min"


def _next_step(steps: list[Step], lead: Clocked) -> Step:
    """The cadence's next step by position; its label follows the channel the rep has
    fallen behind on, so three emails first still leave 'call 1 of 3' to do."""
    step = steps[lead.calls + lead.emails]
    totals = {step.channel: step.channel_total for step in steps}
    calls_left = totals.get(Channel.CALL, 0) - lead.calls
    emails_left = totals.get(Channel.EMAIL, 0) - lead.emails
    channel = step.channel
    if channel is Channel.CALL and calls_left <= 0:
        channel = Channel.EMAIL
    elif channel is Channel.EMAIL and emails_left <= 0:
        channel = Channel.CALL
    made = lead.calls if channel is Channel.CALL else lead.emails
    return Step(channel, made + 1, totals.get(channel, 0), step.due)
