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
    def last_attempt_at(self) -> datetime | None: ...
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
    NO_SLA = "no SLA"  # not with sales: never handed over, or closed one way or another


@dataclass(frozen=True)
class Step:
    """The attempt the cadence expects next, and by when."""

    channel: Channel | None  # None: the calls and emails are all made, the spacing is not
    of_channel: int  # this is call 2 ...
    channel_total: int  # ... of 3
    due: datetime

    @property
    def label(self) -> str:
        what = self.channel.value if self.channel is not None else "attempt"
        return f"{what} {self.of_channel} of {self.channel_total}"


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


def spacing(calendar: BusinessCalendar, terms: SlaTerms) -> timedelta:
    """The business time a cadence leaves between two attempts: its business days over
    its steps (five days, five steps: a day)."""
    steps = max(len(cadence(terms)), 1)
    return calendar.day_length() * terms.cadence.over_business_days / steps


def steps_made(lead: Clocked, terms: SlaTerms, calendar: BusinessCalendar) -> int:
    """How many of the cadence's steps the lead's attempts make: each attempt, but no
    more than the business time from the first touch to the last attempt holds
    spacings (half a spacing early still counts), so a burst of five attempts in a
    minute is one step, not a finished cadence."""
    made = lead.calls + lead.emails
    if made <= 1 or lead.first_touch_at is None or lead.last_attempt_at is None:
        return made
    gap = spacing(calendar, terms)
    if not gap:
        return made
    elapsed = calendar.between(lead.first_touch_at, lead.last_attempt_at)
    return min(made, 1 + int(elapsed / gap + 0.5))


def next_step(lead: Clocked, terms: SlaTerms, calendar: BusinessCalendar) -> Step | None:
    """The attempt owed next, and when: the first touch by the source's first-touch
    target after the hand-off; each later one a spacing after the last attempt, so a
    lead first touched late gets a fresh plan and a burst of attempts does not finish
    the cadence. None once the cadence is done."""
    order = cadence(terms)
    made = steps_made(lead, terms, calendar)
    if made >= len(order) or lead.mql_at is None:
        return None
    if lead.calls + lead.emails == 0:
        target = timedelta(minutes=terms.first_touch_target(lead.source))
        due = calendar.add(lead.mql_at, target)
    else:
        since = lead.last_attempt_at or lead.first_touch_at or lead.mql_at
        due = calendar.add(since, spacing(calendar, terms))
    return _owed(order, lead, made, due)


def _owed(order: list[Channel], lead: Clocked, made: int, due: datetime) -> Step:
    """The step owed, as the cadence orders them: the first call or email of the order
    not made yet (after a voicemail, email 1 of 2 when it is still owed, not call 3),
    or, when every call and email is made but not yet spaced out, the next attempt."""
    totals = {channel: order.count(channel) for channel in Channel}
    done = {Channel.CALL: lead.calls, Channel.EMAIL: lead.emails}
    used = dict.fromkeys(Channel, 0)
    for channel in order:
        if done[channel] > used[channel]:
            used[channel] += 1
            continue
        return Step(channel, used[channel] + 1, totals[channel], due)
    return Step(None, made + 1, len(order), due)


def read(lead: Clocked, terms: SlaTerms, calendar: BusinessCalendar, now: datetime) -> SlaReading:
    """How the lead's SLA stands at `now`."""
    zone = calendar.zone
    if lead.stage not in OPEN_STAGES or lead.mql_at is None:
        stage = lead.stage.value.replace("_", " ")
        why = "never handed to sales" if lead.mql_at is None else stage
        return SlaReading(SlaState.NO_SLA, why)
    stray = stray_moment(lead)
    if stray is not None:
        what, moment = stray
        return SlaReading(
            SlaState.NO_CLOCK,
            f"{what} {moments.shown(moment)} is outside the dates leadtui keeps "
            f"({moments.RANGE_WORDS})",
        )
    if lead.snoozed_until is not None and lead.snoozed_until > now:
        until = lead.snoozed_until.astimezone(zone)
        far = until.date() - now.astimezone(zone).date() >= timedelta(days=7)
        day = f"{until:%a} {until.day} {until:%b}" if far else f"{until:%a}"  # not this Thu
        return SlaReading(SlaState.PAUSED, f"snoozed until {day} {until:%H:%M}", lead.snoozed_until)
    if lead.first_connect_at is not None:
        took = calendar.between(lead.mql_at, lead.first_connect_at)
        words = duration(took, calendar.day_length())
        return SlaReading(SlaState.MET, f"connected {words} after hand-off (business time)")
    step = next_step(lead, terms, calendar)
    done = lead.calls + lead.emails
    if step is None:
        return SlaReading(
            SlaState.MET,
            f"cadence done ({lead.calls} calls, {lead.emails} emails), no connect",
            suggestion="return to nurture: no_response",
        )
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
    step = next_step(lead, terms, calendar)
    return None if step is None else step.due


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
