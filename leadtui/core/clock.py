"""What time it is: the real clock, a frozen one for tests, and the demo's own."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

from leadtui.core.models import utc


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, time-zone aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """Stands still until told to move; for tests and snapshots."""

    def __init__(self, at: datetime) -> None:
        self._at = utc(at)

    def now(self) -> datetime:
        return self._at

    def advance(self, by: timedelta) -> None:
        self._at += by

    def set(self, at: datetime) -> None:
        self._at = utc(at)


class DemoClock:
    """Starts at the demo data's own "now" and runs forward in real time.

    The demo's history is written relative to one instant; opening it next
    year must still show leads that are due in minutes, not breached for months.
    """

    def __init__(self, start: datetime) -> None:
        self._start = utc(start)
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)
