"""The rationale in words: what a rep reads before they dial."""

from __future__ import annotations

from datetime import timedelta

from leadtui.core import rationale
from leadtui.core.agreement import Agreement
from leadtui.core.models import Activity
from leadtui.core.readiness import readiness
from leadtui.core.scoring import score
from tests.conftest import NOW, make_lead


def _seen(kind: str, days_ago: float) -> Activity:
    return Activity(lead_id=1, kind=kind, at=NOW - timedelta(days=days_ago))


def test_the_short_form_says_who_and_what_they_did(terms: Agreement) -> None:
    lead = make_lead()
    seen = [
        _seen("pricing_page", 3),
        _seen("pricing_page", 4.5),
        _seen("roi_calculator", 0.2),
        _seen("webinar_attended", 20),
        _seen("email_click", 40),
    ]
    line = rationale.short(lead, score(lead, seen, terms, NOW), NOW)
    assert line == (
        "VP of IT at a 450-person manufacturer; used the ROI calculator today; "
        "visited the pricing page twice this week; attended a webinar 2 weeks ago"
    )
    seen.append(_seen("pricing_page", 0.5))
    line = rationale.short(lead, score(lead, seen, terms, NOW), NOW, most=1)
    assert line == "VP of IT at a 450-person manufacturer; visited the pricing page 3x, last today"


def test_who_reads_naturally() -> None:
    assert rationale.who(make_lead(employees=800)) == "VP of IT at an 800-person manufacturer"
    assert rationale.who(make_lead(employees=11, industry="Retail")) == (
        "VP of IT at an 11-person retailer"
    )
    assert rationale.who(make_lead(employees=None, industry="Energy")) == (
        "VP of IT at an energy company"
    )
    assert rationale.who(make_lead(employees=None, industry="", company="Acme")) == (
        "VP of IT at Acme"
    )
    assert rationale.who(make_lead(employees=1200, industry="Aerospace"), company=True) == (
        "VP of IT at Granite Precision Inc., a 1,200-person aerospace company"
    )
    assert rationale.who(make_lead(title="", employees=None, industry="", company="")) == "Someone"


def test_recency_words() -> None:
    assert [
        rationale.ago(NOW - timedelta(days=days), NOW) for days in (0.1, 1.2, 5, 9, 30, 95)
    ] == ["today", "yesterday", "this week", "last week", "4 weeks ago", "3 months ago"]


def test_the_long_form_lists_every_factor_and_what_holds_it_back(terms: Agreement) -> None:
    lead = make_lead(phone="", employees=None, industry="", email="ines@gmail.com", title="Analyst")
    seen = [_seen("pricing_page", 1), _seen("unsubscribed", 10)]
    result = score(lead, seen, terms, NOW)
    ready = readiness(lead, result, terms)
    lines = rationale.long(lead, result, ready, terms, NOW)
    assert lines[0] == "Analyst at Granite Precision Inc."
    assert "visited the pricing page yesterday (+8)" in lines
    assert "unsubscribed from email (−20)" in lines
    assert "free-mail address (−15)" in lines
    held = [line for line in lines if line.startswith("held back: ")]
    assert held == [
        "held back: missing business phone",
        "held back: free-mail address, not a business email",
        f"held back: fit {ready.fit} of 25 needed: no company size, no industry",
        f"held back: score {ready.score} of 60 needed",
    ]
    assert ready.fit == 4 - 15  # only the North America rule, then the free-mail penalty


def test_an_mql_is_not_held_back(terms: Agreement) -> None:
    lead = make_lead()
    result = score(lead, [_seen("demo_request", 0), _seen("pricing_page", 1)], terms, NOW)
    ready = readiness(lead, result, terms)
    assert ready.is_mql
    assert rationale.held_back(lead, ready, terms) == []


def test_since_says_how_long_ago_something_just_happened() -> None:
    assert [
        rationale.since(NOW - timedelta(seconds=s), NOW) for s in (10, 240, 7200, 3 * 86_400, -5)
    ] == ["10 s ago", "4 min ago", "2 h ago", "3 d ago", "0 s ago"]
