"""The small stumbles of a rep's first day: a key that is not theirs says whose it is,
an empty list says what is empty and the way out, the filter steps both ways and knows
a connected lead, and a search result says what the search found."""

from __future__ import annotations

from textual.widgets import Static

from leadtui.core.agreement import Agreement
from leadtui.core.sla import SlaState
from leadtui.store import Due, Store
from leadtui.tui.modals.narrow import FilterPicker, step
from leadtui.tui.screens.queue import QueueScreen
from tests.tui.conftest import app_on, names, notes, queue_of, settle


def said(pilot: object, selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_g_as_a_rep_says_what_it_does_and_whose_key_it_is(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms, rep="dana").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = queue_of(pilot).lines[0].row
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)
        assert "g gives the highlighted lead to another rep: a team lead's key" in notes(pilot)
        assert work.lead(first.id).owner == first.owner


async def test_an_empty_filter_says_so_in_the_list_and_how_to_get_out(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "f", "D", "enter")  # back from 'any': connected; none unclaimed
        await settle(pilot)
        assert names(pilot) == []
        empty = pilot.app.screen.query_one("#empty", Static)
        assert empty.display
        assert said(pilot, "#empty").startswith(
            "No leads in Unassigned match 'connected': f to change the filter, Esc to clear it"
        )
        heading = pilot.app.screen.query_one("#heading")
        assert empty.region.y == heading.region.y + heading.region.height  # not at the bottom
        assert said(pilot, "#place") == ""  # no lead highlighted, nothing said of one
        await pilot.press("escape")
        await settle(pilot)
        assert names(pilot) and not empty.display


async def test_the_filter_steps_both_ways_and_has_a_connected_state(
    work: Store, terms: Agreement
) -> None:
    assert step([1, 2, 3], None, -1) == 3 and step([1, 2, 3], 1, -1) is None
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3", "f")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, FilterPicker)
        await pilot.press("d", "D")  # on, and back to any state
        assert picker.chosen["due"] is None and "any state" in said(pilot, "#choices")
        await pilot.press("up", "down", "left")  # the arrows: on the SLA line, a step back
        assert picker.chosen["due"] is Due.CONNECTED
        assert "connected" in said(pilot, "#choices")
        await pilot.press("enter")
        await settle(pilot)
        lines = queue_of(pilot).lines
        assert lines
        assert all(line.row.first_connect_at is not None for line in lines)
        assert {line.clock.reading.state for line in lines if line.clock} == {SlaState.MET}
        assert "connected (Esc clears)" in said(pilot, "#views")


async def test_a_search_result_says_its_clock_and_what_matched(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = queue_of(pilot).lines[0]
        surname = first.row.name.split()[-1]
        await pilot.press("slash", *surname, "enter")
        await settle(pilot)
        found = queue_of(pilot).lines
        current = queue_of(pilot).current
        assert current is not None and current.clock is not None
        line = said(pilot, "#place")
        assert line.endswith(f"1 of {len(found)} found (name)")
        assert current.clock.reading.words in line and f"score {current.row.score}" in line

        await pilot.press("slash", "ctrl+a", "ctrl+k", *"zzqx", "enter")
        await settle(pilot)
        assert said(pilot, "#empty") == (
            "No lead matches 'zzqx': / to search again, Esc back to the queue."
        )
        assert said(pilot, "#place") == ""
