"""What the reports read from the store: set-based SQL over the event log, one query
per kind of figure. Steps taken back by `undone` events count as never taken.

Who a lead belongs to is its owner now (the rep who worked it; a lead returned to
nurture keeps its owner until it is handed over again). A lead handed over twice
counts once, at its latest hand-off; its moves are those logged after that hand-off.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from leadtui.core.models import Stage
from leadtui.reports.period import Period

LIVE = "e.id NOT IN (SELECT json_extract(payload, '$.event') FROM events WHERE kind = 'undone')"


@dataclass(frozen=True, slots=True)
class Handed:
    """A lead handed to sales in the period, and how far it has gone since."""

    id: int
    name: str
    source: str
    rep: str | None
    score: int  # at the hand-off
    handed_at: datetime
    marketing_at: datetime | None  # when marketing qualified it, when known
    first_touch_at: datetime | None
    first_connect_at: datetime | None
    calls: int
    emails: int
    stage: Stage
    accepted_at: datetime | None
    qualified_at: datetime | None
    closed_at: datetime | None
    won: bool
    left_at: datetime | None  # when it left the open stages, if it has

    @property
    def sal(self) -> bool:
        """Reached sales acceptance (a lead qualified or closed got past it too)."""
        return bool(self.accepted_at or self.qualified_at or self.closed_at)

    @property
    def sql(self) -> bool:
        """Reached sales qualification (a closed deal was an opportunity)."""
        return bool(self.qualified_at or self.closed_at)


def handed(conn: sqlite3.Connection, period: Period) -> list[Handed]:
    cursor = conn.execute(
        f"""
        WITH handed AS (
          SELECT l.id, l.name, l.source, l.owner, l.mql_at, h.seq AS handed_seq,
                 coalesce(json_extract(h.payload, '$.score'), l.score) AS score,
                 json_extract(h.payload, '$.qualified_at') AS marketing_at,
                 l.first_touch_at, l.first_connect_at, l.calls, l.emails, l.stage,
                 l.stage_changed_at
          FROM events h JOIN leads l ON l.id = h.lead_id AND l.mql_at = h.at
          WHERE h.kind = 'became_mql' AND h.at >= ? AND h.at < ?
        ),
        moves AS (
          SELECT e.lead_id,
                 min(CASE WHEN e.kind = 'accepted' THEN e.at END) AS accepted_at,
                 min(CASE WHEN e.kind = 'qualified' THEN e.at END) AS qualified_at,
                 min(CASE WHEN e.kind = 'closed' THEN e.at END) AS closed_at,
                 max(e.kind = 'closed' AND json_extract(e.payload, '$.outcome') = 'won') AS won
          FROM handed JOIN events e ON e.lead_id = handed.id AND e.seq > handed.handed_seq
          WHERE e.kind IN ('accepted', 'qualified', 'closed') AND {LIVE}
          GROUP BY e.lead_id
        )
        SELECT handed.id, handed.name, handed.source, handed.owner, handed.mql_at,
               handed.handed_seq, handed.score, handed.marketing_at, handed.first_touch_at,
               handed.first_connect_at, handed.calls, handed.emails, handed.stage,
               m.accepted_at, m.qualified_at, m.closed_at, coalesce(m.won, 0),
               handed.stage_changed_at
        FROM handed LEFT JOIN moves m ON m.lead_id = handed.id
        ORDER BY handed.mql_at, handed.id
        """,
        (period.start, period.end),
    )
    return [
        Handed(
            id=row[0],
            name=row[1] or "",
            source=row[2] or "unknown",
            rep=row[3],
            score=int(row[6]),
            handed_at=_moment(row[4]),
            marketing_at=_maybe(row[7]),
            first_touch_at=_maybe(row[8]),
            first_connect_at=_maybe(row[9]),
            calls=row[10] or 0,
            emails=row[11] or 0,
            stage=Stage(row[12]),
            accepted_at=_maybe(row[13]),
            qualified_at=_maybe(row[14]),
            closed_at=_maybe(row[15]),
            won=bool(row[16]),
            left_at=None if Stage(row[12]).is_open else _maybe(row[17]),
        )  # fmt: skip
        for row in cursor
    ]


@dataclass(frozen=True, slots=True)
class Attempts:
    """Attempts one rep logged in one quarter-hour on one channel with one outcome."""

    rep: str
    at: int  # the quarter-hour's start, as stored
    channel: str
    outcome: str
    count: int


SLOT = 900  # seconds: quarter-hours fall on local day boundaries in every zone in use


def attempts(conn: sqlite3.Connection, period: Period) -> list[Attempts]:
    """Counted in SQL by quarter-hour, so the days can be the team's own days."""
    cursor = conn.execute(
        f"""
        SELECT e.actor, e.at / {SLOT} * {SLOT}, json_extract(e.payload, '$.channel'),
               json_extract(e.payload, '$.outcome'), count(*)
        FROM events e WHERE e.kind = 'attempt' AND e.at >= ? AND e.at < ? AND {LIVE}
        GROUP BY 1, 2, 3, 4
        """,
        (period.start, period.end),
    )
    return [Attempts(*row) for row in cursor]


@dataclass(frozen=True, slots=True)
class Moves:
    """How many times `who` made one move (with one reason) in the period."""

    who: str  # the rep who made it, or the lead's source
    kind: str  # accepted, qualified, returned_to_nurture, disqualified
    reason: str
    count: int


DISPOSITIONS = ("accepted", "qualified", "returned_to_nurture", "disqualified")


def dispositions(conn: sqlite3.Connection, period: Period, *, by_source: bool) -> list[Moves]:
    """Each rep's moves (or, by source, what came of marketing's leads)."""
    who = "coalesce(l.source, 'unknown')" if by_source else "e.actor"
    marks = ", ".join("?" for _ in DISPOSITIONS)
    cursor = conn.execute(
        f"""
        SELECT {who}, e.kind, coalesce(json_extract(e.payload, '$.reason'), ''), count(*)
        FROM events e JOIN leads l ON l.id = e.lead_id
        WHERE e.kind IN ({marks}) AND e.at >= ? AND e.at < ? AND {LIVE}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 4 DESC, 3
        """,
        (*DISPOSITIONS, period.start, period.end),
    )
    return [Moves(*row) for row in cursor]


def _moment(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _maybe(value: int | float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)
