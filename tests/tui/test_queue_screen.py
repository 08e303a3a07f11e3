"""The minimal queue screen, driven with keys as a rep would."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.demo import DEMO_NOW, generate
from leadtui.store import Store, View
from leadtui.tui.app import make_app


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui") / "demo.db"
    generate(path, leads=1500, seed=5)
    return path


def _expected_names(store: Store, view: View, rep: str | None, terms: Agreement) -> list[str]:
    """The queue as the screen should order it at the demo's frozen now."""
    from datetime import timedelta

    from leadtui.core.calendar import BusinessCalendar

    margin = timedelta(minutes=terms.sla.due_soon_minutes)
    soon = BusinessCalendar(terms.sla).add(DEMO_NOW, margin)
    return [lead.name for lead in store.queue_page(view, rep=rep, limit=500, soon=soon).leads]


async def test_the_queue_opens_on_my_leads_and_switches_views(
    demo_file: Path, terms: Agreement
) -> None:
    with Store(demo_file) as store:
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep="dana", demo=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            table = screen.query_one("#queue", DataTable)
            names = [table.get_row_at(i)[2] for i in range(table.row_count)]
            assert names == _expected_names(store, View.MINE, "dana", terms)
            status = str(screen.query_one("#status", Static).render())
            counts = store.counts("dana")
            assert f"{counts.mine} yours" in status and f"{counts.unassigned} unassigned" in status
            assert "Tue 17 Nov 10:40 CST" in status
            banner = str(screen.query_one("#demo-banner", Static).render())
            assert banner.startswith("DEMO")

            await pilot.press("2")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            names = [table.get_row_at(i)[2] for i in range(table.row_count)]
            assert names == _expected_names(store, View.UNASSIGNED, None, terms)
            assert all(table.get_row_at(i)[6] == "—" for i in range(table.row_count))


async def test_scrolling_loads_the_next_keyset_page(
    demo_file: Path, terms: Agreement, tmp_path: Path
) -> None:
    copy = tmp_path / "many.db"
    copy.write_bytes(demo_file.read_bytes())
    with Store(copy) as store:
        store.conn.execute("UPDATE leads SET stage = 'mql', owner = NULL, mql_at = created_at")
        total = store.counts().open
        assert total > 250  # more than two pages
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep=None)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            table = pilot.app.screen.query_one("#queue", DataTable)
            assert table.row_count == 100
            for _ in range(16):
                await pilot.press("ctrl+end")
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            assert table.row_count == total
            keys = [row.value for row in table.rows]
            assert len(set(keys)) == total


async def test_an_empty_database_says_what_to_do(tmp_path: Path, terms: Agreement) -> None:
    with Store(tmp_path / "empty.db") as store:
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep=None)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            empty = pilot.app.screen.query_one("#empty", Static)
            assert empty.display
            assert "leadtui import leads" in str(empty.render())


async def test_new_mqls_from_elsewhere_are_announced_and_marked(
    demo_file: Path, terms: Agreement, tmp_path: Path
) -> None:
    copy = tmp_path / "team.db"
    copy.write_bytes(demo_file.read_bytes())
    with Store(copy) as store:
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep=None)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            screen = pilot.app.screen
            with Store(copy) as cron:  # another program: an import, an hourly rescoring
                waiting = cron.conn.execute(
                    "SELECT id FROM leads WHERE stage = 'nurturing' ORDER BY score DESC LIMIT 2"
                ).fetchall()
                new = [lead_id for (lead_id,) in waiting]
                for lead_id in new:
                    cron.became_mql(lead_id, at=DEMO_NOW, score=200, fit=50, engagement=150)
            screen.watch_for_new_mqls()  # what the screen's timer does every few seconds
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            messages = [n.message for n in pilot.app._notifications]
            first = store.lead(new[0])
            assert f"{first.name} ({first.company}), score {first.score}" in messages
            table = screen.query_one("#queue", DataTable)
            marked = {
                int(key.value or 0)
                for key in table.rows
                if str(table.get_row(key)[0]).startswith("● ")
            }
            assert marked == set(new)  # both at the top of the unassigned queue, marked


async def test_sla_clocks_tick_without_a_refresh(demo_file: Path, terms: Agreement) -> None:
    from datetime import timedelta

    from leadtui.core import sla
    from leadtui.core.calendar import BusinessCalendar

    clock = FixedClock(DEMO_NOW)
    with Store(demo_file) as store:
        app = make_app(store, terms, clock, rep=None)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            table = screen.query_one("#queue", DataTable)
            key = next(iter(table.rows))
            lead = store.lead(int(key.value or 0))
            calendar = BusinessCalendar(terms.sla)
            reading = sla.read(lead, terms.sla, calendar, clock.now())
            assert reading.words[:30] in str(table.get_row(key)[1])
            clock.advance(timedelta(hours=30))
            screen.tick_sla()
            await pilot.pause()
            later = sla.read(lead, terms.sla, calendar, clock.now())
            assert later.words != reading.words
            assert later.words[:30] in str(table.get_row(key)[1])


async def test_the_highlighted_lead_says_why_it_is_there(demo_file: Path, terms: Agreement) -> None:
    with Store(demo_file) as store:
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep=None)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("down")
            await pilot.pause()
            screen = pilot.app.screen
            table = screen.query_one("#queue", DataTable)
            score = str(table.get_row_at(1)[0]).removeprefix("● ")
            status = str(screen.query_one("#status", Static).render())
            second = status.splitlines()[1]
            assert second.startswith("2nd: ") and f"score {score}" in second
