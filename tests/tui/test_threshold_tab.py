"""The team review's Threshold tab: the same plan `leadtui plan threshold` prints."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from leadtui.cli import main
from leadtui.core.agreement import Agreement
from leadtui.demo import DEMO_NOW
from leadtui.reports.plan import TABLE, figure, suggestion, threshold_plan
from leadtui.store import Store
from tests.tui.conftest import app_on, settle


async def test_the_threshold_tab_shows_the_commands_figures(
    work: Store, terms: Agreement, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = threshold_plan(work, terms, DEMO_NOW, weeks=8)
    assert main(["--db", str(work.path), "plan", "threshold", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)["rows"]
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = pilot.app.screen
        assert screen.query_one("#team-tabs", TabbedContent).active == "threshold"
        table = screen.query_one("#threshold-table", DataTable)
        shown = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert len(shown) == len(expected.plan.rows) > 5
        for said, cells in zip(printed, shown, strict=True):  # what the command printed
            assert cells[0] == str(said["threshold"])
            assert cells[1] == f"{figure(said['mqls_per_week'])}"
            for mark in ("in force", "suggested"):
                assert (mark in cells[-1]) is (mark in said["note"])
        for row, cells in zip(expected.plan.rows, shown, strict=True):
            assert cells[0] == str(row.threshold)
            assert cells[1] == f"{figure(row.mqls)}"
            assert cells[4] == ("—" if row.sqls is None else f"{figure(row.sqls)}")
            assert ("in force" in cells[-1]) is row.in_force
            assert ("suggested" in cells[-1]) is row.suggested
        caption = str(screen.query_one("#threshold-caption", Static).render())
        for line in suggestion(expected):
            assert line in caption
        assert TABLE.board is not None
