"""`?` as a rep reads it: every key as itself (no markup read into a key such as `[`),
what the queue's marks mean, and lines that fit 80 columns, scrolling when they must."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from leadtui.core.agreement import Agreement
from leadtui.store import Store
from leadtui.tui.screens.help import HelpScreen
from leadtui.tui.widgets.sla_badge import MARKS
from tests.tui.conftest import app_on, settle


def help_rows(pilot: Pilot[None]) -> list[tuple[str, str]]:
    """The help's lines as painted: the key (or mark) and its words."""
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return [
        (
            str(line.query_one(".help-key", Static).render()),
            str(line.query_one(".help-words", Static).render()),
        )
        for line in screen.query(".help-line")
    ]


async def test_the_team_reviews_bracket_keys_show_as_themselves(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_rows(pilot)
        assert ("[", "Previous tab") in rows and ("]", "Next tab") in rows
        assert not [row for row in rows if "[/" in "".join(row) or "[b]" in "".join(row)]


async def test_the_queue_help_has_a_legend_of_the_marks(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        rows = dict(help_rows(pilot))
        keys = list(rows)
        for state, mark in MARKS.items():  # every mark the SLA badge can show
            said = [key for key in keys if key.startswith(f"{mark} ")]
            assert said, f"no legend for {mark} ({state.value})"
        assert rows["✖ 1h20 late"].startswith("breached")
        assert rows["‖ snoozed"].startswith("paused")
        assert rows["✓ connected"].startswith("met")
        assert rows["c●○○ e○○"] == "tries: 1 of 3 calls and 0 of 2 emails made"


async def test_the_help_fits_80_columns_and_scrolls(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        screen = pilot.app.screen
        assert len(screen.query(".help-words")) >= 40  # every key, move, pick and mark
        wrapped = [
            str(words.render())
            for words in screen.query(".help-words").results(Static)
            if words.size.height > 1
        ]
        assert wrapped == []  # a line of words that wraps at 80 columns
        scroll = screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert scroll.scroll_y > 0
