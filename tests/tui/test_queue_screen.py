"""The queue screen, driven with keys as a rep would: views, paging, clocks, detail."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from textual.widgets import Static

from leadtui.core import sla
from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.clock import FixedClock
from leadtui.core.sla import SlaState
from leadtui.demo import DEMO_NOW
from leadtui.desk import Desk
from leadtui.store import Store, View
from leadtui.tui.app import make_app
from leadtui.tui.screens.lead import LeadScreen
from leadtui.tui.widgets.lead_detail import LeadDetail
from tests import on_disk
from tests.tui.conftest import app_on, names, notes, on_screen, queue_of, settle


def _expected(store: Store, view: View, rep: str | None, terms: Agreement) -> list[str]:
    """The queue as the screen should order it at the demo's frozen now: the desk's
    order (due now, due today, the rest; the pool's late leads last)."""
    desk = Desk(store, terms, FixedClock(DEMO_NOW), rep or "dana")
    return [row.name for row in desk.queue(view, limit=500).leads]


def _text(pilot: object, selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_the_queue_opens_on_my_leads_and_switches_views(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert names(pilot) == _expected(work, View.MINE, "dana", terms)
        counts = work.counts("dana")
        breached, due_soon = work.urgency(
            View.MINE, "dana", now=DEMO_NOW, soon=DEMO_NOW + timedelta(minutes=30)
        )
        load = _text(pilot, "#load")
        assert load == (
            f"{counts.mine} waiting · {due_soon} due soon · {breached} breached · "
            f"{counts.unassigned} unassigned"
        )
        assert pilot.app.sub_title == "DEMO · Dana Whitfield · Tue 17 Nov 10:40 CST"
        assert _text(pilot, "#demo-banner").startswith("DEMO")

        await pilot.press("2")
        await settle(pilot)
        assert names(pilot) == _expected(work, View.UNASSIGNED, None, terms)
        assert all(line.row.owner is None for line in queue_of(pilot).lines)
        painted = on_screen(queue_of(pilot))
        assert queue_of(pilot).lines[0].row.name in painted[0]
        late = [
            line.clock is not None and line.clock.reading.state is SlaState.BREACHED
            for line in queue_of(pilot).lines
        ]
        assert late[0] is False and True in late  # a lead still in time comes first
        assert late == sorted(late)  # and every late one after all those in time

        await pilot.press("3")
        await settle(pilot)
        assert names(pilot)[:100] == _expected(work, View.ALL, None, terms)[:100]


async def test_scrolling_loads_the_next_keyset_page(work: Store, terms: Agreement) -> None:
    on_disk.run(work, "UPDATE leads SET stage = 'mql', owner = NULL, mql_at = created_at")
    total = work.counts().open
    assert total > 250  # more than two pages
    async with app_on(work, terms, rep=None).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        queue = queue_of(pilot)
        assert len(queue.lines) == 100 and queue.more
        assert "loading more…" not in " ".join(on_screen(queue))
        for _ in range(40):
            await pilot.press("end")
            await settle(pilot)
            if not queue.more:
                break
        ids = [line.row.id for line in queue.lines]
        assert len(ids) == total == len(set(ids))
        await pilot.press("end")
        await settle(pilot)
        assert queue.cursor == total - 1
        assert queue.lines[-1].row.name in on_screen(queue)[-1]


async def test_an_empty_database_says_what_to_do(tmp_path: Path, terms: Agreement) -> None:
    with Store(tmp_path / "empty.db") as store:
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep=None)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            empty = pilot.app.screen.query_one("#empty", Static)
            assert empty.display
            assert "leadtui import leads" in str(empty.render())


async def test_new_mqls_from_elsewhere_are_announced_and_marked(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms, rep=None).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        with Store(work.path) as cron:  # another program: an import, an hourly rescoring
            waiting = on_disk.rows(
                cron, "SELECT id FROM leads WHERE stage = 'nurturing' ORDER BY score DESC LIMIT 2"
            )
            new = [lead_id for (lead_id,) in waiting]
            for lead_id in new:
                cron.became_mql(lead_id, at=DEMO_NOW, score=200, fit=50, engagement=150)
        pilot.app.screen.watch_for_news()  # what the screen's timer does every few seconds
        await settle(pilot)
        first = work.lead(new[0])
        assert f"{first.name} ({first.company}), score {first.score}" in notes(pilot)
        marked = {line.row.id for line in queue_of(pilot).lines if line.fresh}
        assert marked == set(new)
        painted = " ".join(on_screen(queue_of(pilot)))
        assert f"● {first.name}" in painted


async def test_changes_made_elsewhere_show_without_a_refresh(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms, rep=None).run_test(size=(120, 30)) as pilot:
        await settle(pilot)  # no rep: the Unassigned view
        queue = queue_of(pilot)
        taken, kept = queue.lines[0].row, queue.lines[1].row
        with Store(work.path) as elsewhere:  # the CLI, or a sync from the team server
            elsewhere.claim(taken.id, "marcus", expected_version=taken.version, at=DEMO_NOW)
        screen = pilot.app.screen
        read_up_to = screen.read_up_to
        with screen.desk.lock:  # a worker busy with the store: the look does not wait
            await asyncio.wait_for(screen.watch_for_news().wait(), timeout=30)
        await settle(pilot)
        assert screen.read_up_to == read_up_to  # nothing taken in: the next look will
        assert taken.id in {line.row.id for line in queue.lines}
        screen.watch_for_news()
        await settle(pilot)
        assert screen.read_up_to is not None and read_up_to is not None
        assert screen.read_up_to > read_up_to
        assert taken.id not in {line.row.id for line in queue.lines}
        assert queue.current is not None and queue.current.row.id == kept.id
        assert taken.name not in " ".join(on_screen(queue))


async def test_sla_badges_tick_without_a_refresh(work: Store, terms: Agreement) -> None:
    clock = FixedClock(DEMO_NOW)
    app = make_app(work, terms, clock, rep=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        queue = queue_of(pilot)
        row = queue.lines[0].row
        calendar = BusinessCalendar(terms.sla)
        before = sla.read(row, terms.sla, calendar, clock.now())
        assert before.left is not None
        first = on_screen(queue)[0]
        clock.advance(timedelta(hours=30))
        pilot.app.screen.tick()  # what the screen's timer does every 15 s
        await settle(pilot)
        after = sla.read(row, terms.sla, calendar, clock.now())
        assert after.left is not None and after.left < before.left
        assert on_screen(queue)[0] != first


async def test_the_highlighted_lead_says_why_it_is_there(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms, rep=None).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        second = queue_of(pilot).lines[1].row
        place = _text(pilot, "#place")
        assert place.startswith("2nd: ") and f"score {second.score}" in place


async def test_wide_terminals_show_the_detail_beside_the_queue(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        row = queue_of(pilot).lines[1].row
        detail = pilot.app.screen.query_one(LeadDetail)
        assert detail.display
        text = str(detail.query_one("#detail-body", Static).render())
        assert text.startswith(f"{row.name}  lead {row.id}")
        factors = work.factors(row.id)
        assert sum(f.points for f in factors) == row.score
        assert f"Score {row.score} = fit" in text
        for factor in factors:
            assert factor.label in text
        assert "Timeline" in text and "2nd: " in text


async def test_at_80_columns_enter_opens_the_lead_and_keys_still_act(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query_one(LeadDetail).display
        row = queue_of(pilot).lines[0].row
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadScreen)
        text = str(pilot.app.screen.query_one("#detail-body", Static).render())
        assert text.startswith(f"{row.name}  lead {row.id}")
        await pilot.press("e")  # log an email from the lead's own screen
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        kinds = [(e.kind.value, e.payload.get("outcome")) for e in work.events(row.id)]
        assert kinds[-1] == ("attempt", "sent")


def test_the_timeline_says_snooze_times_in_the_agreements_zone() -> None:
    from zoneinfo import ZoneInfo

    from leadtui.core.models import Event, EventKind
    from leadtui.core.timeline import said

    until = DEMO_NOW + timedelta(hours=1)  # 17:40 UTC
    event = Event(
        lead_id=1,
        kind=EventKind.SNOOZED,
        actor="dana",
        at=DEMO_NOW,
        payload={"until": until.isoformat()},
    )
    assert said(event, ZoneInfo("America/Chicago")) == "snoozed until Tue 17 Nov 11:40, by dana"
