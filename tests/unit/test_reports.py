"""The team lead's figures against a small history whose answers were worked out by
hand (business hours: Mon-Fri 08:00-18:00 Chicago, CST = UTC-6 in November)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, Stage
from leadtui.reports import Period, Reports
from leadtui.reports.funnel import bands
from leadtui.reports.log import Handed
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


@pytest.fixture
def history(store: Store) -> dict[str, int]:
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


@pytest.fixture
def reports(store: Store, terms: Agreement, history: dict[str, int]) -> Reports:
    return Reports(store, terms, PERIOD, NOW.astimezone(UTC))


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def test_first_touch_sla_by_rep_in_business_time(reports: Reports) -> None:
    figures = {row.group: row for row in reports.sla("rep")}
    dana, marcus, nobody = figures["dana"], figures["marcus"], figures[""]
    assert (dana.handed, dana.met, dana.breached, dana.waiting) == (4, 2, 2, 0)  # a b f g
    assert dana.compliance == 0.5
    # first attempts 20 (b), 30 (g), 70 (a, across the weekend): median 30, p90 70
    assert (dana.to_first_attempt.median, dana.to_first_attempt.p90) == (minutes(30), minutes(70))
    assert dana.to_first_connect.median == minutes(20)
    assert (marcus.handed, marcus.met, marcus.breached) == (3, 2, 0)  # c h met, e owed nothing
    assert marcus.compliance == 1.0
    assert (marcus.to_first_attempt.median, marcus.to_first_attempt.p90) == (
        minutes(15),
        minutes(180),
    )
    assert marcus.to_first_connect.median == minutes(540)
    assert (nobody.handed, nobody.waiting, nobody.compliance) == (1, 1, None)
    assert (dana.cadence_done, dana.cadence_owed) == (1, 1)
    assert (marcus.cadence_done, marcus.cadence_owed) == (0, 1)


def test_breaches_say_how_late_in_business_time(reports: Reports, history: dict[str, int]) -> None:
    found = reports.breaches()
    assert [breach.lead_id for breach in found] == [history["a"], history["f"]]
    a, f = found
    assert a.late == minutes(10) and a.touched_at == at(16, 8, 40)
    assert a.due_at == at(16, 8, 30)
    assert f.late == timedelta(hours=42) and f.touched_at is None


def test_attempts_per_rep_leave_out_what_was_taken_back(reports: Reports) -> None:
    team = {rep.rep: rep for rep in reports.team()}
    dana, marcus = team["dana"], team["marcus"]
    assert (dana.calls, dana.emails, dana.connects) == (5, 2, 1)
    assert (marcus.calls, marcus.emails, marcus.connects) == (2, 1, 1)
    days = PERIOD.days
    per_day = dict(zip(days, dana.per_day, strict=True))
    assert per_day[date(2026, 11, 3)] == 2 and per_day[date(2026, 11, 16)] == 1
    assert sum(dana.per_day) == 7 and per_day[date(2026, 11, 10)] == 0  # f's call undone
    assert {(m.kind, m.reason): m.count for m in marcus.moves} == {
        ("disqualified", "bad_data"): 1,
        ("returned_to_nurture", "no_response"): 1,
        ("returned_to_nurture", "not_now"): 1,
    }
    assert (dana.open, marcus.open) == (2, 0)  # a and f are still dana's to work


def test_funnel_by_source_and_by_rep(reports: Reports) -> None:
    by_source = {row.group: row for row in reports.funnel("source")}
    web = by_source["web_form"]
    assert (web.mql, web.sal, web.sql, web.won, web.lost) == (6, 1, 1, 1, 0)
    assert web.to_sal.median == timedelta(hours=1)
    assert web.to_sql.median == timedelta(hours=3)
    assert web.to_won.median == timedelta(hours=67)  # Fri 14:00 to Mon 09:00
    assert (by_source["trade_show"].mql, by_source["trade_show"].sal) == (2, 0)
    assert by_source["all"].mql == 8 and by_source["all"].mql_to_won == 1 / 8
    by_rep = {row.group: (row.mql, row.sal, row.won) for row in reports.funnel("rep")}
    assert by_rep == {"dana": (4, 1, 1), "marcus": (3, 0, 0), "": (1, 0, 0), "all": (8, 1, 1)}


def test_reasons_by_source_for_marketing(reports: Reports) -> None:
    found = {(m.who, m.kind, m.reason): m.count for m in reports.reasons()}
    assert found == {
        ("trade_show", "returned_to_nurture", "not_now"): 1,
        ("web_form", "disqualified", "bad_data"): 1,
        ("web_form", "returned_to_nurture", "no_response"): 2,
    }


def test_an_empty_period_has_no_figures(store: Store, terms: Agreement, history: dict) -> None:
    quiet = Period(date(2026, 12, 1), date(2026, 12, 7), CHICAGO)
    empty = Reports(store, terms, quiet, NOW.astimezone(UTC))
    assert empty.handed == [] and empty.funnel() == [] and empty.breaches() == []
    assert all(rep.attempts == 0 for rep in empty.team())


def handed(score: int, converted: bool, number: int) -> Handed:
    moment = datetime(2026, 11, 2, 15, tzinfo=UTC)
    return Handed(
        id=number, name="", source="web_form", rep=None, score=score, handed_at=moment,
        marketing_at=None, first_touch_at=None, first_connect_at=None, calls=0, emails=0,
        stage=Stage.QUALIFIED if converted else Stage.WORKING, accepted_at=None,
        qualified_at=moment if converted else None, closed_at=None, won=False, left_at=None,
    )  # fmt: skip


def test_score_bands_flag_a_band_that_converts_less_than_the_one_below() -> None:
    leads = [handed(85, n < 3, n) for n in range(12)]  # 80-99: 3 of 12
    leads += [handed(65, n < 6, 100 + n) for n in range(12)]  # 60-79: 6 of 12
    leads += [handed(45, n < 1, 200 + n) for n in range(12)]  # 40-59: 1 of 12
    found = bands(leads)
    assert [(b.label, b.leads, b.converted, b.inverted) for b in found.bands] == [
        ("80-99", 12, 3, True),
        ("60-79", 12, 6, False),
        ("40-59", 12, 1, False),
    ]
    assert len(found.deciles) == 10 and sum(d.leads for d in found.deciles) == 36
    assert found.deciles[0].label == "decile 1 (85)"


def test_few_leads_are_not_called_an_inversion() -> None:
    leads = [handed(85, False, n) for n in range(5)] + [handed(65, True, 10 + n) for n in range(5)]
    assert not bands(leads).inversions
