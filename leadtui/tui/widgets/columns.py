"""The queue's columns: which fit the list's width, how wide each is, and what each
cell says.

A cell is a list of pieces, each text with the component class that colours it (or
None for the row's own colour), so the list can render it without Rich markup.

The rule, in `layout`: SLA, name, company, score and the rationale always show; the
other columns come in one order of priority (`ADDED`), each only while the rationale
keeps the room that column asks it to keep, and a column that says the same on every
row of the view (the owner in "Mine") is left out. What is left over is shared by the
columns that grow (name, company, title, source, owner and the rationale, which alone
has no widest), in proportion to their `share`; the rest have fixed widths. One space
between columns; the widths and the spaces add up to the list's width.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadtui.core.models import Stage
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
    """A column: its title, what its cell says, the narrowest it is drawn, how wide it
    may grow (None: without end) and its share of spare width (0: a fixed width).
    A number sits at the column's right edge, and so does its title."""

    key: str
    title: str
    cell: Callable[[Line, SlaClock, int], list[Piece]]
    least: int
    most: int | None
    share: int = 0
    right: bool = False


def _sla(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(badge(clock.reading, clock.day), STYLES[clock.reading.state])]


def _name(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    if line.fresh:  # the notification said "New MQL"; the mark says which row
        return [("● ", "queue-list--fresh"), (line.row.name, None)]
    return [(line.row.name, None)]


def _company(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(line.row.company or "—", None)]


def _title(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(line.row.title or "—", "queue-list--dim")]


# Every stage in the column's 8 cells, in the words reps use (a search finds any).
STAGE_WORDS = {
    Stage.NURTURING: "nurture",
    Stage.MQL: "MQL",
    Stage.WORKING: "working",
    Stage.ACCEPTED: "accepted",
    Stage.QUALIFIED: "SQL",
    Stage.RETURNED_TO_NURTURE: "returned",
    Stage.DISQUALIFIED: "DQ",
    Stage.WON: "won",
    Stage.LOST: "lost",
}


def _stage(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    stage = line.row.stage
    return [(STAGE_WORDS[stage], None)]


def _score(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(str(line.row.score), None)]


BAR = 5  # cells of the score bar


def _bar(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    """'▮▮▮▮▯': the first cells are fit, the rest engagement (100 or more fills it)."""
    row = line.row
    filled = min(BAR, max(0, round(row.score / 100 * BAR)))
    total = max(row.fit + row.engagement, 1)
    fit = min(filled, round(filled * max(row.fit, 0) / total))
    return [
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
    """'●●○': 2 of 3 done; '●●+': more than the cadence's 3, in the same cells."""
    if done > expected:
        return "●" * (expected - 1) + "+" if expected else "+"
    return "●" * done + "○" * (expected - done)


def _tries(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    """Attempts against the cadence: 'c●●○ e●○' is call 2 of 3 and email 1 of 2 done."""
    row = line.row
    return [(f"c{dots(row.calls, clock.calls)} e{dots(row.emails, clock.emails)}", None)]


def _source(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(source_words(line.row.source), "queue-list--dim")]


def age(moment: datetime | None, now: datetime) -> str:
    """'5m', '7h', '3d', '16y': the biggest unit that keeps it short."""
    if moment is None:
        return ""
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h"
    days = minutes // (24 * 60)
    return f"{days}d" if days < 730 else f"{days // 365}y"


def _age(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(age(line.row.mql_at, clock.now), "queue-list--dim")]


def _owner(line: Line, clock: SlaClock, width: int) -> list[Piece]:
    return [(line.row.owner or "—", "queue-list--dim")]


SLA = Column("sla", "SLA", _sla, 11, 11)  # "✖ 1h20 late", the longest badge
NAME = Column("name", "Name", _name, 15, 20, share=1)
COMPANY = Column("company", "Company", _company, 14, 26, share=2)
TITLE = Column("title", "Title", _title, 14, 28, share=2)
STAGE = Column("stage", "Stage", _stage, 8, 8)
SCORE = Column("score", "Score", _score, 5, 5, right=True)
SCORE_BAR = Column("bar", "", _bar, BAR, BAR)
WHY = Column("why", "Why", _why, 16, None, share=4)
SOURCE = Column("source", "Source", _source, 12, 16, share=1)
AGE = Column("age", "Age", _age, 4, 4, right=True)
OWNER = Column("owner", "Owner", _owner, 8, 10, share=1)

# Left to right; None is the tries column, as wide as the agreement's cadence.
ORDER = (SLA, NAME, COMPANY, TITLE, STAGE, SCORE, SCORE_BAR, WHY, None, SOURCE, AGE, OWNER)
ALWAYS = ("sla", "name", "company", "score", "why")
# Added in this order, each while the rationale keeps the width given; the first
# that does not fit ends the list (a column a view says nothing with is skipped).
ADDED = (
    ("tries", WHY.least),
    ("owner", 20),
    ("stage", 20),
    ("bar", 24),
    ("title", 28),
    ("source", 40),
    ("age", 40),
)
GAP = 1


def tries_column(calls: int, emails: int) -> Column:
    width = calls + emails + 3
    return Column("tries", "Tries", _tries, width, width)


def layout(
    width: int, calls: int, emails: int, alike: Collection[str] = ()
) -> list[tuple[Column, int]]:
    """The columns that fit `width`, left to right, with their widths; `alike` are
    the keys of columns that say the same on every row of the view, left out."""
    order = [column or tries_column(calls, emails) for column in ORDER]
    by_key = {column.key: column for column in order}

    def least(keys: list[str]) -> int:
        return sum(by_key[key].least for key in keys) + GAP * (len(keys) - 1)

    keep = list(ALWAYS)
    for key, room in ADDED:
        if key in alike:
            continue
        if width - least([*keep, key]) + WHY.least < room:
            break
        keep.append(key)
    sizes = {key: by_key[key].least for key in keep}
    spare = width - least(keep)
    if spare < 0:  # narrower than the columns that always show: the rationale gives way
        sizes["why"] = max(sizes["why"] + spare, 1)
    growing = [column for column in order if column.key in sizes and column.share]
    for _ in range(max(spare, 0)):
        room_left = [c for c in growing if c.most is None or sizes[c.key] < c.most]
        chosen = min(room_left, key=lambda c: sizes[c.key] / c.share)
        sizes[chosen.key] += 1
    return [(column, sizes[column.key]) for column in order if column.key in sizes]
