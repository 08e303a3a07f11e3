"""Figures as a table for people, JSON or CSV for pipes and spreadsheets.

A table is columns and rows of plain values; each column knows how a person reads
its values (a rate as "42%", a span as "1 h 20 min") and the machine formats keep
them plain (a rate as 0.42, a span in minutes).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from leadtui.core.sheets import Sheet
from leadtui.reports import words

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, id, count, rate, span, days, moment, series


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    empty: str  # what to say when there are no rows
    day: timedelta | None = None  # a business day, for long business spans


def render(table: Table, form: str) -> str:
    return RENDERERS[form](table)


def as_text(table: Table) -> str:
    if not table.rows:
        return table.empty
    cells = [[_shown(row.get(c.key), c, table.day) for c in table.columns] for row in table.rows]
    widths = [
        max(len(column.header), *(len(line[index]) for line in cells))
        for index, column in enumerate(table.columns)
    ]
    right = [column.kind not in ("text", "moment", "series") for column in table.columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            value.rjust(width) if flush else value.ljust(width)
            for value, width, flush in zip(values, widths, right, strict=True)
        ).rstrip()

    head = line([column.header for column in table.columns])
    rule = "  ".join("-" * width for width in widths)
    return "\n".join([table.title, "", head, rule, *(line(values) for values in cells)])


def as_json(table: Table) -> str:
    rows = [{c.key: _plain(row.get(c.key), c) for c in table.columns} for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def as_csv(table: Table) -> str:
    out = io.StringIO()
    sheet = Sheet(out, lineterminator="\n")
    sheet.row(column.key for column in table.columns)
    for row in table.rows:
        values = [_plain(row.get(column.key), column) for column in table.columns]
        sheet.row(
            "" if value is None else " ".join(map(str, value)) if isinstance(value, list) else value
            for value in values
        )
    return out.getvalue().rstrip("\n")


RENDERERS: dict[str, Callable[[Table], str]] = {"table": as_text, "json": as_json, "csv": as_csv}


def _shown(value: Any, column: Column, day: timedelta | None) -> str:
    if value is None:
        return "—"
    if column.kind == "rate":
        return words.percent(value)
    if column.kind == "count":
        return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if column.kind == "span":
        return words.span(value, day)
    if column.kind == "days":
        return words.calendar_span(value)
    if column.kind == "moment":
        return f"{value:%a %d %b %H:%M}"
    if column.kind == "series":
        return words.spark(value)
    return str(value)


def _plain(value: Any, column: Column) -> Any:
    """JSON and CSV values: rates as fractions, spans in minutes, moments in ISO 8601."""
    if value is None:
        return None
    if column.kind == "rate":
        return round(value, 4)
    if column.kind in ("span", "days") and isinstance(value, timedelta):
        return round(value.total_seconds() / 60, 1)
    if column.kind == "moment" and isinstance(value, datetime):
        return value.isoformat()
    if column.kind == "series":
        return list(value)
    return value
