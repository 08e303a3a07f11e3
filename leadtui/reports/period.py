"""The dates a report covers: whole days in the team's time zone, both ends included."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NAMED = ("today", "week", "30days")


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # included
    zone: ZoneInfo

    @classmethod
    def named(cls, name: str, now: datetime, zone: ZoneInfo) -> Period:
        """'today', 'week' (Monday to today) or '30days' (the last 30 days, today
        included), as the team's calendar has them at `now`."""
        today = now.astimezone(zone).date()
        if name == "today":
            return cls(today, today, zone)
        if name == "week":
            return cls(today - timedelta(days=today.weekday()), today, zone)
        if name == "30days":
            return cls(today - timedelta(days=29), today, zone)
        raise ValueError(f"unknown period {name!r}: use one of {', '.join(NAMED)}")

    @property
    def start(self) -> int:
        """The first instant, as stored (seconds since the epoch)."""
        return _epoch(self.since, self.zone)

    @property
    def end(self) -> int:
        """The instant just past the last day."""
        return _epoch(self.until + timedelta(days=1), self.zone)

    @property
    def first(self) -> datetime:
        return datetime.fromtimestamp(self.start, UTC)

    @property
    def last(self) -> datetime:
        """The instant just past the last day."""
        return datetime.fromtimestamp(self.end, UTC)

    @property
    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    @property
    def midnights(self) -> list[int]:
        """Where each day of the period begins, as stored (DST moves some by an hour)."""
        return [_epoch(day, self.zone) for day in self.days]

    def day_index(self, moment: int, midnights: list[int]) -> int:
        """Which day of the period `moment` falls on (0 for the first)."""
        return bisect_right(midnights, moment) - 1

    def words(self) -> str:
        if self.since == self.until:
            return f"{self.since:%a %d %b %Y}"
        return f"{self.since:%a %d %b} to {self.until:%a %d %b %Y}"


def _epoch(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time(0), zone).timestamp())
