"""The team lead's figures against a small history whose answers were worked out by
hand (see tests/unit/history.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from leadtui.core.agreement import Agreement
from leadtui.reports import Period, Reports
from leadtui.reports.funnel import bands
from leadtui.store import Store
from leadtui.store.for_reports import Clock, Handed
from tests.unit.history import CHICAGO, NOW, PERIOD, at, build_history


@pytest.fixture
def history(store: Store) -> dict[str, int]:
    return build_history(store)


@pytest.fixture(params=["measured", "worked out"])
def reports(
    request: pytest.FixtureRequest, store: Store, terms: Agreement, history: dict[str, int]
) -> Reports:
    """The same figures whether the reports measure business time themselves or
    read what the store worked out under the same agreement."""
    if request.param == "worked out":
        store.refresh_due(terms)
    made = Reports(store, terms, PERIOD, NOW.astimezone(UTC))
    assert made.judge.trusted == (request.param == "worked out")
    return made


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


def test_sla_figures_agree_whether_whole_rows_or_only_clocks_were_read(
    reports: Reports, store: Store, terms: Agreement
) -> None:
    """The screen reads the whole rows up front; the CLI's per-rep figures read only
    the columns the SLA clock needs. Both give the same figures."""
    whole = Reports(store, terms, PERIOD, NOW.astimezone(UTC)).read()
    assert "clocks" not in reports.__dict__ and "handed" not in reports.__dict__
    assert reports.team() == whole.team()
    assert reports.sla("source") == whole.sla("source")
    assert "handed" not in reports.__dict__  # the narrow read was the one used
    assert isinstance(reports.clocks[0], Clock)


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
    moment = int(datetime(2026, 11, 2, 15, tzinfo=UTC).timestamp())
    return Handed(
        id=number,
        name="",
        source="web_form",
        rep=None,
        score=score,
        handed_at=moment,
        marketing_at=None,
        first_touch_at=None,
        first_connect_at=None,
        calls=0,
        emails=0,
        stage="qualified" if converted else "working",
        accepted_at=None,
        qualified_at=moment if converted else None,
        closed_at=None,
        changed_at=moment,
    )


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
    # 36 leads in tenths of 3 or 4, highest score first, the same score in id order;
    # the 4th and 7th tenths straddle two scores.
    assert [(d.label, d.leads, d.converted) for d in found.deciles] == [
        ("decile 1 (85)", 3, 3),
        ("decile 2 (85)", 4, 0),
        ("decile 3 (85)", 3, 0),
        ("decile 4 (65-85)", 4, 2),
        ("decile 5 (65)", 4, 4),
        ("decile 6 (65)", 3, 0),
        ("decile 7 (45-65)", 4, 1),
        ("decile 8 (45)", 3, 0),
        ("decile 9 (45)", 4, 0),
        ("decile 10 (45)", 4, 0),
    ]


def test_few_leads_are_not_called_an_inversion() -> None:
    leads = [handed(85, False, n) for n in range(5)] + [handed(65, True, 10 + n) for n in range(5)]
    assert not bands(leads).inversions
