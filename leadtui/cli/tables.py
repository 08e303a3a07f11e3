"""A report's figures as a table for people, JSON or CSV for pipes and spreadsheets.

Each column's kind says how a person reads its values (a rate as "42%", a span as
"1 h 20 min"); the machine formats keep them plain (a rate as 0.42, a span in
minutes, a moment in ISO 8601).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from leadtui.core.sheets import Sheet
from leadtui.reports import words
from leadtui.reports.report import Column, Kind, cells

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Any]  # each column takes its value from a row
    empty: str  # what to say when there are no rows
    by: str | None  # the grouping, which heads a group's column
    day: timedelta  # a business day, for long business spans
    zone: ZoneInfo  # the team's, for moments


def render(table: Table, form: str) -> str:
    return RENDERERS[form](table)


def as_text(table: Table) -> str:
    if not table.rows:
        return table.empty
    shown = [
        [_shown(value, column, table) for value, column in zip(line, table.columns, strict=True)]
        for line in cells(table.columns, table.rows)
    ]
    headings = [column.headed(table.by) for column in table.columns]
    widths = [
        max(len(heading), *(len(line[index]) for line in shown))
        for index, heading in enumerate(headings)
    ]
    right = [column.flush_right for column in table.columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            value.rjust(width) if flush else value.ljust(width)
            for value, width, flush in zip(values, widths, right, strict=True)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([table.title, "", line(headings), rule, *(line(values) for values in shown)])


def as_json(table: Table) -> str:
    rows = [
        {
            column.key: _plain(value, column, table)
            for value, column in zip(line, table.columns, strict=True)
        }
        for line in cells(table.columns, table.rows)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def as_csv(table: Table) -> str:
    out = io.StringIO()
    sheet = Sheet(out, lineterminator="\n")
    sheet.row(column.key for column in table.columns)
    for line in cells(table.columns, table.rows):
        values = [
            _plain(value, column, table) for value, column in zip(line, table.columns, strict=True)
        ]
        sheet.row(
            "" if value is None else " ".join(map(str, value)) if isinstance(value, list) else value
            for value in values
        )
    return out.getvalue().rstrip("\n")


RENDERERS: dict[str, Callable[[Table], str]] = {"table": as_text, "json": as_json, "csv": as_csv}


def _shown(value: Any, column: Column, table: Table) -> str:
    if value is None:
        return words.NOTHING
    kind = column.kind
    if kind is Kind.RATE:
        return words.percent(value)
    if kind is Kind.COUNT:
        return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if kind is Kind.SPAN:
        return words.span(value, table.day)
    if kind is Kind.DAYS:
        return words.calendar_span(value)
    if kind is Kind.MOMENT:
        return f"{value.astimezone(table.zone):%a %d %b %H:%M}"
    if kind is Kind.SERIES:
        return words.spark(value)
    if kind is Kind.BAR:
        return words.bar(value, column.width)
    if kind is Kind.SOURCE or (kind is Kind.GROUP and table.by == "source"):
        return words.source(value)
    return str(value)


def _plain(value: Any, column: Column, table: Table) -> Any:
    """JSON and CSV values: rates as fractions, spans in minutes, moments in ISO 8601."""
    if value is None:
        return None
    kind = column.kind
    if kind in (Kind.RATE, Kind.BAR):
        return round(value, 4)
    if kind in (Kind.SPAN, Kind.DAYS) and isinstance(value, timedelta):
        return round(value.total_seconds() / 60, 1)
    if kind is Kind.MOMENT and isinstance(value, datetime):
        return value.astimezone(table.zone).isoformat()
    if kind is Kind.SERIES:
        return list(value)
    return value
