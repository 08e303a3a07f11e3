"""Business time: the team's working days, hours and holidays in its own time zone."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from leadtui.core import moments
from leadtui.core.agreement import WEEKDAYS, SlaTerms
from leadtui.core.models import utc

ZERO = timedelta(0)


@dataclass(frozen=True)
class _Month:
    """The open windows of one local month, with the open time before each."""

    opens: list[datetime]
    closes: list[datetime]
    before: list[timedelta]  # open time in the month before each window opens
    after: list[timedelta]  # ... and once each window has closed
    total: timedelta

    def open_until(self, moment: datetime) -> timedelta:
        """Open time in this month before `moment`."""
        index = bisect_right(self.opens, moment) - 1
        if index < 0:
            return ZERO
        return self.before[index] + min(moment, self.closes[index]) - self.opens[index]

    def instant_at(self, position: timedelta) -> datetime:
        """The instant at which `position` (0 < position <= total) of open time is used."""
        index = bisect_left(self.after, position)
        return self.opens[index] + (position - self.before[index])


class BusinessCalendar:
    """Adds and measures business time. Instants go in and out in UTC; days, hours
    and holidays are read in the team's zone, so DST changes fall where they should.

    Exact over any span: the open windows of a local month are laid out once (a
    window's length is measured between its real instants, so a DST change inside
    the hours counts as it happened), and a span is the rest of its first month,
    the totals of the months between, and the start of its last month. No walk
    grows with the span beyond one addition a month, and nothing gives up.
    """

    def __init__(self, terms: SlaTerms) -> None:
        self.zone = ZoneInfo(terms.time_zone)
        self.opens = terms.opens
        self.closes = terms.closes
        self.working = frozenset(WEEKDAYS.index(day) for day in terms.working_days)
        self.holidays = frozenset(terms.holidays)
        self._months: dict[tuple[int, int], _Month] = {}

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The open hours of a local date, as UTC instants; None on a day off."""
        if day.weekday() not in self.working or day in self.holidays:
            return None
        opening = datetime.combine(day, self.opens, self.zone).astimezone(UTC)
        closing = datetime.combine(day, self.closes, self.zone).astimezone(UTC)
        return opening, closing

    def _month(self, key: tuple[int, int]) -> _Month:
        found = self._months.get(key)
        if found is None:
            found = self._months[key] = self._lay_out(*key)
        return found

    def _lay_out(self, year: int, month: int) -> _Month:
        day = date(year, month, 1)
        opens: list[datetime] = []
        closes: list[datetime] = []
        before: list[timedelta] = []
        after: list[timedelta] = []
        total = ZERO
        while day.month == month:
            found = self.window(day)
            if found is not None:
                opens.append(found[0])
                closes.append(found[1])
                before.append(total)
                total += found[1] - found[0]
                after.append(total)
            day += timedelta(days=1)
        return _Month(opens, closes, before, after, total)

    def _key(self, moment: datetime) -> tuple[int, int]:
        local = moment.astimezone(self.zone)
        return local.year, local.month

    def windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open windows that end after `moment`, in order, for as long as asked."""
        key = self._key(utc(moment))
        while True:
            month = self._month(key)
            start = bisect_right(month.closes, moment)
            yield from zip(month.opens[start:], month.closes[start:], strict=True)
            key = _following(key)

    def is_open(self, moment: datetime) -> bool:
        found = self.window(utc(moment).astimezone(self.zone).date())
        return found is not None and found[0] <= moment < found[1]

    def closes_after(self, moment: datetime) -> datetime:
        """When the business day open at `moment`, or the next to open, closes: the end
        of the working day a rep has ahead."""
        _, closing = next(self.windows_from(utc(moment)))
        return closing

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself when open, else the next opening."""
        opening, _ = next(self.windows_from(utc(moment)))
        return max(opening, utc(moment))

    def add(self, start: datetime, business: timedelta) -> datetime:
        """The instant `business` of open time after `start` (which may be outside hours)."""
        start = utc(start)
        if business <= ZERO:
            return start
        key = self._key(start)
        month = self._month(key)
        position = month.open_until(start) + business
        while position > month.total:
            position -= month.total
            key = _following(key)
            month = self._month(key)
        return max(start, month.instant_at(position))

    def before(self, end: datetime, business: timedelta) -> datetime:
        """The instant `business` of open time before `end`: add's inverse, so a lead
        whose deadline lies before it has been late that long. Not before 1970."""
        end = utc(end)
        if business <= ZERO:
            return end
        key = self._key(end)
        month = self._month(key)
        position = month.open_until(end) - business
        while position <= ZERO:
            key = _preceding(key)
            if key < (1970, 1):
                return moments.EARLIEST
            month = self._month(key)
            position += month.total
        return month.instant_at(position)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time from `start` to `end`; negative when `end` comes first."""
        start, end = utc(start), utc(end)
        if end < start:
            return -self.between(end, start)
        first, last = self._key(start), self._key(end)
        total = self._month(last).open_until(end) - self._month(first).open_until(start)
        key = first
        while key != last:
            total += self._month(key).total
            key = _following(key)
        return total

    def day_length(self) -> timedelta:
        """One business day, as the agreement's opening hours on an ordinary day."""
        anchor = datetime(2001, 1, 1)
        return datetime.combine(anchor, self.closes) - datetime.combine(anchor, self.opens)


def _preceding(key: tuple[int, int]) -> tuple[int, int]:
    year, month = key
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _following(key: tuple[int, int]) -> tuple[int, int]:
    year, month = key
    return (year + 1, 1) if month == 12 else (year, month + 1)


class Timeline:
    """Business time over a stretch of days, for measuring many leads at once.

    The open windows between `start` and `end` are laid out once with the open time
    before each (a running sum), so measuring or adding is a binary search on
    seconds since the epoch instead of a walk through the days. Instants outside
    the stretch are handed to the calendar, so the answers are always the calendar's.
    """

    def __init__(self, calendar: BusinessCalendar, start: datetime, end: datetime) -> None:
        self.calendar = calendar
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.before: list[int] = []  # open seconds from the first opening to each opening
        total = 0
        for opening, closing in calendar.windows_from(utc(start)):
            if opening >= end:
                break
            self.opens.append(int(opening.timestamp()))
            self.closes.append(int(closing.timestamp()))
            self.before.append(total)
            total += self.closes[-1] - self.opens[-1]
        self.total = total
        self.first = self.opens[0] if self.opens else 0
        self.last = self.closes[-1] if self.closes else 0

    def _open_until(self, moment: int) -> int:
        """Open seconds from the first opening up to `moment` (inside the stretch)."""
        index = bisect_right(self.opens, moment) - 1
        if index < 0:
            return 0
        return self.before[index] + min(moment, self.closes[index]) - self.opens[index]

    def between(self, start: int, end: int) -> int:
        """Open seconds from `start` to `end` (negative when `end` comes first)."""
        first, last = self.first, self.last
        if first <= start <= last and first <= end <= last:
            return self._open_until(end) - self._open_until(start)
        span = self.calendar.between(_instant(start), _instant(end))
        return int(span.total_seconds())

    def add(self, start: int, seconds: int) -> int:
        """The instant `seconds` of open time after `start`."""
        if seconds <= 0:
            return start
        if self.first <= start <= self.last:
            target = self._open_until(start) + seconds
            if target <= self.total:
                index = bisect_left(self.before, target) - 1
                index = max(index, 0)
                while self.before[index] + self.closes[index] - self.opens[index] < target:
                    index += 1
                return self.opens[index] + target - self.before[index]
        moment = self.calendar.add(_instant(start), timedelta(seconds=seconds))
        return int(moment.timestamp())


def _instant(moment: int) -> datetime:
    return datetime.fromtimestamp(moment, UTC)
