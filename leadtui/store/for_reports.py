"""What the team lead's reports read: the leads handed over in a stretch of time, and
the attempts and moves counted by quarter-hour; set-based SQL, one query per kind of
figure. Steps taken back by `undone` events count as never taken.

Who a lead belongs to is its owner now (the rep who worked it; a lead returned to
nurture keeps its owner until it is handed over again). A lead handed over twice
counts once, at its latest hand-off; its moves are those made after that hand-off.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, TypeVar

from leadtui.core import collector
from leadtui.core.models import OPEN_STAGES, AttemptOutcome, Channel
from leadtui.store import rows
from leadtui.store.errors import translate
from leadtui.store.opened import OpenedFile

OPEN = frozenset(stage.value for stage in OPEN_STAGES)
# Every time the figures measure lies in the dates leadtui keeps (none counts as kept).
KEPT = rows.kept(
    "marketing_qualified_at",
    "first_touch_at",
    "first_connect_at",
    "accepted_at",
    "qualified_at",
    "closed_at",
    "stage_changed_at",
)
SLOT = 900  # seconds: quarter-hours fall on local day boundaries in every zone in use


class Handed(NamedTuple):
    """A lead handed to sales in the period, and how far it has gone since. Times are
    seconds since the epoch, as stored: there are hundreds of thousands of these, so
    a named tuple, made straight from the row."""

    id: int
    name: str
    source: str
    rep: str | None
    score: int  # at the hand-off
    handed_at: int
    marketing_at: int | None  # when marketing found it ready, when known
    first_touch_at: int | None
    first_connect_at: int | None
    calls: int
    emails: int
    stage: str
    accepted_at: int | None
    qualified_at: int | None
    closed_at: int | None
    changed_at: int | None  # when its stage last changed
    # The SLA arithmetic the store worked out (None where it has not: see Judge).
    touch_due_at: int | None = None
    to_first_touch: int | None = None
    to_first_connect: int | None = None
    cadence_ends_at: int | None = None

    @property
    def won(self) -> bool:
        return self.stage == "won"

    @property
    def left_at(self) -> int | None:
        """When it left the open stages, if it has."""
        return _left_at(self.stage, self.changed_at)

    @property
    def sal(self) -> bool:
        """Reached sales acceptance (a lead qualified or closed got past it too)."""
        return bool(self.accepted_at or self.qualified_at or self.closed_at)

    @property
    def sql(self) -> bool:
        """Reached sales qualification (a closed deal was an opportunity)."""
        return bool(self.qualified_at or self.closed_at)


class Clock(NamedTuple):
    """The part of a handed-over lead that its SLA clock reads: the same fields as
    `Handed` has, without what only the funnel, the breaches and marketing's side
    read (a third less to read for the per-rep figures)."""

    rep: str | None
    source: str
    handed_at: int
    first_touch_at: int | None
    first_connect_at: int | None
    calls: int
    emails: int
    stage: str
    changed_at: int | None
    touch_due_at: int | None
    to_first_touch: int | None
    to_first_connect: int | None
    cadence_ends_at: int | None

    @property
    def left_at(self) -> int | None:
        return _left_at(self.stage, self.changed_at)


# Either kind of row: the SLA reads the fields both have.
Clocked = Handed | Clock
HandedOrClock = TypeVar("HandedOrClock", Handed, Clock)


class Attempts(NamedTuple):
    """What one rep logged in one quarter-hour."""

    rep: str
    at: int  # the quarter-hour's start, as stored
    calls: int
    emails: int
    connects: int


@dataclass(frozen=True, slots=True)
class Moves:
    """How many times `who` made one move (with one reason) in the period."""

    who: str  # the rep who made it, or the lead's source
    kind: str  # accepted, qualified, returned_to_nurture, disqualified
    reason: str
    count: int


class ForReports(OpenedFile):
    """The reports' reads over the store's connection, each over the instants from
    `since` up to (not including) `until`; Store mixes them in."""

    def handed_over(self, since: datetime, until: datetime) -> list[Handed]:
        """The leads whose latest hand-off falls in the stretch: one range over the
        leads' hand-off index, for the projection keeps what the latest hand-off
        began, so the log is not read at all."""
        return self._read_many(
            Handed,
            "SELECT id, coalesce(name, ''), coalesce(source, 'unknown'), owner, "
            "coalesce(mql_score, score), mql_at, marketing_qualified_at, first_touch_at, "
            "first_connect_at, coalesce(calls, 0), coalesce(emails, 0), stage, accepted_at, "
            "qualified_at, closed_at, stage_changed_at, touch_due_at, to_first_touch, "
            "to_first_connect, cadence_ends_at "
            f"FROM leads WHERE mql_at >= ? AND mql_at < ? AND {KEPT}",
            since,
            until,
        )

    def clocks_handed_over(self, since: datetime, until: datetime) -> list[Clock]:
        """The same leads, as their SLA clocks read them."""
        return self._read_many(
            Clock,
            "SELECT owner, coalesce(source, 'unknown'), mql_at, first_touch_at, "
            "first_connect_at, coalesce(calls, 0), coalesce(emails, 0), stage, "
            "stage_changed_at, touch_due_at, to_first_touch, to_first_connect, cadence_ends_at "
            f"FROM leads WHERE mql_at >= ? AND mql_at < ? AND {KEPT}",
            since,
            until,
        )

    def left_out_of_reports(self, since: datetime, until: datetime) -> list[int]:
        """Leads handed over in the stretch that hold a time from outside the dates
        leadtui keeps (an older version let it in): shown as they are elsewhere, but
        left out of the figures."""
        try:
            cursor = self._conn.execute(
                "SELECT id FROM leads WHERE mql_at >= ? AND mql_at < ? "
                f"AND NOT ({KEPT}) ORDER BY id",
                (rows.epoch(since), rows.epoch(until)),
            )
            return [int(row[0]) for row in cursor]
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def attempts_by_quarter_hour(self, since: datetime, until: datetime) -> list[Attempts]:
        """Each rep's attempts in each quarter-hour of the stretch that has any, from
        the attempts' own counts (kept by the store's triggers), so the days can be
        the team's own days."""
        try:
            cursor = self._conn.execute(
                f"SELECT rep, slot * {SLOT}, "
                f"sum(CASE channel WHEN '{Channel.CALL}' THEN attempts ELSE 0 END), "
                f"sum(CASE channel WHEN '{Channel.EMAIL}' THEN attempts ELSE 0 END), "
                f"sum(CASE outcome WHEN '{AttemptOutcome.CONNECTED}' THEN attempts ELSE 0 END) "
                "FROM attempt_slots WHERE slot >= ? AND slot < ? "
                "GROUP BY slot, rep HAVING sum(attempts) > 0",
                _slots(since, until),
            )
            return list(map(Attempts._make, cursor))
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def moves_made(self, since: datetime, until: datetime, *, by_source: bool) -> list[Moves]:
        """Each rep's moves in the stretch (or, by source, what came of marketing's
        leads), from the moves' own counts by quarter-hour (kept by the store's
        triggers): by who, then kind, the most made first."""
        who = "source" if by_source else "rep"
        try:
            cursor = self._conn.execute(
                f"SELECT {who}, kind, reason, sum(moves) FROM move_slots "
                "WHERE slot >= ? AND slot < ? GROUP BY 1, 2, 3 HAVING sum(moves) > 0 "
                "ORDER BY 1, 2, 4 DESC, 3",
                _slots(since, until),
            )
            return [Moves(*row) for row in cursor]
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def _read_many(
        self, row: type[HandedOrClock], sql: str, since: datetime, until: datetime
    ) -> list[HandedOrClock]:
        try:
            cursor = self._conn.execute(sql, (rows.epoch(since), rows.epoch(until)))
            with collector.held_off():
                return list(map(row._make, cursor))
        except sqlite3.Error as error:
            raise translate(error, self.path) from None


def _slots(since: datetime, until: datetime) -> tuple[int, int]:
    """The quarter-hours that cover the stretch."""
    start, end = int(since.timestamp()), int(until.timestamp())
    return start // SLOT, -(-end // SLOT)


def _left_at(stage: str, changed_at: int | None) -> int | None:
    return None if stage in OPEN else changed_at
