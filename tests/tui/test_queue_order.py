"""The queue is "what to do now", and it moves when the clock does: a lead whose next
step comes within the due-soon margin moves up on the minute, and the cursor stays on
the lead it was on."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.queue import Tier, place, tier
from leadtui.core.sla import SlaReading, SlaState
from leadtui.demo import DEMO_NOW
from leadtui.desk import Desk
from leadtui.store import Due, Filter, Store, View
from leadtui.tui.app import make_app
from leadtui.tui.screens.acting import Asked
from leadtui.tui.screens.queue import QueueScreen
from tests.tui.conftest import queue_of, settle

SLACK = timedelta(minutes=5)


async def test_the_queue_reorders_on_the_minute(work: Store, terms: Agreement) -> None:
    clock = FixedClock(DEMO_NOW)
    desk = Desk(work, terms, clock, "dana")
    now = clock.now()
    async with make_app(work, terms, clock, rep="dana", demo=True).run_test(
        size=(100, 30)
    ) as pilot:
        await settle(pilot)
        # The rows as the open app holds them (opening it works the deadlines out again).
        rows = desk.queue(View.MINE, limit=200).leads
        tiers = [tier(r, now=now, soon=desk.soon(now), today=desk.day_ends(now)) for r in rows]
        # A lead due later today, below another of today's work due later still: when its
        # deadline comes within the margin it must rise above that one.
        today = [r for r, t in zip(rows, tiers, strict=True) if t is Tier.TODAY and r.next_due_at]
        (later, rising), *_ = [
            (a, b)
            for n, a in enumerate(today)
            for b in today[n + 1 :]
            if a.next_due_at and b.next_due_at and a.next_due_at - b.next_due_at > SLACK
        ]
        assert rising.next_due_at is not None
        above = rows.index(later)
        ids = [line.row.id for line in queue_of(pilot).lines]
        assert ids[: len(rows)] == [row.id for row in rows][: len(ids)]
        assert ids.index(rising.id) > ids.index(rows[above].id)
        held = queue_of(pilot).lines[1].row.id  # the rep's cursor, on some other lead
        await pilot.press("down")
        await settle(pilot)
        assert queue_of(pilot).current is not None and queue_of(pilot).current.row.id == held
        clock.set(rising.next_due_at - timedelta(minutes=terms.sla.due_soon_minutes) + SLACK)
        screen = pilot.app.screen
        assert isinstance(screen, QueueScreen)
        screen.tick()  # the minute's tick, as the interval runs it
        await settle(pilot)
        ids = [line.row.id for line in queue_of(pilot).lines]
        assert ids.index(rising.id) < ids.index(rows[above].id)
        assert queue_of(pilot).current is not None and queue_of(pilot).current.row.id == held


def test_the_place_says_when_the_next_step_is() -> None:
    due = DEMO_NOW + timedelta(days=1)
    reading = SlaReading(SlaState.ON_TRACK, "email 1 of 2 due Wed 10:40", due, timedelta(hours=10))
    zone = DEMO_NOW.tzinfo
    said = place(3, 82, reading, DEMO_NOW, zone)
    assert said == f"3rd: score 82; next step tomorrow {due:%H:%M}"
    urgent = SlaReading(SlaState.DUE_SOON, "call 2 of 3 due in 12 min", due, timedelta(minutes=12))
    assert place(1, 90, urgent, DEMO_NOW, zone) == "1st: call 2 of 3 due in 12 min; score 90"


async def test_a_view_filtered_by_sla_state_takes_in_the_leads_the_clock_brings(
    work: Store, terms: Agreement
) -> None:
    clock = FixedClock(DEMO_NOW)
    desk = Desk(work, terms, clock, "dana")
    async with make_app(work, terms, clock, rep="dana", demo=True).run_test(
        size=(100, 30)
    ) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, QueueScreen)
        rows = desk.queue(View.MINE, limit=200).leads
        now = clock.now()
        later = [
            r
            for r in rows
            if tier(r, now=now, soon=desk.soon(now), today=desk.day_ends(now)) is Tier.TODAY
        ]
        coming = min((r for r in later if r.next_due_at), key=lambda r: r.next_due_at or now)
        screen.asked = Asked(View.MINE, Filter(due=Due.DUE_SOON))
        screen.reload()
        await settle(pilot)
        assert coming.id not in [line.row.id for line in queue_of(pilot).lines]
        assert coming.next_due_at is not None
        clock.set(coming.next_due_at - timedelta(minutes=terms.sla.due_soon_minutes) + SLACK)
        screen.tick()  # the minute's tick, as the interval runs it
        await settle(pilot)
        assert coming.id in [line.row.id for line in queue_of(pilot).lines]


async def test_the_place_line_follows_the_clock(work: Store, terms: Agreement) -> None:
    clock = FixedClock(DEMO_NOW)
    async with make_app(work, terms, clock, rep="dana", demo=True).run_test(
        size=(100, 30)
    ) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, QueueScreen)
        line = queue_of(pilot).current
        assert line is not None and line.row.next_due_at is not None
        before = screen.place_text
        clock.advance(timedelta(minutes=7))
        screen.tick()
        await settle(pilot)
        assert screen.place_text != before  # the time left is said anew
        assert screen.place_text == str(screen.query_one("#place", Static).render())
