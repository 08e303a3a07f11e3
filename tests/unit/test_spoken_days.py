"""Days as people type them for a report's period, looking back from today."""

from __future__ import annotations

from datetime import date

import pytest

from leadtui.core.spoken import NotADay, day

TODAY = date(2026, 11, 17)  # a Tuesday


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Nov 3", date(2026, 11, 3)),
        ("3 Nov", date(2026, 11, 3)),
        ("november 3rd", date(2026, 11, 3)),
        ("3 November 2025", date(2025, 11, 3)),
        ("Nov 3, 2026", date(2026, 11, 3)),
        ("nov 3,2026", date(2026, 11, 3)),
        ("Sept 9", date(2026, 9, 9)),
        ("2026-11-03", date(2026, 11, 3)),
        ("2026/11/3", date(2026, 11, 3)),
        ("  Today ", TODAY),
        ("yesterday", date(2026, 11, 16)),
        ("monday", date(2026, 11, 16)),
        ("tue", TODAY),  # today is a Tuesday: today, not a week ago
        ("wed", date(2026, 11, 11)),  # the latest Wednesday, last week's
        ("3 days ago", date(2026, 11, 14)),
        ("Dec 20", date(2025, 12, 20)),  # no year: the latest one, last December
        ("Feb 29", date(2024, 2, 29)),  # the latest year that has one
    ],
)
def test_days_as_people_write_them(said: str, expected: date) -> None:
    assert day(said, TODAY) == expected


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        ("Nov 33", "'Nov 33' is not a day; say Nov 3, 3 Nov, 2026-11-03, yesterday or monday"),
        ("Feb 30 2026", "'Feb 30 2026' is not a day; say"),
        ("11/3", "'11/3' is not a day; say"),  # November or March: not guessed
        ("someday", "'someday' is not a day; say"),
        ("", "no day given; say Nov 3"),
        ("1969-12-31", "1969-12-31 is outside the dates leadtui keeps (1970-01-01 to 2199-12-31)"),
        ("99999 days ago", "99999 days ago is outside the dates leadtui keeps"),
    ],
)
def test_what_is_not_a_day_says_what_it_could_not_read(said: str, problem: str) -> None:
    with pytest.raises(NotADay) as refused:
        day(said, TODAY)
    assert str(refused.value).startswith(problem) and "\n" not in str(refused.value)
