"""A team lead gives a breached lead to a rep from the team review's breach card, with
the queue's give picker; a rep opening the card has no such key."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from leadtui.core.agreement import Agreement
from leadtui.core.models import Role
from leadtui.store import Store
from leadtui.tui.modals.give import GivePicker
from leadtui.tui.screens.lead import LeadScreen
from leadtui.tui.screens.team import TeamScreen
from tests.tui.conftest import app_on, notes, settle


async def test_a_team_lead_gives_a_breached_lead_from_its_card(
    work: Store, terms: Agreement
) -> None:
    lead = next(rep for rep in work.reps() if rep.role is Role.LEAD)
    work.use(terms, Role.LEAD)  # as the CLI sets it for a team lead
    async with app_on(work, terms, rep=lead.id).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", "x")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TeamScreen) and screen.loaded is not None
        breaches = screen.query_one("#breaches-table", DataTable)
        at = next(n for n, b in enumerate(screen.loaded.breaches) if b.rep is None and n > 0)
        breach = screen.loaded.breaches[at]
        breaches.move_cursor(row=at)
        await pilot.press("enter")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, LeadScreen) and card.lead_id == breach.lead_id
        await pilot.press("g")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, GivePicker)
        to = picker.loads[0].rep
        await pilot.press("1")
        await settle(pilot)
        assert pilot.app.screen is screen
        given = work.lead(breach.lead_id)
        assert given.owner == to.id and work.events(breach.lead_id)[-1].actor == lead.id
        assert f"{breach.name}: given to {to.name}" in notes(pilot)
        # The figures are worked out again: the breach shows its new rep, cursor on it.
        row = breaches.get_row(str(breach.lead_id))
        assert str(row[1]) == to.name and breaches.cursor_row == at


async def test_g_on_the_breaches_list_gives_the_highlighted_lead(
    work: Store, terms: Agreement
) -> None:
    lead = next(rep for rep in work.reps() if rep.role is Role.LEAD)
    work.use(terms, Role.LEAD)
    async with app_on(work, terms, rep=lead.id).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", "x")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TeamScreen) and screen.loaded is not None
        at = next(n for n, b in enumerate(screen.loaded.breaches) if b.rep is None and n > 0)
        breach = screen.loaded.breaches[at]
        screen.query_one("#breaches-table", DataTable).move_cursor(row=at)
        await pilot.press("g")  # on the list itself: no card, no funnel
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, GivePicker)
        to = picker.loads[0].rep
        await pilot.press("1")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one(TabbedContent).active == "breaches"
        assert work.lead(breach.lead_id).owner == to.id


async def test_a_rep_cannot_give_from_the_breach_card(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms, rep="dana").run_test(size=(80, 24)) as pilot:  # the demo
        await settle(pilot)
        await pilot.press("t", "x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, LeadScreen)
        owner = work.lead(card.lead_id).owner
        await pilot.press("g")
        await settle(pilot)
        assert pilot.app.screen is card and work.lead(card.lead_id).owner == owner
