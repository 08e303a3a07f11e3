"""Dates as CRM exports write them: ISO, or in the exporting user's locale (11/16/2026,
16/11/2026, 16.11.2026, "11/16/2026 9:41 AM", "4/10/2025, 3:31 PM"), each column's
day/month order settled from its own values.

A value with a part above 12 settles its column (16/11/2026 is day first); until one
does, a row with a value such as 03/04/2026 waits, so a file whose dates settle on a
later row is read whole. A file that never settles a column it needs is refused in one
line naming `--date-format`; with it, every such cell is read by that format. Without
a zone, UTC is meant; every moment is bounded at the door (core.moments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from leadtui.core import moments
from leadtui.core.moments import MomentOutOfRange
from leadtui.importing import columns
from leadtui.importing.columns import BadCell
from leadtui.importing.files import ImportFailure

# A date in a locale's numbers: two parts of one or two digits, then a four-digit year,
# with one separator throughout; then, perhaps, a time (after a space or a comma).
_LOCAL = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})\.?(?:\s*,?\s+(.+))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s?m\.?)?$", re.IGNORECASE)

DAY_FIRST, MONTH_FIRST = "day/month", "month/day"


@dataclass
class DateColumn:
    """One column of dates: its header, the field it fills, and its day/month order
    (from --date-format, or settled by the first value that tells)."""

    header: str
    field: str
    date_format: str | None = None
    order: str | None = None
    settled_by: tuple[int, str] | None = None  # the line and the value that settled it
    waits_on: str | None = None  # the first value that could not settle it

    def tell(self, cell: str, line: int) -> bool:
        """Learn the column's order from `cell`; True when the cell cannot be read until
        the order is known (it could be either, and nothing settled the column yet)."""
        if self.date_format is not None or self.order is not None:
            return False
        found = _LOCAL.match(cell.strip())
        if found is None:
            return False
        first, second = int(found.group(1)), int(found.group(3))
        if first > 12 >= second:
            self.order, self.settled_by = DAY_FIRST, (line, cell.strip())
        elif second > 12 >= first:
            self.order, self.settled_by = MONTH_FIRST, (line, cell.strip())
        elif first <= 12 and second <= 12 and first != second:
            self.waits_on = self.waits_on or cell.strip()
            return True
        return False

    def moment(self, cell: str) -> int | None:
        """Unix seconds of the cell; BadCell (the row's reason) when it is no date."""
        text = cell.strip()
        if not text:
            return None
        if self.date_format is not None:
            return self._formatted(text)
        if text[:3].isdigit():  # a year first: ISO
            return columns.moment(text, self.field)
        found = _LOCAL.match(text)
        if found is None:
            raise BadCell(
                f"{self.field} {text!r} is not a date (use 2026-11-17, 11/17/2026, 17.11.2026, "
                "with the year in four digits)"
            )
        first, second = int(found.group(1)), int(found.group(3))
        if self.order is None and first != second and first <= 12 and second <= 12:
            raise BadCell(f"{self.field} {text!r} could be day/month or month/day")
        # Unsettled, a value is one that reads one way only (`tell` holds back the rest).
        order = self.order or (MONTH_FIRST if second > 12 >= first else DAY_FIRST)
        if (order == DAY_FIRST and second > 12 >= first) or (
            order == MONTH_FIRST and first > 12 >= second
        ):
            line, settled = self.settled_by or (0, "")
            raise BadCell(
                f"{self.field} {text!r} is not {order} like the column's {settled!r} (line {line})"
            )
        day_first = order == DAY_FIRST
        day, month = (first, second) if day_first else (second, first)
        return self._kept(text, int(found.group(4)), month, day, found.group(5))

    def refusal(self, path: object) -> ImportFailure:
        """The file refused: this column's dates could be read either way."""
        separator = _LOCAL.match(self.waits_on or "")
        mark = separator.group(2) if separator else "/"
        day, month = f"%d{mark}%m{mark}%Y", f"%m{mark}%d{mark}%Y"
        return ImportFailure(
            f"{path}: {self.header!r} has dates such as {self.waits_on!r} that could be "
            f"day/month or month/day; say which with --date-format {day} "
            f"(or --date-format {month})"
        )

    def _formatted(self, text: str) -> int:
        assert self.date_format is not None
        try:
            parsed = datetime.strptime(text, self.date_format)
        except ValueError:
            date, _, time = text.replace(",", " ").partition(" ")
            try:
                parsed = datetime.strptime(date, self.date_format)
            except ValueError:
                try:
                    return columns.moment(text, self.field) or 0  # ISO is always read
                except BadCell:
                    raise BadCell(
                        f"{self.field} {text!r} is not a date in --date-format {self.date_format}"
                    ) from None
            return self._kept(text, parsed.year, parsed.month, parsed.day, time.strip() or None)
        return self._at(text, parsed)

    def _kept(self, text: str, year: int, month: int, day: int, time: str | None) -> int:
        hour = minute = second = 0
        if time:
            clock = _TIME.match(time.strip())
            if clock is None:
                raise BadCell(f"{self.field} {text!r}: {time.strip()!r} is not a time of day")
            hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock[3] or 0)
            if clock.group(4):
                if not 1 <= hour <= 12:
                    raise BadCell(f"{self.field} {text!r}: {hour} is no hour before AM or PM")
                hour = hour % 12 + (12 if clock.group(4).casefold() == "p" else 0)
        try:
            parsed = datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise BadCell(f"{self.field} {text!r} is not a date") from None
        return self._at(text, parsed)

    def _at(self, text: str, parsed: datetime) -> int:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        try:
            moments.check(parsed.astimezone(UTC), self.field)
        except (MomentOutOfRange, OverflowError):
            raise BadCell(
                f"{self.field} {text!r} is outside the dates leadtui keeps ({moments.RANGE_WORDS})"
            ) from None
        return int(parsed.timestamp())


def checked_format(date_format: str) -> str:
    """--date-format as given, when it reads a day, a month and a year."""
    if not all(mark in date_format for mark in ("%d", "%m")) or not (
        "%Y" in date_format or "%y" in date_format
    ):
        raise ImportFailure(
            f"--date-format {date_format!r} needs %d, %m and %Y (e.g. %d/%m/%Y or %m/%d/%Y)"
        )
    return date_format
