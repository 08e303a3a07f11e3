"""Saying why a lead sits where it does."""

from __future__ import annotations

from leadtui.core.queue import ordinal, place
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
