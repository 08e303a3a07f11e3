"""Business time across weekends, holidays and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtui.core import moments
from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar, Timeline

CHICAGO = ZoneInfo("America/Chicago")


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHICAGO).astimezone(UTC)


def test_a_friday_evening_lead_is_due_monday(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)  # Mon-Fri 08:00-18:00 Chicago
    friday_evening = _local(date(2026, 11, 13), 17, 30)
    due = calendar.add(friday_evening, timedelta(hours=1))
    assert due == _local(date(2026, 11, 16), 8, 30)  # 30 min Friday, 30 min Monday
    assert calendar.between(friday_evening, due) == timedelta(hours=1)
    assert not calendar.is_open(_local(date(2026, 11, 14), 10))  # Saturday


def test_holidays_are_skipped(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    wednesday = _local(date(2026, 11, 25), 17)  # Thanksgiving Thu 26 and Fri 27 are off
    assert calendar.add(wednesday, timedelta(hours=2)) == _local(date(2026, 11, 30), 9)
    assert calendar.next_open(_local(date(2026, 11, 26), 12)) == _local(date(2026, 11, 30), 8)


def test_dst_changes_do_not_bend_the_hours(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    # Clocks go back on Sunday 1 Nov 2026: from Friday's close to Monday's opening the
    # wall clock says 62 hours and 63 really pass, yet no business time at all.
    friday = _local(date(2026, 10, 30), 17, 59)
    monday = calendar.add(friday, timedelta(minutes=2))
    assert monday == _local(date(2026, 11, 2), 8, 1)
    assert monday.astimezone(CHICAGO).hour == 8
    assert calendar.between(friday, monday) == timedelta(minutes=2)
    spring = calendar.add(_local(date(2026, 3, 6), 17), timedelta(hours=2))
    assert spring.astimezone(CHICAGO).replace(tzinfo=None) == datetime(2026, 3, 9, 9, 0)


def test_a_day_is_its_opening_hours(terms: Agreement) -> None:
    assert BusinessCalendar(terms.sla).day_length() == timedelta(hours=10)


MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(UTC)
)
SPANS = st.integers(min_value=0, max_value=60 * 24 * 30).map(lambda m: timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(start=MOMENTS, first=SPANS, second=SPANS)
def test_adding_is_monotone_and_measuring_undoes_it(
    terms: Agreement, start: datetime, first: timedelta, second: timedelta
) -> None:
    calendar = BusinessCalendar(terms.sla)
    low, high = sorted((first, second))
    assert calendar.add(start, low) <= calendar.add(start, high)
    assert calendar.between(start, calendar.add(start, high)) == high
    assert calendar.add(start, high) >= start


@settings(max_examples=300, deadline=None)
@given(start=MOMENTS, end=MOMENTS)
def test_measuring_is_antisymmetric_and_adding_lands_in_hours(
    terms: Agreement, start: datetime, end: datetime
) -> None:
    calendar = BusinessCalendar(terms.sla)
    assert calendar.between(start, end) == -calendar.between(end, start)
    span = calendar.between(start, end)
    if span > timedelta(0):
        landed = calendar.add(start, span)
        assert landed <= end
        assert calendar.between(landed, end) == timedelta(0)  # only closed time between


# A stretch of a year around the 2026 holidays and DST changes; moments inside it and
# a little outside, so the timeline's hand-over to the calendar is exercised too.
STRETCH = (datetime(2026, 2, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
SECONDS = st.integers(
    min_value=int(STRETCH[0].timestamp()) - 86400 * 20,
    max_value=int(STRETCH[1].timestamp()) + 86400 * 20,
)


@settings(max_examples=300, deadline=None)
@given(start=SECONDS, end=SECONDS, add=st.integers(min_value=-10, max_value=400 * 3600))
def test_a_timeline_measures_and_adds_exactly_as_the_calendar(
    terms: Agreement, start: int, end: int, add: int
) -> None:
    calendar = BusinessCalendar(terms.sla)
    timeline = Timeline(calendar, *STRETCH)
    moment = datetime.fromtimestamp(start, UTC)
    expected = calendar.between(moment, datetime.fromtimestamp(end, UTC))
    assert timeline.between(start, end) == int(expected.total_seconds())
    added = calendar.add(moment, timedelta(seconds=add))
    assert timeline.add(start, add) == int(added.timestamp())


# Decades of history: the calendar against the plain day-by-day sum of open windows,
# over spans of none to fifty years anywhere in the range leadtui keeps, under the
# default agreement (Chicago, holidays) and one whose hours hold London's DST changes.
def _walked(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    day = start.astimezone(calendar.zone).date() - timedelta(days=1)
    last = end.astimezone(calendar.zone).date() + timedelta(days=1)
    total = timedelta(0)
    while day <= last:
        found = calendar.window(day)
        if found is not None:
            total += max(timedelta(0), min(found[1], end) - max(found[0], start))
        day += timedelta(days=1)
    return total


def _calendars(terms: Agreement) -> list[BusinessCalendar]:
    late_hours = terms.sla.model_copy(
        update={"time_zone": "Europe/London", "opens": time(0, 30), "closes": time(23, 30)}
    )
    return [BusinessCalendar(terms.sla), BusinessCalendar(late_hours)]


ANY_MOMENT = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2149, 12, 31), timezones=st.just(UTC)
)
YEARS = st.integers(min_value=0, max_value=50 * 366 * 86400).map(lambda s: timedelta(seconds=s))


@settings(max_examples=40, deadline=None)
@given(start=ANY_MOMENT, span=YEARS)
def test_business_time_over_decades_is_the_day_by_day_sum(
    terms: Agreement, start: datetime, span: timedelta
) -> None:
    for calendar in _calendars(terms):
        end = start + span
        measured = calendar.between(start, end)
        assert measured == _walked(calendar, start, end)
        assert calendar.between(end, start) == -measured
        if measured > timedelta(0):
            landed = calendar.add(start, measured)
            assert landed <= end
            assert _walked(calendar, landed, end) == timedelta(0)


def test_the_oldest_and_newest_moments_are_measured_without_giving_up(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)  # Mon-Fri, 10 hours a day
    start, end = datetime(1970, 1, 1, tzinfo=UTC), datetime(2199, 12, 31, 23, tzinfo=UTC)
    measured = calendar.between(start, end)
    assert measured == _walked(calendar, start, end)
    assert timedelta(days=230 * 365 * 10 / 24 * 5 / 7 * 0.95) < measured  # ~230 years of weekdays
    assert calendar.add(start, measured) <= end
    # A hand-off of 2016 (the old calendar gave up ten years on) is measured to today.
    handed = datetime(2016, 1, 5, 15, tzinfo=UTC)
    today = datetime(2026, 12, 2, 15, tzinfo=UTC)
    assert calendar.between(handed, today) == _walked(calendar, handed, today)


@pytest.mark.parametrize("hours", [0.5, 3, 10, 11, 47, 250])
def test_before_is_adds_inverse(terms: Agreement, hours: float) -> None:
    calendar = BusinessCalendar(terms.sla)
    open_moment = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)  # Tue 10:40 in Chicago
    span = timedelta(hours=hours)
    earlier = calendar.before(open_moment, span)
    assert calendar.between(earlier, open_moment) == span
    assert calendar.add(earlier, span) == open_moment
    assert calendar.before(datetime(1970, 1, 2, tzinfo=UTC), span * 100) == moments.EARLIEST
