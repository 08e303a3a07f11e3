"""Times as people type them at a prompt: "tomorrow", "tomorrow 14:00", "fri 9:30",
"16:00", "2026-12-03 09:00", "2026-12-03T09:00:00Z". A time without a zone is the
team's local time (the agreement's SLA time zone), as a rep means it.

Days to look back on, for a report's period: "Nov 3", "3 Nov", "November 3rd 2026",
"2026-11-03", "today", "yesterday", "monday", "3 days ago" (see `day`)."""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date, datetime, time, timedelta, tzinfo

from leadtui.core import moments

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FORMS = (
    "tomorrow, tomorrow 14:00, fri 9:30, 16:00, next week, Dec 3, Dec 3 9:30, "
    "2026-12-03 09:00, or 2026-12-03T09:00Z"
)
DAY_FORMS = "Nov 3, 3 Nov, 2026-11-03, yesterday or monday"
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DAY_OF_MONTH = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_FIRST = re.compile(rf"^([a-z]+)\.? {_DAY_OF_MONTH}(?:,? (\d{{4}}))?$")  # Nov 3, 2026
_DAY_FIRST = re.compile(rf"^{_DAY_OF_MONTH} ([a-z]+)\.?,?(?: (\d{{4}}))?$")  # 3 Nov 2026
_DAYS_AGO = re.compile(r"^(\d{1,5}) days? ago$")


class NotATime(ValueError):
    """Text that says no time this module can read; the message names the forms."""


class NotADay(ValueError):
    """Text that says no day `day` can read, or one outside the dates leadtui keeps:
    the message, one line, says what it could not read and the forms it takes;
    `short` says it without the forms, for a prompt that lists them already."""

    def __init__(self, message: str, short: str | None = None) -> None:
        super().__init__(message)
        self.short = short or message


def day(text: str, today: date) -> date:
    """The day `text` names, looking back from `today` (the team's date): a weekday is
    the latest one on or before today ("monday" on a Monday is today), a day without a
    year the latest such day on or before today ("Dec 20" in January: last December)."""
    typed = text.strip()
    if not typed:
        raise NotADay(f"no day given; say {DAY_FORMS}", "no day given")
    said = " ".join(typed.casefold().replace(",", ", ").split()).replace(" ,", ",")
    try:
        found = _day(said, today)
    except (ValueError, OverflowError):  # a day no calendar has: "Feb 30", "2026-13-01"
        found = None
    if found is None:
        raise NotADay(f"{typed!r} is not a day; say {DAY_FORMS}", f"cannot read {typed!r} as a day")
    first, last = moments.EARLIEST.date(), moments.LATEST.date()
    if not first <= found <= last:
        raise NotADay(f"{typed} is outside the dates leadtui keeps ({moments.RANGE_WORDS})")
    return found


def _day(said: str, today: date) -> date | None:
    if said == "today":
        return today
    if said == "yesterday":
        return today - timedelta(days=1)
    if said == "tomorrow":
        return today + timedelta(days=1)
    if (weekday := _weekday(said)) is not None:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    if found := _DAYS_AGO.match(said):
        return today - timedelta(days=min(int(found.group(1)), 99999))
    if found := _ISO_DAY.match(said):
        return date(*(int(part) for part in found.groups()))
    if found := _MONTH_FIRST.match(said):
        month_word, day_of_month, year = found.groups()
    elif found := _DAY_FIRST.match(said):
        day_of_month, month_word, year = found.groups()
    else:
        return None
    month = _month(month_word)
    if month is None:
        return None
    number = int(day_of_month)
    if year is not None:
        return date(int(year), month, number)
    for back in range(9):  # a 29 February lies up to eight years back
        with suppress(ValueError):
            if (found_day := date(today.year - back, month, number)) <= today:
                return found_day
    return None


def _month(word: str) -> int | None:
    """11 for "nov", "november"; None for anything else."""
    for number, name in enumerate(MONTH_NAMES, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def when(text: str, now: datetime, zone: tzinfo, opens: time) -> datetime:
    """The instant `text` names, after `now`; a day without a time is at `opens`."""
    said = " ".join(text.strip().casefold().split())
    found = _day_and_clock(said, now.astimezone(zone), zone, opens)
    if found is None:
        found = _iso(text.strip(), zone)
    if found is None:
        found = _named_day(said, now.astimezone(zone), zone, opens)
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


def _named_day(said: str, local: datetime, zone: tzinfo, opens: time) -> datetime | None:
    """ "next week" (Monday, at opening), or a day by its date ("Dec 3", "3 Dec 9:30",
    "2026-12-03"): looking ahead, so a day without a year is the next such day."""
    today = local.date()
    words = said.split()
    for taken in (2, 1, 0):  # a clock at the end, of one or two words ("9:30", "9 am")
        if taken >= len(words):
            continue
        at = _clock(" ".join(words[len(words) - taken :])) if taken else opens
        if at is None:
            continue
        named = " ".join(words[: len(words) - taken])
        if named == "next week":
            day: date | None = today + timedelta(days=7 - today.weekday())
        else:
            # weekdays were read above, looking ahead; these words look back: not a snooze
            looks_back = named == "yesterday" or named.endswith(" ago")
            try:
                day = None if looks_back or _weekday(named) is not None else _day(named, today)
            except (ValueError, OverflowError):
                day = None
            if day is not None and day < today and not re.search(r"\d{4}", named):
                with suppress(ValueError):  # a day without a year: the next one
                    day = day.replace(year=day.year + 1)
        if day is not None:
            return datetime.combine(day, at, tzinfo=zone)
    return None


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
