"""At 80 columns the lead's detail is longer than the screen: it scrolls from the
keyboard, and the action keys still act on the lead from there. The side pane of a
wide terminal scrolls too."""

from __future__ import annotations

from leadtui.core.agreement import Agreement
from leadtui.store import Store
from leadtui.tui.modals.outcome import OutcomePicker
from leadtui.tui.screens.lead import LeadScreen
from leadtui.tui.widgets.lead_detail import LeadDetail
from tests.tui.conftest import app_on, settle


async def test_the_detail_screen_scrolls_and_still_acts(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LeadScreen)
        detail = screen.query_one(LeadDetail)
        assert detail.max_scroll_y > 0  # longer than the screen
        await pilot.press("end")
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y
        await pilot.press("home", "j", "j")
        await pilot.pause()
        assert detail.scroll_y == 2
        await pilot.press("pagedown")
        await pilot.pause()
        assert detail.scroll_y > 2
        await pilot.press("l")  # a call, on this lead: the picker asks for the outcome
        await settle(pilot)
        assert isinstance(pilot.app.screen, OutcomePicker)


async def test_the_side_pane_scrolls_from_the_keyboard(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        detail = pilot.app.screen.query_one(LeadDetail)
        assert detail.max_scroll_y > 0
        await pilot.press("shift+pagedown")
        await pilot.pause()
        assert detail.scroll_y > 0
        await pilot.press("shift+up")
        await pilot.pause()
        before = detail.scroll_y
        await pilot.press("shift+down")
        await pilot.pause()
        assert detail.scroll_y == before + 1
