"""The moments leadtui keeps: one range for the whole product, checked at every door.

History from a CRM goes back years (a team's first leads from 2009 are ordinary);
a date in 1900 or 9999 is a typo or a placeholder, and business time measured from
it means nothing. Every moment that comes in (a CSV cell, a pushed event, a hand-off,
a command-line option) must lie from 1970-01-01 to 2199-12-31 (UTC) inclusive; outside
that it is refused where it comes in, with the field named. A file that already holds
such a moment (an older version wrote it) still opens: the moment is shown as it is
and left out of the SLA clock and the figures.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
EARLIEST_EPOCH = int(EARLIEST.timestamp())
LATEST_EPOCH = int(LATEST.timestamp())  # a whole second: 2199-12-31T23:59:59Z
RANGE_WORDS = "1970-01-01 to 2199-12-31"
# The longest stretch an option or a setting may span: a snooze, a report's period.
LONGEST = LATEST - EARLIEST


class MomentOutOfRange(ValueError):
    """A moment outside the range leadtui keeps; the message names what and when."""


def in_range(moment: datetime | None) -> bool:
    """True for a moment leadtui can keep (None, no moment at all, counts as kept)."""
    if moment is None:
        return True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return EARLIEST <= moment <= LATEST


def epoch_in_range(seconds: float | None) -> bool:
    return seconds is None or EARLIEST_EPOCH <= seconds <= LATEST_EPOCH


def check(moment: datetime, what: str) -> datetime:
    """`moment` when it lies in the range, else MomentOutOfRange naming `what`."""
    if not in_range(moment):
        raise MomentOutOfRange(
            f"{what} {shown(moment)} is outside the dates leadtui keeps ({RANGE_WORDS})"
        )
    return moment


def shown(moment: datetime) -> str:
    """A moment as it is, for a message: the date alone at midnight UTC."""
    if moment.tzinfo is None or moment.utcoffset() == timedelta(0):
        if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
            return moment.date().isoformat()
        return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return moment.isoformat(timespec="seconds")


def from_epoch(seconds: float) -> datetime | None:
    """The instant of Unix `seconds`, or None when no datetime can hold it."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
