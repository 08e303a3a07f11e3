"""Saying why a lead sits where it does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadtui.core.models import Stage
from leadtui.core.queue import QueueRow, Tier, in_order, ordinal, place, tier
from leadtui.core.sla import SlaReading, SlaState
from tests.conftest import make_lead


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 102, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "102nd",
        "111th",
    ]


def test_the_reason_leads_with_what_put_the_lead_there() -> None:
    lead = make_lead().model_copy(update={"score": 82})
    urgent = SlaReading(SlaState.DUE_SOON, "first touch due in 14 min")
    assert place(2, lead.score, urgent) == "2nd: first touch due in 14 min; score 82"
    calm = SlaReading(SlaState.ON_TRACK, "call 2 of 3 due Tue 10:00")
    assert place(7, lead.score, calm) == "7th: score 82; call 2 of 3 due Tue 10:00"


def _pool_row(lead_id: int, score: int, due: datetime) -> QueueRow:
    lead = make_lead()
    return QueueRow(
        id=lead_id,
        name=f"Lead {lead_id}",
        title=lead.title,
        company=lead.company,
        employees=lead.employees,
        industry=lead.industry,
        source=lead.source,
        stage=Stage.MQL,
        owner=None,
        score=score,
        fit=score,
        engagement=0,
        mql_at=due - timedelta(hours=1),
        first_touch_at=None,
        first_connect_at=None,
        snoozed_until=None,
        calls=0,
        emails=0,
        version=1,
        next_due_at=due,
        last_attempt_at=None,
    )


def test_in_the_pool_a_lead_late_waits_for_every_lead_still_in_time() -> None:
    now = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)
    soon, today, stale = (
        now + timedelta(minutes=30),
        now + timedelta(hours=1),
        now - timedelta(days=1),
    )
    due_soon = _pool_row(1, 50, now + timedelta(minutes=10))
    today_high = _pool_row(2, 92, now + timedelta(minutes=50))
    late_an_hour = _pool_row(3, 99, now - timedelta(hours=1))
    late_for_days = _pool_row(4, 99, now - timedelta(days=3))
    marks = {"now": now, "soon": soon, "today": today, "stale": stale}
    assert [tier(row, **marks) for row in (due_soon, today_high, late_an_hour, late_for_days)] == [
        Tier.URGENT,
        Tier.TODAY,
        Tier.LATE,
        Tier.STALE,
    ]
    assert in_order([due_soon, today_high, late_an_hour, late_for_days], **marks)
    # Twenty minutes on, the lead due soon is late: it moves down past the one in time.
    later = marks | {"now": now + timedelta(minutes=20), "soon": soon + timedelta(minutes=20)}
    assert not in_order([due_soon, today_high], **later)
    # Outside the pool, a late lead is the most urgent of all.
    assert tier(late_an_hour, now=now, soon=soon, today=today) is Tier.URGENT
