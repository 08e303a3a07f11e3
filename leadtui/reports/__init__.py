"""The team lead's figures: attempts and SLA per rep, the funnel by source and by rep,
why leads went back to marketing, and whether the score predicts conversion.

The store reads the leads, attempts and moves of the period (its `for_reports`
reads, set-based SQL); the figures are computed here in plain Python (`sla`,
`funnel`); nothing here formats text for people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import Role
from leadtui.reports.funnel import Bands, FunnelRow, bands, funnel
from leadtui.reports.period import Period
from leadtui.reports.sla import Breach, HandoffFigures, Judge, SlaFigures, breaches, first_touch
from leadtui.reports.sla import handoff as handoff_figures
from leadtui.store import Store, due
from leadtui.store.for_reports import Attempts, Clock, Clocked, Handed, Moves
from leadtui.store.queries import Load
from leadtui.store.store import agreement_mark

__all__ = [
    "Bands",
    "Breach",
    "FunnelRow",
    "HandoffFigures",
    "Moves",
    "Period",
    "RepFigures",
    "Reports",
    "SlaFigures",
]

UNASSIGNED = ""


@dataclass(frozen=True)
class RepFigures:
    rep: str
    name: str
    capacity: int
    open: int  # open leads owned now
    calls: int
    emails: int
    connects: int
    per_day: tuple[int, ...]  # attempts on each day of the period
    per_hour: tuple[int, ...]  # attempts in each hour of the day (0-23, local), all days
    sla: SlaFigures  # over the leads handed over in the period that the rep holds
    moves: tuple[Moves, ...]  # accepted, qualified, returned, disqualified, with reasons

    @property
    def attempts(self) -> int:
        return self.calls + self.emails


class Reports:
    """The figures for one period, by one agreement, as of `now`.

    Each read of the store happens once, on first use; `read()` does them all up
    front, so a caller holding the store's lock can let go before the arithmetic.
    """

    def __init__(self, store: Store, agreement: Agreement, period: Period, now: datetime):
        self.store = store
        self.period = period
        calendar = BusinessCalendar(agreement.sla)
        # The store's own SLA arithmetic counts when it was worked out by these terms.
        trusted = store.meta(due.WORKED_OUT_WITH) == due.fingerprint(agreement.sla)
        stretch = (period.first, period.last)
        self.judge = Judge(agreement.sla, calendar, now, stretch, trusted=trusted)

    def read(self) -> Reports:
        for name in ("handed", "attempts", "rep_moves", "source_moves", "loads", "left_out"):
            getattr(self, name)
        return self

    @cached_property
    def handed(self) -> list[Handed]:
        """The leads handed over in the period (shared by the figures)."""
        return self.store.handed_over(self.period.first, self.period.last)

    @cached_property
    def clocks(self) -> list[Handed] | list[Clock]:
        """What the SLA figures read of the same leads: the whole rows when they
        have been read already, else only the clock's columns (quicker to read)."""
        if "handed" in self.__dict__:
            return self.handed
        return self.store.clocks_handed_over(self.period.first, self.period.last)

    @cached_property
    def left_out(self) -> list[int]:
        """Leads of the period left out of the figures: they hold a time from outside
        the dates leadtui keeps."""
        return self.store.left_out_of_reports(self.period.first, self.period.last)

    @cached_property
    def attempts(self) -> list[Attempts]:
        return self.store.attempts_by_quarter_hour(self.period.first, self.period.last)

    @cached_property
    def rep_moves(self) -> list[Moves]:
        return self.store.moves_made(self.period.first, self.period.last, by_source=False)

    @cached_property
    def source_moves(self) -> list[Moves]:
        return self.store.moves_made(self.period.first, self.period.last, by_source=True)

    @cached_property
    def loads(self) -> list[Load]:
        return self.store.load()

    def team(self) -> list[RepFigures]:
        """Every rep (and anyone else who logged attempts), by name."""
        loads = {load.rep.id: load for load in self.loads}
        midnights = self.period.midnights
        days = len(midnights)
        tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        per_day: dict[str, list[int]] = defaultdict(lambda: [0] * days)
        per_hour: dict[str, list[int]] = defaultdict(lambda: [0] * 24)
        zone = self.period.zone
        for slot in self.attempts:
            counts = tally[slot.rep]
            counts["calls"] += slot.calls
            counts["emails"] += slot.emails
            counts["connects"] += slot.connects
            tried = slot.calls + slot.emails
            per_day[slot.rep][self.period.day_index(slot.at, midnights)] += tried
            per_hour[slot.rep][datetime.fromtimestamp(slot.at, zone).hour] += tried
        moves: dict[str, list[Moves]] = defaultdict(list)
        for move in self.rep_moves:
            moves[move.who].append(move)
        held: dict[str, list[Clocked]] = defaultdict(list)
        for lead in self.clocks:
            held[lead.rep or UNASSIGNED].append(lead)
        reps = {rep for rep, load in loads.items() if load.rep.role is Role.REP}
        reps |= set(tally) | {rep for rep in held if rep} | set(moves)
        figures = []
        for rep in reps:
            load = loads.get(rep)
            counts = tally[rep]
            figures.append(
                RepFigures(
                    rep,
                    load.rep.name if load else rep,
                    load.rep.capacity if load else 0,
                    load.open if load else 0,
                    counts["calls"],
                    counts["emails"],
                    counts["connects"],
                    tuple(per_day[rep]),
                    tuple(per_hour[rep]),
                    self.judge.figures(rep, held[rep]),
                    tuple(moves[rep]),
                )
            )
        return sorted(figures, key=lambda figures: (figures.name.casefold(), figures.rep))

    def sla(self, by: str = "rep") -> list[SlaFigures]:
        """First-touch SLA by rep (unassigned leads as "") or by source."""
        return first_touch(self.judge, self.clocks, _grouping(by))

    def breaches(self) -> list[Breach]:
        return breaches(self.judge, self.handed)

    def funnel(self, by: str = "source") -> list[FunnelRow]:
        return funnel(self.handed, _grouping(by))

    def reasons(self) -> list[Moves]:
        """Why marketing's leads went back (returned to nurture, disqualified), by source."""
        return [
            move
            for move in self.source_moves
            if move.kind in ("returned_to_nurture", "disqualified")
        ]

    def bands(self) -> Bands:
        return bands(self.handed)

    def handoff(self) -> list[HandoffFigures]:
        return handoff_figures(self.judge, self.handed)


class NotScoredYet(ValueError):
    """The agreement in force has not scored the file: there is no "since" to report."""


def since_the_agreement(store: Store, agreement: Agreement, now: datetime) -> Period:
    """From the day the agreement in force began scoring the file (its first rescoring
    run after a run under another one) to today: the leads handed over since, sorted
    by the new points."""
    began = store.scoring_since(agreement_mark(agreement))
    if began is None:
        raise NotScoredYet(
            "the agreement in force has not scored this file yet: run `leadtui rescore` first"
        )
    zone = ZoneInfo(agreement.sla.time_zone)
    today = now.astimezone(zone).date()
    return Period(min(began.astimezone(zone).date(), today), today, zone)


def _grouping(by: str) -> Callable[[Clocked], str]:
    if by == "rep":
        return _by_rep
    if by == "source":
        return _by_source
    raise ValueError(f"cannot group by {by!r}: use rep or source")


def _by_rep(lead: Clocked) -> str:
    return lead.rep or UNASSIGNED


def _by_source(lead: Clocked) -> str:
    return lead.source
