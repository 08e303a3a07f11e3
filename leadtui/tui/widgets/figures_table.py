"""A report's figures on the team screen: a DataTable drawn from the report's own
declaration, with the board's columns under their brief headings, figures flush right."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import DataTable

from leadtui.reports import words
from leadtui.reports.report import Board, Column, Kind, Report, cells


class FiguresTable(DataTable[Any]):
    """One report's table; `show` draws it anew from the report's rows."""

    def __init__(
        self,
        report: Report,
        *,
        day: timedelta,
        zone: ZoneInfo,
        name_of: Callable[[str], str],
    ) -> None:
        board = report.board or Board()
        super().__init__(
            id=f"{board.table or report.name}-table",
            cursor_type="row",
            zebra_stripes=True,
            fixed_columns=1,  # what a row is about stays in view when the table scrolls right
        )
        self.report = report
        self.board = board
        self.day = day  # a business day, for long business spans
        self.zone = zone  # the team's, for moments
        self.name_of = name_of  # a rep's name, from their id

    def show(self, rows: Sequence[Any], by: str | None = None) -> None:
        keep = self.board.keep
        shown = [row for row in rows if keep(row)] if keep else list(rows)
        columns = self.report.on_board()
        at = self.coordinate_to_cell_key(self.cursor_coordinate).row_key if self.row_count else None
        self.clear(columns=True)
        self.add_columns(*(column.headed(by, brief=True) for column in columns))
        key = self.board.key
        for row, values in zip(shown, cells(columns, shown), strict=True):
            self.add_row(
                *(
                    self.cell(value, column, by)
                    for value, column in zip(values, columns, strict=True)
                ),
                key=key(row) if key else None,
            )
        if at is not None and at in self.rows:  # the cursor stays on the row it was on
            self.move_cursor(row=self.get_row_index(at), animate=False)

    def cell(self, value: Any, column: Column, by: str | None) -> str | Text:
        drawn = self.drawn(value, column, by)
        return Text(drawn, justify="right") if column.flush_right else drawn

    def drawn(self, value: Any, column: Column, by: str | None) -> str:
        """As the screen draws each kind: shorter than the command line's table (no
        weekday in a moment, no thousands separator), reps by name, sources in words."""
        kind = column.kind
        if kind is Kind.BAR:
            return words.bar(value, column.width)
        if value is None:
            return "not yet" if kind is Kind.MOMENT else words.NOTHING
        if kind is Kind.RATE:
            return words.percent(value)
        if kind is Kind.SPAN:
            return words.span(value, self.day)
        if kind is Kind.DAYS:
            return words.calendar_span(value)
        if kind is Kind.MOMENT:
            return f"{value.astimezone(self.zone):%d %b %H:%M}"
        if kind is Kind.SERIES:
            return words.spark(value)
        if kind is Kind.REP or (kind is Kind.GROUP and by == "rep"):
            return self.name_of(value)
        if kind is Kind.SOURCE or (kind is Kind.GROUP and by == "source"):
            return words.source(value)
        return str(value)
