"""A small history whose report figures were worked out by hand (business hours:
Mon-Fri 08:00-18:00 Chicago, CST = UTC-6 in November). Shared by the report tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from leadtui.core.models import AttemptOutcome, Channel
from leadtui.reports import Period
from leadtui.store import Store
from tests.conftest import make_lead

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 16, 12, 0, tzinfo=CHICAGO)  # Monday noon
PERIOD = Period(date(2026, 11, 2), date(2026, 11, 16), CHICAGO)
CALL, EMAIL = Channel.CALL, Channel.EMAIL
NO_ANSWER, CONNECTED = AttemptOutcome.NO_ANSWER, AttemptOutcome.CONNECTED
ALL_CHECKED = {"decision_maker": True, "budget": True, "need": True, "timing": True}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO)


def hand_over(store: Store, key: str, source: str, when: datetime, score: int = 70) -> int:
    lead = store.add_lead(make_lead(name=key, email=f"{key}@example.com", source=source))
    assert lead.id is not None
    store.became_mql(lead.id, at=when, score=score, fit=30, engagement=score - 30)
    return lead.id


def build_history(store: Store) -> dict[str, int]:
    ids = {}
    # A: handed over Friday 17:30, first call Monday 08:40: 30 + 40 = 70 business
    # minutes against web_form's 60 (breached by 10), 63 hours on the wall clock.
    ids["a"] = hand_over(store, "a", "web_form", at(13, 17, 30))
    store.claim(ids["a"], "dana", at=at(13, 17, 35), expected_version=1)
    store.log_attempt(ids["a"], "dana", at=at(16, 8, 40), channel=CALL, outcome=NO_ANSWER)
    # B: 20 minutes to a connect, accepted, qualified, won.
    ids["b"] = hand_over(store, "b", "web_form", at(13, 10))
    store.claim(ids["b"], "dana", at=at(13, 10, 5), expected_version=1)
    store.log_attempt(ids["b"], "dana", at=at(13, 10, 20), channel=CALL, outcome=CONNECTED)
    store.accept(ids["b"], "dana", at=at(13, 11))
    store.qualify(ids["b"], "dana", at=at(13, 14), checklist=ALL_CHECKED)
    store.close_deal(ids["b"], "crm", at=at(16, 9), outcome="won")
    # C: trade show (600 min): email Friday 09:00 = 180 business minutes, met; connect
    # Friday 15:00 = 540; returned to nurture, not now.
    ids["c"] = hand_over(store, "c", "trade_show", at(12, 16))
    store.claim(ids["c"], "marcus", at=at(12, 16, 30), expected_version=1)
    store.log_attempt(ids["c"], "marcus", at=at(13, 9), channel=EMAIL, outcome=NO_ANSWER)
    store.log_attempt(ids["c"], "marcus", at=at(13, 15), channel=CALL, outcome=CONNECTED)
    store.return_to_nurture(ids["c"], "marcus", at=at(13, 16), reason="not_now")
    # D: handed over on Saturday, nobody has it: due Monday 18:00, still waiting.
    ids["d"] = hand_over(store, "d", "trade_show", at(14, 10))
    # E: disqualified ten minutes in, untouched: no touch was owed.
    ids["e"] = hand_over(store, "e", "web_form", at(9, 9))
    store.claim(ids["e"], "marcus", at=at(9, 9, 5), expected_version=1)
    store.disqualify(ids["e"], "marcus", at=at(9, 9, 10), reason="bad_data")
    # F: untouched since Tuesday 10:00; a call logged and taken back does not count.
    # Late by Tue 8 h + Wed-Fri 30 h + Mon 4 h = 42 business hours.
    ids["f"] = hand_over(store, "f", "web_form", at(10, 9))
    store.claim(ids["f"], "dana", at=at(10, 9, 1), expected_version=1)
    store.log_attempt(ids["f"], "dana", at=at(10, 9, 30), channel=CALL, outcome=NO_ANSWER)
    store.undo_last("dana", at=at(10, 9, 31))
    # G: the whole cadence (3 calls, 2 emails), no connect, returned: cadence done.
    ids["g"] = hand_over(store, "g", "web_form", at(2, 9))
    store.claim(ids["g"], "dana", at=at(2, 9, 1), expected_version=1)
    for day, hour, channel in ((2, 9, CALL), (3, 10, CALL), (3, 11, EMAIL), (5, 11, CALL)):
        store.log_attempt(
            ids["g"], "dana", at=at(day, hour, 30), channel=channel, outcome=NO_ANSWER
        )
    store.log_attempt(ids["g"], "dana", at=at(6, 11), channel=EMAIL, outcome=NO_ANSWER)
    store.return_to_nurture(ids["g"], "dana", at=at(9, 10), reason="no_response")
    # H: one call, no connect, returned after the cadence's days: cadence not done.
    ids["h"] = hand_over(store, "h", "web_form", at(3, 9))
    store.claim(ids["h"], "marcus", at=at(3, 9, 1), expected_version=1)
    store.log_attempt(ids["h"], "marcus", at=at(3, 9, 15), channel=CALL, outcome=NO_ANSWER)
    store.return_to_nurture(ids["h"], "marcus", at=at(11, 10), reason="no_response")
    # Outside the period: handed over in October, does not count anywhere.
    hand_over(store, "old", "web_form", at(2, 9) - timedelta(days=10))
    return ids
