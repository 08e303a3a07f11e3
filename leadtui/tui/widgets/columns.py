"""The queue's columns: which fit the terminal's width, and what each cell says.

A cell is a list of pieces, each text with the component class that colours it (or
None for the row's own colour), so the list can render it without Rich markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadtui.core.queue import QueueRow
from leadtui.core.sla import SlaReading
from leadtui.core.sources import source_words
from leadtui.tui.widgets.sla_badge import STYLES, badge

Piece = tuple[str, str | None]


@dataclass(frozen=True)
class SlaClock:
    """A row's SLA clock as read at `now`, with what its cells measure it against: the
    cadence's length per channel and a business day's length."""

    reading: SlaReading
    now: datetime
    calls: int
    emails: int
    day: timedelta


@dataclass(frozen=True)
class Line:
    """One lead as the list shows it: its row, the one-line rationale, whether it was
    handed over while the app was open, and its SLA clock as last read (off the UI
    thread, by the worker that loaded it or by the tick)."""

    row: QueueRow
    who: str  # "VP of IT at a 450-person manufacturer"
    did: str  # "requested a demo today; visited the pricing page twice this week"
    fresh: bool = False
    clock: SlaClock | None = None

    @property
    def why(self) -> str:
        return "; ".join(part for part in (self.who, self.did) if part)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int  # 0: takes what the others leave
    cell: Callable[[Line, SlaClock, int], list[Piece]]


def _sla(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(badge(clock.reading, clock.day), STYLES[clock.reading.state])]


def _name(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    if line.fresh:  # the notification said "New MQL"; the mark says which row
        return [("● ", "queue-list--fresh"), (line.row.name, None)]
    return [(line.row.name, None)]


def _who(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    row = line.row
    title = row.title or "—"
    return [(f"{title} @ {row.company}" if row.company else title, None)]


BAR = 5  # cells of the score bar


def _score(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    """'82 ▮▮▮▮▯': the number, then a bar whose first cells are fit, the rest
    engagement (a lead scoring 100 or more fills it)."""
    row = line.row
    filled = min(BAR, max(0, round(row.score / 100 * BAR)))
    total = max(row.fit + row.engagement, 1)
    fit = min(filled, round(filled * max(row.fit, 0) / total))
    return [
        (f"{row.score:>3} ", None),
        ("▮" * fit, "queue-list--fit"),
        ("▮" * (filled - fit), "queue-list--engagement"),
        ("▯" * (BAR - filled), "queue-list--dim"),
    ]


FULL_WHY = 60  # narrower than this, the column says what they did and leaves out who


def _why(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    if width >= FULL_WHY or not line.did:
        return [(line.why, "queue-list--dim")]
    return [(line.did, "queue-list--dim")]


def dots(done: int, expected: int) -> str:
    return "●" * min(done, expected) + "○" * max(expected - done, 0) + "+" * (done > expected)


def _tries(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    """Attempts against the cadence: 'c●●○ e●○' is call 2 of 3 and email 1 of 2 done."""
    row = line.row
    return [(f"c{dots(row.calls, clock.calls)} e{dots(row.emails, clock.emails)}", None)]


def _source(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(source_words(line.row.source), "queue-list--dim")]


def age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h"
    return f"{minutes // (24 * 60)}d"


def _age(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(age(line.row.mql_at, clock.now), "queue-list--dim")]


def _owner(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(line.row.owner or "—", "queue-list--dim")]


SLA = Column("sla", "SLA", 11, _sla)
NAME = Column("name", "Name", 16, _name)
WHO = Column("who", "Title @ company", 26, _who)
SCORE = Column("score", "Score", 9, _score)
WHY = Column("why", "Why", 0, _why)
SOURCE = Column("source", "Source", 12, _source)
AGE = Column("age", "Age", 4, _age)
OWNER = Column("owner", "Owner", 8, _owner)

ORDER = (SLA, NAME, WHO, SCORE, WHY, None, SOURCE, AGE, OWNER)  # None: the tries column
ALWAYS = ("sla", "name", "score", "why", "tries")
OPTIONAL = ("who", "owner", "source", "age")  # added in this order while they fit
MIN_WHY = 24
GAP = 1


def tries_column(calls: int, emails: int) -> Column:
    return Column("tries", "Tries", calls + emails + 3, _tries)


def layout(width: int, calls: int, emails: int) -> list[tuple[Column, int]]:
    """The columns that fit `width`, with their widths; the rationale takes the rest."""
    order = [column or tries_column(calls, emails) for column in ORDER]
    keep = set(ALWAYS)

    def used(keys: set[str]) -> int:
        fixed = [c.width for c in order if c.key in keys and c.width]
        return sum(fixed) + GAP * (len(keys) - 1)

    for key in OPTIONAL:
        if width - used(keep | {key}) >= MIN_WHY:
            keep.add(key)
    why = max(width - used(keep), 8)
    return [(c, c.width or why) for c in order if c.key in keep]
