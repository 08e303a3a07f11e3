"""What a report is, declared once: its name, title, columns as data and rows. The
command line's table, JSON and CSV and the team screen's tables all draw from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leadtui.reports import Reports


class Kind(StrEnum):
    """What a column holds, which says how it is drawn: for people a rate is "42%"
    and a span "1 h 20 min"; JSON and CSV keep values plain (0.42, minutes)."""

    TEXT = "text"
    ID = "id"  # a lead's number
    COUNT = "count"
    RATE = "rate"  # a fraction
    SPAN = "span"  # business time (a timedelta): long ones in business days
    DAYS = "days"  # calendar time (a timedelta): long ones in days
    MOMENT = "moment"  # an instant, shown in the team's time zone
    SERIES = "series"  # counts per day, drawn as a sparkline
    BAR = "bar"  # a fraction drawn as a bar
    REP = "rep"  # a rep's id: the team screen shows the rep's name
    SOURCE = "source"  # a lead source's code: tables show it in words ("Paid search")
    GROUP = "group"  # what a row counts, by the report's grouping: a rep or a source


# Drawn flush left; every other kind flush right.
LEFT_KINDS = frozenset(
    {Kind.TEXT, Kind.MOMENT, Kind.SERIES, Kind.BAR, Kind.REP, Kind.SOURCE, Kind.GROUP}
)


@dataclass(frozen=True)
class Column:
    key: str  # its name in JSON and CSV
    heading: str  # over it in a table (a GROUP column is headed by its grouping)
    kind: Kind = Kind.TEXT
    value: Callable[[Any], Any] | None = None  # from a row; by default its attribute `key`
    brief: str | None = None  # a shorter heading for the team screen
    right: bool | None = None  # flush right; by default as its kind is drawn
    width: int = 10  # a bar's cells
    scaled: bool = False  # a bar against the column's best value rather than against 1

    def of(self, row: Any) -> Any:
        return getattr(row, self.key) if self.value is None else self.value(row)

    def headed(self, by: str | None, *, brief: bool = False) -> str:
        if self.kind is Kind.GROUP and by:
            return by.capitalize()
        return (self.brief or self.heading) if brief else self.heading

    @property
    def flush_right(self) -> bool:
        return self.kind not in LEFT_KINDS if self.right is None else self.right


@dataclass(frozen=True)
class Board:
    """How the team screen shows a report, where it differs from the report itself."""

    # Its columns there, in order: a key names one of the report's own (under its brief
    # heading); a Column is one only the screen draws. None: the report's own.
    columns: tuple[str | Column, ...] | None = None
    key: Callable[[Any], str] | None = None  # what names a row, to act on it
    keep: Callable[[Any], bool] | None = None  # the rows shown; by default all
    table: str | None = None  # the table's id is "<table>-table"; by default the name
    tab: str | None = None  # the title of a tab of its own; by default the name


def _no_rows(rows: Sequence[Any]) -> bool:
    return not rows


@dataclass(frozen=True)
class Report:
    name: str  # as `leadtui report NAME` takes it
    about: str  # for `leadtui report --help`: one line, "\n" where it wraps
    title: str  # fields: {by}, the grouping; {sla}, the agreement's SLA terms
    empty: str  # said when there are no rows; field {span}: "on Mon 16 Nov 2026"
    columns: tuple[Column, ...]
    rows: Callable[[Reports, str | None], Sequence[Any]]  # the figures, by a grouping
    by: tuple[str, ...] = ()  # the groupings it takes, the default first
    silent: Callable[[Sequence[Any]], bool] = _no_rows  # rows with nothing to tell
    board: Board | None = field(default_factory=Board)  # None: not on the team screen

    def grouping(self, by: str | None) -> str | None:
        """The grouping asked for, or the report's default; None when it takes none."""
        if not self.by:
            return None
        if by is None:
            return self.by[0]
        if by not in self.by:
            raise ValueError(f"{self.name} cannot be grouped by {by}: use {' or '.join(self.by)}")
        return by

    def titled(self, reports: Reports, by: str | None) -> str:
        return self.title.format(by=by, sla=reports.judge.terms)

    def nothing(self, reports: Reports) -> str:
        period = reports.period
        span = f"on {period.words()}" if period.since == period.until else f"from {period.words()}"
        return self.empty.format(span=span)

    def on_board(self) -> tuple[Column, ...]:
        """The team screen's columns."""
        board = self.board or Board()
        if board.columns is None:
            return self.columns
        own = {column.key: column for column in self.columns}
        return tuple(own[shown] if isinstance(shown, str) else shown for shown in board.columns)


def cells(columns: Sequence[Column], rows: Sequence[Any]) -> list[list[Any]]:
    """Each row's values, column by column; a scaled bar's as a share of its best."""
    values = [[column.of(row) for column in columns] for row in rows]
    for index, column in enumerate(columns):
        if column.kind is Kind.BAR and column.scaled:
            best = max((line[index] or 0 for line in values), default=0) or 1
            for line in values:
                line[index] = (line[index] or 0) / best
    return values
