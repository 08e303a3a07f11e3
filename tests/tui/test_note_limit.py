"""A note in the app stops at NOTE_MAX characters, typed or pasted, and says so; what
fits is what is logged."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from leadtui.core.agreement import Agreement
from leadtui.core.models import NOTE_MAX, Stage
from leadtui.store import Store
from tests.tui.conftest import app_on, queue_of, settle


def full_notes(pilot: object) -> int:
    notifications = pilot.app._notifications  # type: ignore[attr-defined]  # noqa: SLF001
    return sum(n.title == "Note full" for n in notifications)


async def test_a_note_stops_at_the_limit_and_says_so(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = next(line.row for line in queue_of(pilot).lines if line.row.stage is Stage.WORKING)
        while queue_of(pilot).current.row.id != target.id:  # type: ignore[union-attr]
            await pilot.press("down")
        await pilot.press("l", "N")
        await settle(pilot)
        note = pilot.app.screen.query_one("#note", Input)
        note.post_message(events.Paste("n" * (NOTE_MAX - 10)))
        await pilot.pause()
        assert len(note.value) == NOTE_MAX - 10 and full_notes(pilot) == 0
        assert note.border_subtitle == f"{NOTE_MAX - 10:,} of {NOTE_MAX:,}"
        note.post_message(events.Paste("abcdefghijklmnopqrstuvwxyz"))  # more than fits
        await pilot.pause()
        assert note.value == "n" * (NOTE_MAX - 10) + "abcdefghij"
        assert full_notes(pilot) == 1
        await pilot.press("x", "y")  # typing stops there, said once
        assert len(note.value) == NOTE_MAX and full_notes(pilot) == 1
        await pilot.press("enter")
        await settle(pilot)
        logged = work.events(target.id)[-1].payload
        assert logged["outcome"] == "no_answer" and logged["note"] == note.value


async def test_a_reason_picker_note_is_held_to_the_limit_too(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d", "1")
        await settle(pilot)
        note = pilot.app.screen.query_one("#note", Input)
        note.post_message(events.Paste("q" * (NOTE_MAX + 500)))
        await pilot.pause()
        assert len(note.value) == NOTE_MAX and full_notes(pilot) == 1
