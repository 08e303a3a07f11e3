"""Times as people type them at a prompt: "tomorrow", "tomorrow 14:00", "fri 9:30",
"16:00", "2026-12-03 09:00", "2026-12-03T09:00:00Z". A time without a zone is the
team's local time (the agreement's SLA time zone), as a rep means it."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from leadtui.core import moments

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FORMS = "tomorrow, tomorrow 14:00, fri 9:30, 16:00, 2026-12-03 09:00, or 2026-12-03T09:00Z"

_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


class NotATime(ValueError):
    """Text that says no time this module can read; the message names the forms."""


def when(text: str, now: datetime, zone: tzinfo, opens: time) -> datetime:
    """The instant `text` names, after `now`; a day without a time is at `opens`."""
    said = " ".join(text.strip().casefold().split())
    found = _day_and_clock(said, now.astimezone(zone), zone, opens)
    if found is None:
        found = _iso(text.strip(), zone)
    if found is None:
        raise NotATime(f"{text!r} is not a time; say {FORMS}")
    if not moments.in_range(found):
        raise NotATime(f"{text} is outside the dates leadtui keeps ({moments.RANGE_WORDS})")
    return found


def _day_and_clock(said: str, local: datetime, zone: tzinfo, opens: time) -> datetime | None:
    day_word, _, rest = said.partition(" ")
    day: date | None
    if day_word == "today":
        day = local.date()
    elif day_word == "tomorrow":
        day = local.date() + timedelta(days=1)
    elif (weekday := _weekday(day_word)) is not None:
        ahead = (weekday - local.weekday()) % 7 or 7  # "fri" on a Friday: next Friday
        day = local.date() + timedelta(days=ahead)
    else:
        day, rest = None, said
    at = _clock(rest) if rest else (opens if day is not None else None)
    if at is None:
        return None
    if day is None:  # a clock time alone: the next time the clock shows it
        day = local.date()
        if datetime.combine(day, at, tzinfo=zone) <= local:
            day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=zone)


def _weekday(word: str) -> int | None:
    """0 for "mon", "monday"; None for anything else."""
    for number, name in enumerate(DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _clock(text: str) -> time | None:
    found = _CLOCK.match(text.strip())
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if found.group(3):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _iso(text: str, zone: tzinfo) -> datetime | None:
    """ISO 8601 as people write it: a 'T' or a space, seconds or not, 'Z' or an offset
    or nothing (then local)."""
    try:
        found = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if found.tzinfo is None:
        return found.replace(tzinfo=zone)
    return found
