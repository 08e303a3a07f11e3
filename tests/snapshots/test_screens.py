"""What each screen looks like, at 80x24 and 120x40: the demo-like database, the clock
frozen at the demo's now, cursor blink off, every worker finished before the shot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from leadtui.core.agreement import Agreement
from leadtui.store import Store
from tests.tui.conftest import app_on, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "cursor_blink", False)


def pressing(*keys: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    return run_before


SCREENS = {
    "my_queue": (),
    "unassigned": ("2", "down", "down"),
    "lead_detail_screen": ("enter",),
    "call_outcome": ("l",),
    "email_note": ("e", "S"),
    "nurture_reason": ("r", "2"),
    "disqualify_reason": ("d",),
    # An accepted lead (a working one is refused before the checklist opens).
    "qualify_checklist": ("slash", *"Malik", "enter", "Q", "1", "3"),
    "snooze": ("z",),
    "filter": ("3", "f", "d"),
    "search_results": ("slash", *"ha", "enter"),
    "help": ("question_mark",),
    "team_reps": ("t",),
    "team_funnel": ("t", "f"),
    "team_bands": ("t", "b"),
    "team_breaches": ("t", "x"),
    "team_marketing": ("t", "m"),
    "team_dates": ("t", "4"),
    "team_threshold": ("t", "p"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(
    snap_compare: Callable[..., bool],
    work: Store,
    terms: Agreement,
    name: str,
    size: tuple[int, int],
) -> None:
    app = app_on(work, terms)
    assert snap_compare(app, terminal_size=size, run_before=pressing(*SCREENS[name]))


@pytest.mark.parametrize(
    ("theme", "size"),
    [
        pytest.param("textual-light", (120, 40), id="light-120x40"),
        pytest.param("textual-dark", (200, 60), id="dark-200x60"),
    ],
)
def test_queue_in_theme_and_size(
    snap_compare: Callable[..., bool],
    work: Store,
    terms: Agreement,
    theme: str,
    size: tuple[int, int],
) -> None:
    async def in_theme(pilot: Pilot[None]) -> None:
        pilot.app.theme = theme
        await pressing()(pilot)

    app = app_on(work, terms)
    assert snap_compare(app, terminal_size=size, run_before=in_theme)


@pytest.mark.parametrize("size", SIZES)
def test_give_picker_for_a_team_lead(
    snap_compare: Callable[..., bool], work: Store, terms: Agreement, size: tuple[int, int]
) -> None:
    from leadtui.core.models import Role

    lead = next(rep for rep in work.reps() if rep.role is Role.LEAD)
    work.use(terms, Role.LEAD)
    app = app_on(work, terms, rep=lead.id)
    assert snap_compare(app, terminal_size=size, run_before=pressing("3", "g"))
