"""Fixtures for driving the app as a rep would: a demo-like database, a frozen clock."""

from __future__ import annotations

from contextlib import suppress

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.demo import DEMO_NOW
from leadtui.store import Store
from leadtui.tui.app import LeadApp, make_app
from leadtui.tui.screens.acting import ASKING
from leadtui.tui.widgets.queue_list import QueueList


def app_on(store: Store, terms: Agreement, rep: str | None = "dana", **kwargs: object) -> LeadApp:
    return make_app(store, terms, FixedClock(DEMO_NOW), rep=rep, demo=True, **kwargs)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their messages land, twice over (a load can start one).
    An action waiting on the rep's answer in a picker is not waited for: the test
    answers it with the next keys."""
    for _ in range(3):
        working = [worker for worker in pilot.app.workers if worker.group != ASKING]
        if working:
            with suppress(WorkerCancelled):  # an exclusive worker made way for a newer one
                await pilot.app.workers.wait_for_complete(working)
        await pilot.pause()


def queue_of(pilot: Pilot[None]) -> QueueList:
    return pilot.app.screen.query_one(QueueList)


def names(pilot: Pilot[None]) -> list[str]:
    return [line.row.name for line in queue_of(pilot).lines]


def on_screen(queue: QueueList) -> list[str]:
    """The list's lines as painted, in plain text."""
    return [queue.render_line(y).text for y in range(queue.scrollable_content_region.height)]


def notes(pilot: Pilot[None]) -> list[str]:
    # Textual keeps the notifications shown without a public way to list them.
    return [notification.message for notification in pilot.app._notifications]  # noqa: SLF001
