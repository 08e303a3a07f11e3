"""The pickers keep what a rep types: a number picks a reason and says so, text typed
anywhere in a picker lands in its note, Enter saves the move with the note, and Esc
keeps the note, the reason and the ticks for the next time the picker opens."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from leadtui.core.agreement import Agreement
from leadtui.core.models import Stage
from leadtui.store import Store
from leadtui.tui.modals.qualify import QualifyChecklist
from leadtui.tui.modals.reason import ReasonPicker
from leadtui.tui.screens.queue import QueueScreen
from tests.tui.conftest import app_on, queue_of, settle
from tests.tui.test_actions import a_call_gets_through, go_to, last, spoken_with


def shown(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def test_a_number_picks_the_reason_and_says_the_note_has_the_keys(
    work: Store, terms: Agreement
) -> None:
    codes = list(terms.reasons.disqualify)
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("d", "2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReasonPicker)
        assert screen.focused is screen.query_one("#note", Input)
        assert f"reason: 2 {terms.reasons.disqualify[codes[1]]}" in shown(pilot, "#picked")
        assert "Enter: save" in shown(pilot, "#keys")
        await pilot.press(*"works at Pipelinr", "enter")
        await settle(pilot)
        assert last(work, target.id)[2] == {"reason": codes[1], "note": "works at Pipelinr"}


async def test_tab_back_to_the_reasons_then_typing_still_writes_the_note(
    work: Store, terms: Agreement
) -> None:
    """The tester's stumble: a number, Tab, the note, Enter. The typing went nowhere and
    the disqualification was saved without it."""
    codes = list(terms.reasons.disqualify)
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("d", "2", "tab")  # the focus goes back to the reasons
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.focused is screen.query_one("#reasons", OptionList)
        await pilot.press(*"asked for a quote", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)  # Enter in the note saved it
        assert last(work, target.id)[2] == {"reason": codes[1], "note": "asked for a quote"}


async def test_escape_keeps_the_note_and_the_reason_for_the_same_lead(
    work: Store, terms: Agreement
) -> None:
    codes = list(terms.reasons.return_to_nurture)
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = queue_of(pilot).current.row  # type: ignore[union-attr]
        before = last(work, target.id)
        await pilot.press("r", "3", *"back in March", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)
        assert last(work, target.id) == before  # nothing saved
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.query_one("#note", Input).value == "back in March"
        assert screen.query_one("#reasons", OptionList).highlighted == 2
        await pilot.press("enter", "enter")  # the reasons: Enter to the note, Enter saves
        await settle(pilot)
        assert last(work, target.id)[2] == {"reason": codes[2], "note": "back in March"}

        other = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("r")  # another lead's picker starts empty
        await settle(pilot)
        assert pilot.app.screen.query_one("#note", Input).value == ""
        assert pilot.app.screen.query_one("#reasons", OptionList).highlighted == 0
        await pilot.press("escape")
        await settle(pilot)
        assert last(work, other.id)[0] != "returned_to_nurture"


async def test_the_checklist_keeps_its_ticks_and_note_after_escape(
    work: Store, terms: Agreement
) -> None:
    a_call_gets_through(work)
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, spoken_with)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("Q", "1", "3", *"CFO on the call", "escape")  # typing: the note
        await settle(pilot)
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(pilot.app.screen, QualifyChecklist)
        ticked = shown(pilot, "#checklist")
        assert "1 [x] decision maker" in ticked and "3 [x] need" in ticked
        assert "2 [ ] budget" in ticked
        assert pilot.app.screen.query_one("#note", Input).value == "CFO on the call"
        await pilot.press("2", "4", "enter")
        await settle(pilot)
        kind, _, payload = last(work, target.id)
        assert kind == "qualified" and payload["note"] == "CFO on the call"


async def test_a_call_note_is_kept_after_escape(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, lambda row: row.stage is Stage.WORKING)
        await pilot.press("l", "N", *"call at 3", "escape")
        await settle(pilot)
        await pilot.press("l", "N")
        await settle(pilot)
        assert pilot.app.screen.query_one("#note", Input).value == "call at 3"
        await pilot.press("enter")
        await settle(pilot)
        assert last(work, target.id)[2]["note"] == "call at 3"
