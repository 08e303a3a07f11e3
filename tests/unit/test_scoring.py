"""Scores from the agreement: tiers, decay, caps, negatives, and factors that add up."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from leadtui.core.agreement import Agreement
from leadtui.core.models import Activity
from leadtui.core.readiness import readiness
from leadtui.core.scoring import Group, decayed, round_points, score
from tests.conftest import NOW, make_lead


def _seen(kind: str, days_ago: float, lead_id: int = 1) -> Activity:
    return Activity(lead_id=lead_id, kind=kind, at=NOW - timedelta(days=days_ago))


def test_fit_takes_one_rule_per_tier(terms: Agreement) -> None:
    result = score(make_lead(title="VP of IT, Director of Operations"), [], terms, NOW)
    labels = [factor.label for factor in result.factors if factor.group is Group.FIT]
    assert "VP or C-level" in labels
    assert "Director" not in labels  # same tier: the first match counts
    # VP 20 + IT 5 + 100+ employees 8 + industry 6 + North America 4
    assert result.fit == 43


def test_engagement_decays_with_half_life(terms: Agreement) -> None:
    # pricing page: 8 points, half-life 14 days, cap 20
    fresh = score(make_lead(), [_seen("pricing_page", 0)], terms, NOW)
    old = score(make_lead(), [_seen("pricing_page", 14)], terms, NOW)
    older = score(make_lead(), [_seen("pricing_page", 28)], terms, NOW)
    assert (fresh.engagement, old.engagement, older.engagement) == (8, 4, 2)


def test_caps_stop_page_views_outweighing_a_demo_request(terms: Agreement) -> None:
    views = [_seen("product_page", 0) for _ in range(40)]
    result = score(make_lead(), views, terms, NOW)
    assert result.engagement == 10  # 40 x 2 points, capped at 10
    demo = score(make_lead(), [_seen("demo_request", 0)], terms, NOW)
    assert demo.engagement > result.engagement


def test_activity_after_now_does_not_count(terms: Agreement) -> None:
    result = score(make_lead(), [_seen("demo_request", -1)], terms, NOW)
    assert result.engagement == 0


def test_negative_signals_lower_fit_or_engagement(terms: Agreement) -> None:
    base = score(make_lead(), [_seen("pricing_page", 0)], terms, NOW)
    free_mail = score(make_lead(email="ines@gmail.com"), [_seen("pricing_page", 0)], terms, NOW)
    unsubscribed = score(
        make_lead(), [_seen("pricing_page", 0), _seen("unsubscribed", 3)], terms, NOW
    )
    assert free_mail.fit == base.fit - 15
    assert free_mail.engagement == base.engagement
    assert unsubscribed.engagement == base.engagement - 20
    assert unsubscribed.fit == base.fit
    competitor = score(make_lead(company="QueueForce GmbH"), [], terms, NOW)
    assert any(f.label == "works for a competitor" and f.points == -40 for f in competitor.factors)


def test_rounding_is_half_away_from_zero() -> None:
    assert [round_points(x) for x in (0.5, 1.5, 2.5, -0.5, -1.5, 2.49)] == [1, 2, 3, -1, -2, 2]
    assert decayed(8, -100, 14) == 8  # no growth for future-dated activity


KINDS = st.sampled_from(
    [
        "pricing_page",
        "roi_calculator",
        "demo_request",
        "webinar_attended",
        "email_click",
        "product_page",
        "content_download",
        "unsubscribed",
        "email_bounced",
        "unknown_kind",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    title=st.sampled_from(["VP of IT", "Student", "IT Manager", "Analyst", "CIO", ""]),
    employees=st.one_of(st.none(), st.integers(0, 50_000)),
    email=st.sampled_from(["a@acme.com", "a@gmail.com", ""]),
    seen=st.lists(st.tuples(KINDS, st.floats(0, 200)), max_size=40),
)
def test_shown_factors_add_up_to_the_shown_score(
    terms: Agreement, title: str, employees: int | None, email: str, seen: list[tuple[str, float]]
) -> None:
    lead = make_lead(title=title, employees=employees, email=email)
    result = score(lead, [_seen(kind, days) for kind, days in seen], terms, NOW)
    assert result.total == sum(factor.points for factor in result.factors)
    assert result.fit + result.engagement == result.total
    assert all(isinstance(factor.points, int) and factor.points != 0 for factor in result.factors)
    caps = {rule.label: rule.cap for rule in terms.engagement}
    for factor in result.factors:
        if factor.group is Group.ENGAGEMENT:
            assert 0 < factor.points <= caps[factor.label]


def test_readiness_names_what_holds_a_lead_back(terms: Agreement) -> None:
    ready = score(make_lead(), [_seen("demo_request", 0), _seen("pricing_page", 1)], terms, NOW)
    good = readiness(make_lead(), ready, terms)
    assert good.complete and good.is_mql
    lead = make_lead(phone="123", email="ines@gmail.com", website="")
    result = score(lead, [_seen("demo_request", 0)], terms, NOW)
    held = readiness(lead, result, terms)
    assert held.missing == ("website",)
    assert held.not_legitimate == ("email: free-mail address", "phone: only 3 digits")
    assert not held.is_mql
