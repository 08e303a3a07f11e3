"""The team review: the figures the reports compute, on screen; drilling from a rep to
their breaches and from a breach to the lead; the period switcher."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TabbedContent

from leadtui.core.agreement import Agreement
from leadtui.demo import DEMO_NOW
from leadtui.reports import Period, Reports
from leadtui.store import Store
from leadtui.tui.screens.lead import LeadScreen
from leadtui.tui.screens.team import TeamScreen
from tests.tui.conftest import app_on, notes, settle


def cells(pilot: Pilot[None], table: str) -> list[list[str]]:
    found = pilot.app.screen.query_one(f"#{table}", DataTable)
    return [[str(cell) for cell in found.get_row_at(index)] for index in range(found.row_count)]


def said(pilot: Pilot[None], widget: str) -> str:
    return str(pilot.app.screen.query_one(f"#{widget}", Static).render())


async def test_the_reps_table_shows_the_reports_figures(work: Store, terms: Agreement) -> None:
    period = Period.named("30days", DEMO_NOW, ZoneInfo(terms.sla.time_zone))
    expected = {rep.name: rep for rep in Reports(work, terms, period, DEMO_NOW).team() if rep.rep}
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TeamScreen)
        assert "Last 30 days, Mon 19 Oct to Tue 17 Nov 2026" in said(pilot, "team-period")
        rows = {row[0]: row for row in cells(pilot, "reps-table")}
        assert set(rows) == set(expected)
        for name, rep in expected.items():
            assert rows[name][1].startswith(f"{rep.open}/{rep.capacity}")
            assert rows[name][4:7] == [str(rep.calls), str(rep.emails), str(rep.connects)]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, TeamScreen)


async def test_from_a_rep_to_their_breaches_to_the_lead(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TeamScreen) and screen.loaded is not None
        busiest = max(screen.loaded.team, key=lambda rep: rep.sla.breached)
        theirs = [breach for breach in screen.loaded.breaches if breach.rep == busiest.rep]
        assert theirs, "the demo has breaches to drill into"
        reps = screen.query_one("#reps-table", DataTable)
        reps.move_cursor(row=reps.get_row_index(busiest.rep))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "breaches"
        shown = cells(pilot, "breaches-table")
        assert [row[0] for row in shown] == [breach.name for breach in theirs]
        assert f"{len(theirs)} first-touch breach" in said(pilot, "breaches-caption")
        await pilot.press("enter")  # the first breach: its lead
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadScreen)
        assert pilot.app.screen.lead_id == theirs[0].lead_id
        keys = pilot.app.screen.active_bindings.items()
        assert "c" not in {key for key, active in keys if active.enabled}  # only to read
        await pilot.press("escape", "escape")  # the lead, then the rep's filter
        await settle(pilot)
        assert len(cells(pilot, "breaches-table")) == len(screen.loaded.breaches)


async def test_the_period_switcher(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TeamScreen)
        await pilot.press("2")
        await settle(pilot)
        assert "This week, Mon 16 Nov to Tue 17 Nov 2026" in said(pilot, "team-period")
        await pilot.press("4")
        await pilot.press(*"2026-11-13", "tab", *"2026-11-09", "enter")
        await settle(pilot)
        assert "comes after" in said(pilot, "period-problem")  # the picker stays, says why
        await pilot.press("shift+tab", *"1969-12-31", "enter")
        await settle(pilot)
        assert "outside the dates leadtui keeps (1970-01-01" in said(pilot, "period-problem")
        await pilot.press("ctrl+u", *"2026-11-02", "enter")  # the box in error has the focus
        await settle(pilot)
        assert screen.period == Period(date(2026, 11, 2), date(2026, 11, 9), screen.period.zone)
        assert "Mon 02 Nov to Mon 09 Nov 2026" in said(pilot, "team-period")
        assert screen.loaded is not None and screen.loaded.period == screen.period


async def test_a_rep_is_told_the_review_is_for_team_leads(work: Store, terms: Agreement) -> None:
    from leadtui.core.clock import FixedClock
    from leadtui.tui.app import make_app

    app = make_app(work, terms, FixedClock(DEMO_NOW), rep="dana", demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, TeamScreen)
        assert "The team review is for team leads" in notes(pilot)


async def test_a_team_lead_opens_the_review_outside_the_demo(work: Store, terms: Agreement) -> None:
    from leadtui.core.clock import FixedClock
    from leadtui.tui.app import make_app

    lead = next(rep for rep in work.reps() if rep.role.value == "lead")
    app = make_app(work, terms, FixedClock(DEMO_NOW), rep=lead.id, demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TeamScreen)
        assert cells(pilot, "reps-table")  # the figures came in


async def test_since_the_agreement_shows_the_leads_it_scored(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert "has not scored this file yet: run `leadtui rescore` first" in " ".join(notes(pilot))
        await pilot.press("escape")
        await settle(pilot)
    work.rescore(terms, DEMO_NOW - timedelta(days=3))  # the agreement in force scores the file
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        period = said(pilot, "team-period")
        assert "Since the agreement in force, Sat 14 Nov to Tue 17 Nov 2026" in period, period


async def test_another_periods_figures_show_from_the_top(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", "2", "x")  # this week's breaches
        await settle(pilot)
        table = pilot.app.screen.query_one("#breaches-table", DataTable)
        table.move_cursor(row=table.row_count - 1, animate=False)  # the week's oldest
        await settle(pilot)
        assert table.cursor_row > 0
        await pilot.press("3")  # the last 30 days hold it too, further down
        await settle(pilot)
        assert (table.cursor_row, table.scroll_y) == (0, 0)
