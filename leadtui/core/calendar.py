"""Business time: the team's working days, hours and holidays in its own time zone."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from leadtui.core.agreement import WEEKDAYS, SlaTerms
from leadtui.core.models import utc

# How far the calendar looks for open hours before it gives up: a calendar with no
# working day in ten years is a broken agreement, not a long weekend.
HORIZON_DAYS = 3653


class BusinessCalendar:
    """Adds and measures business time. Instants go in and out in UTC; days, hours
    and holidays are read in the team's zone, so DST changes fall where they should."""

    def __init__(self, terms: SlaTerms) -> None:
        self.zone = ZoneInfo(terms.time_zone)
        self.opens = terms.opens
        self.closes = terms.closes
        self.working = frozenset(WEEKDAYS.index(day) for day in terms.working_days)
        self.holidays = frozenset(terms.holidays)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The open hours of a local date, as UTC instants; None on a day off."""
        if day.weekday() not in self.working or day in self.holidays:
            return None
        opening = datetime.combine(day, self.opens, self.zone).astimezone(UTC)
        closing = datetime.combine(day, self.closes, self.zone).astimezone(UTC)
        return opening, closing

    def windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open windows that end after `moment`, in order, starting with its own day."""
        day = utc(moment).astimezone(self.zone).date()
        for offset in range(HORIZON_DAYS):
            found = self.window(day + timedelta(days=offset))
            if found is not None and found[1] > moment:
                yield found
        raise ValueError("the agreement's calendar has no open hours in the next ten years")

    def is_open(self, moment: datetime) -> bool:
        found = self.window(utc(moment).astimezone(self.zone).date())
        return found is not None and found[0] <= moment < found[1]

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself when open, else the next opening."""
        opening, _ = next(self.windows_from(utc(moment)))
        return max(opening, utc(moment))

    def add(self, start: datetime, business: timedelta) -> datetime:
        """The instant `business` of open time after `start` (which may be outside hours)."""
        start = utc(start)
        if business <= timedelta(0):
            return start
        left = business
        for opening, closing in self.windows_from(start):
            begin = max(opening, start)
            room = closing - begin
            if left <= room:
                return begin + left
            left -= room
        raise AssertionError("unreachable: windows_from raises past its horizon")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time from `start` to `end`; negative when `end` comes first."""
        start, end = utc(start), utc(end)
        if end < start:
            return -self.between(end, start)
        total = timedelta(0)
        for opening, closing in self.windows_from(start):
            if opening >= end:
                break
            total += min(closing, end) - max(opening, start)
        return total

    def day_length(self) -> timedelta:
        """One business day, as the agreement's opening hours on an ordinary day."""
        anchor = datetime(2001, 1, 1)
        return datetime.combine(anchor, self.closes) - datetime.combine(anchor, self.opens)


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
