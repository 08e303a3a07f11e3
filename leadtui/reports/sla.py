"""Both sides of the SLA over the leads handed over in a period.

Sales' side, per lead: the first touch was owed within the agreement's business
minutes for its source. It was *met* (first attempt in time), *breached* (late,
or still untouched past the deadline while the lead was open), or is still
*waiting* (untouched, deadline ahead). A lead that left the queue untouched
before its deadline owed nothing and is left out. Compliance is met / (met +
breached). The cadence counts as *done* when a lead that never connected got
every call and email of it; it is owed once the cadence's days are over.

Marketing's side: business time from qualifying a lead to handing it over,
against `handoff_hours`, for the leads whose qualifying moment is known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from leadtui.core.agreement import SlaTerms
from leadtui.core.calendar import BusinessCalendar, Timeline
from leadtui.reports.figures import Spread, rate
from leadtui.store.for_reports import Clocked, Handed

MARGIN = timedelta(days=60)


class Touch(StrEnum):
    MET = "met"
    BREACHED = "breached"
    WAITING = "waiting"
    NOT_OWED = "not owed"


@dataclass(frozen=True)
class SlaFigures:
    group: str  # a rep's id, or a source
    handed: int
    met: int
    breached: int
    waiting: int
    to_first_attempt: Spread  # business time
    to_first_connect: Spread
    cadence_done: int
    cadence_owed: int

    @property
    def compliance(self) -> float | None:
        return rate(self.met, self.met + self.breached)

    @property
    def cadence_completion(self) -> float | None:
        return rate(self.cadence_done, self.cadence_owed)


@dataclass(frozen=True)
class Breach:
    lead_id: int
    name: str
    rep: str | None
    source: str
    handed_at: datetime
    due_at: datetime
    touched_at: datetime | None  # None: not touched yet
    late: timedelta  # business time past the deadline (until the touch, or until now)


@dataclass(frozen=True)
class HandoffFigures:
    source: str
    leads: int
    within: int
    took: Spread  # business time from qualifying to hand-off

    @property
    def compliance(self) -> float | None:
        return rate(self.within, self.leads)


class Judge:
    """Reads the SLA for handed-over leads by one agreement and one clock. Where the
    store has already worked a lead's arithmetic out by the same terms (`trusted`),
    that is used; otherwise business time is measured on a timeline laid out once
    for the stretch the leads fall in."""

    def __init__(
        self,
        terms: SlaTerms,
        calendar: BusinessCalendar,
        now: datetime,
        stretch: tuple[datetime, datetime],
        *,
        trusted: bool = False,
    ) -> None:
        self.trusted = trusted
        self.terms = terms
        self.calendar = calendar
        self.now = now
        self.at = int(now.timestamp())
        # Marketing may have found a lead ready weeks before its hand-off, and a
        # cadence runs past the end of the period: the timeline reaches both ways.
        begin, end = stretch
        self.timeline = Timeline(calendar, begin - MARGIN, max(end, now) + MARGIN)
        self.cadence_days = int(
            (calendar.day_length() * terms.cadence.over_business_days).total_seconds()
        )
        self.handoff_limit = int(terms.handoff_hours * 3600)
        self.targets = {
            source: minutes * 60 for source, minutes in terms.first_touch_minutes.items()
        }

    def due(self, lead: Clocked) -> int:
        if self.trusted and lead.touch_due_at is not None:
            return lead.touch_due_at
        target = self.targets.get(lead.source, self.targets["default"])
        return self.timeline.add(lead.handed_at, target)

    def touch(self, lead: Clocked) -> Touch:
        due = self.due(lead)
        if lead.first_touch_at is not None:
            return Touch.MET if lead.first_touch_at <= due else Touch.BREACHED
        left = lead.left_at
        if (left or self.at) > due:
            return Touch.BREACHED
        return Touch.WAITING if left is None else Touch.NOT_OWED

    def cadence(self, lead: Clocked) -> tuple[bool, bool]:
        """(owed, done) for the lead's cadence of attempts."""
        if lead.first_connect_at is not None:
            return False, False  # a connect ends the cadence: nothing more was owed
        over = lead.cadence_ends_at if self.trusted else None
        if over is None:
            over = self.timeline.add(lead.handed_at, self.cadence_days)
        if over > (lead.left_at or self.at):
            return False, False
        cadence = self.terms.cadence
        return True, lead.calls >= cadence.calls and lead.emails >= cadence.emails

    def figures(self, group: str, leads: Iterable[Clocked]) -> SlaFigures:
        to_attempt, to_connect = [], []
        met = breached = waiting = owed = done = count = 0
        between = self.timeline.between
        targets = self.targets
        trusted = self.trusted
        for lead in leads:
            count += 1
            if lead.first_touch_at is not None:
                took = lead.to_first_touch if trusted else None
                if took is None:
                    took = between(lead.handed_at, lead.first_touch_at)
                to_attempt.append(took)
                target = targets.get(lead.source, targets["default"])
                # The business time taken settles it, except exactly at the target,
                # where the deadline itself does (a touch after it, out of hours, is late).
                in_time = took < target if took != target else self.touch(lead) is Touch.MET
                met += in_time
                breached += not in_time
            else:
                touch = self.touch(lead)
                breached += touch is Touch.BREACHED
                waiting += touch is Touch.WAITING
            if lead.first_connect_at is not None:
                connected = lead.to_first_connect if trusted else None
                if connected is None:
                    connected = between(lead.handed_at, lead.first_connect_at)
                to_connect.append(connected)
            cadence_owed, cadence_done = self.cadence(lead)
            owed += cadence_owed
            done += cadence_done
        return SlaFigures(
            group,
            count,
            met,
            breached,
            waiting,
            Spread.of(to_attempt),
            Spread.of(to_connect),
            done,
            owed,
        )

    def breach(self, lead: Handed) -> Breach | None:
        if self.touch(lead) is not Touch.BREACHED:
            return None
        due = self.due(lead)
        until = lead.first_touch_at or lead.left_at or self.at
        touched = lead.first_touch_at
        return Breach(
            lead.id,
            lead.name,
            lead.rep,
            lead.source,
            _moment(lead.handed_at),
            _moment(due),
            None if touched is None else _moment(touched),
            timedelta(seconds=self.timeline.between(due, until)),
        )


def first_touch(
    judge: Judge, handed: Iterable[Clocked], by: Callable[[Clocked], str]
) -> list[SlaFigures]:
    """SLA figures per group (`by` names a lead's group: its rep, its source)."""
    groups: dict[str, list[Clocked]] = defaultdict(list)
    for lead in handed:
        groups[by(lead)].append(lead)
    return [judge.figures(group, leads) for group, leads in sorted(groups.items())]


def breaches(judge: Judge, handed: list[Handed]) -> list[Breach]:
    """Every breach, the latest deadline first."""
    found = [breach for lead in handed if (breach := judge.breach(lead)) is not None]
    return sorted(found, key=lambda breach: (breach.due_at, breach.lead_id), reverse=True)


def handoff(judge: Judge, handed: list[Handed]) -> list[HandoffFigures]:
    """Marketing's side, per source."""
    took: dict[str, list[int]] = defaultdict(list)
    for lead in handed:
        if lead.marketing_at is not None:
            took[lead.source].append(judge.timeline.between(lead.marketing_at, lead.handed_at))
    return [
        HandoffFigures(
            source, len(spans), sum(span <= judge.handoff_limit for span in spans), Spread.of(spans)
        )
        for source, spans in sorted(took.items())
    ]


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
