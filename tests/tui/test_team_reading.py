"""The team review as a team lead reads it: `q` quits as from the queue, the attempts
sparkline has a shape (per hour on a single day), sources in words, the first column
in view when a table scrolls right, and days typed as people write them."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from leadtui.core.agreement import Agreement
from leadtui.core.models import Role
from leadtui.core.sources import source_words
from leadtui.store import Store
from leadtui.tui.app import LeadApp
from leadtui.tui.modals.period import PeriodPicker
from leadtui.tui.screens.team import TeamScreen
from leadtui.tui.widgets.attempts_spark import NONE, AttemptsSpark, spark_lines
from tests.tui.conftest import app_on, notes, settle


def as_team_lead(work: Store, terms: Agreement) -> LeadApp:
    lead = next(rep for rep in work.reps() if rep.role is Role.LEAD)
    work.use(terms, Role.LEAD)  # as the CLI sets it for a team lead
    return app_on(work, terms, rep=lead.id)


async def open_review(pilot: Pilot[None]) -> TeamScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen) and screen.loaded is not None
    return screen


def said(pilot: Pilot[None], widget: str) -> str:
    return str(pilot.app.screen.query_one(f"#{widget}", Static).render())


async def test_q_quits_from_the_team_review(work: Store, terms: Agreement) -> None:
    async with as_team_lead(work, terms).run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert pilot.app.return_code == 0 and not pilot.app.is_running


async def test_escape_goes_back_to_the_queue(work: Store, terms: Agreement) -> None:
    async with as_team_lead(work, terms).run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.is_running and type(pilot.app.screen).__name__ == "QueueScreen"


def test_the_sparkline_is_scaled_to_its_own_busiest_slot() -> None:
    top, bottom = spark_lines([1, 10, 5, 0, -1], width=25, height=2)
    assert len(bottom) > 0 and len(set(top + bottom) - {" "}) > 2  # a shape, not a wall
    cells = [bottom[n * 5 : n * 5 + 4] for n in range(5)]
    assert cells[0] == "▂▂▂▂"  # a quiet slot still shows
    assert top[5:9] == "████" and cells[1] == "████"  # the busiest fills both lines
    assert top[10:14].strip() == "" and cells[2] == "████"  # half of it: the lower line
    assert cells[3] == NONE * 4 and cells[4].strip() == ""  # none, and still to come
    assert spark_lines([7], width=78) != ["█" * 78] * 2  # one day alone is no wall


async def test_today_shows_the_days_hours(work: Store, terms: Agreement) -> None:
    async with as_team_lead(work, terms).run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert screen.loaded is not None and screen.loaded.period.since == date(2026, 11, 17)
        team = [rep for rep in screen.loaded.team if rep.rep]
        per_hour = [sum(hour) for hour in zip(*(rep.per_hour for rep in team), strict=True)]
        spark = screen.query_one(AttemptsSpark)
        # 08:00 to 18:00, the working day; the demo's clock stands at 10:40.
        assert spark.counts[:3] == tuple(per_hour[8:11]) and set(spark.counts[3:]) == {-1}
        assert sum(spark.counts[:3]) == sum(rep.attempts for rep in team) > 0
        caption = said(pilot, "spark-caption")
        busiest = max(per_hour)
        assert caption.startswith("Attempts per hour, 08:00 to 18:00, whole team: ")
        assert f"most {busiest} at {per_hour.index(busiest):02d}:00" in caption
        drawn = [spark.render_line(y).text for y in range(2)]
        assert drawn[0].rstrip() != "█" * spark.size.width  # no wall


async def test_the_sparkline_counts_days_over_longer_periods(work: Store, terms: Agreement) -> None:
    async with as_team_lead(work, terms).run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert screen.loaded is not None
        team = [rep for rep in screen.loaded.team if rep.rep]
        per_day = [sum(day) for day in zip(*(rep.per_day for rep in team), strict=True)]
        assert screen.query_one(AttemptsSpark).counts == tuple(per_day)
        assert said(pilot, "spark-caption").startswith(
            f"Attempts per day, whole team: {sum(per_day)} · most {max(per_day)} on "
        )


async def test_sources_are_shown_in_words(work: Store, terms: Agreement) -> None:
    async with as_team_lead(work, terms).run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert screen.loaded is not None
        codes = {breach.source for breach in screen.loaded.breaches}
        assert "paid_search" in codes
        for table, column in (("breaches-table", 2), ("funnel-table", 0), ("handoff-table", 0)):
            shown = screen.query_one(f"#{table}", DataTable)
            cells = {str(shown.get_row_at(row)[column]) for row in range(shown.row_count)}
            assert "Paid search" in cells and not any("_" in cell for cell in cells), table
        reasons = screen.query_one("#reasons-table", DataTable)
        assert str(reasons.get_row_at(0)[0]) in {source_words(code) for code in codes}


def test_source_words() -> None:
    assert source_words("paid_search") == "Paid search"
    assert source_words("ORGANIC_SEARCH") == "Organic search"  # a CRM's code
    assert source_words("linkedin-ads") == "Linkedin ads"
    assert source_words("Phone Inquiry") == "Phone Inquiry"  # written for people already


async def test_the_first_column_stays_when_the_table_scrolls_right(
    work: Store, terms: Agreement
) -> None:
    async with as_team_lead(work, terms).run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        reps = screen.query_one("#reps-table", DataTable)
        assert reps.virtual_size.width > reps.size.width  # wider than 80 columns
        for _ in range(12):
            await pilot.press("right")
        await settle(pilot)
        assert reps.scroll_x > 0
        names = {rep.name for rep in screen.loaded.team if rep.rep} if screen.loaded else set()
        shown = {reps.render_line(y).text[:16].strip() for y in range(1, reps.row_count + 1)}
        assert names <= shown


async def test_days_are_typed_as_people_write_them(work: Store, terms: Agreement) -> None:
    async with as_team_lead(work, terms).run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("4")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, PeriodPicker)
        dialog = picker.query_one("#period-dialog")
        left = dialog.region.x
        right = picker.size.width - dialog.region.right
        assert abs(left - right) <= 1 and dialog.region.y > 0  # centred, not in a corner
        await pilot.press(*"Nov 33", "enter")
        await settle(pilot)
        assert pilot.app.screen is picker  # the box stays open and says why
        assert said(pilot, "period-problem") == "From: cannot read 'Nov 33' as a day"
        await pilot.press("backspace")
        await settle(pilot)
        assert said(pilot, "since-read") == "Tue 03 Nov 2026"  # read back as it is typed
        await pilot.press("tab", *"yesterday", "enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert (screen.period.since, screen.period.until) == (date(2026, 11, 3), date(2026, 11, 16))
        assert "Showing Tue 03 Nov to Mon 16 Nov 2026" in notes(pilot)
        assert "Tue 03 Nov to Mon 16 Nov 2026" in said(pilot, "team-period")
        await pilot.press("4")
        await settle(pilot)
        assert pilot.app.screen.query_one("#since", Input).value == "2026-11-03"
