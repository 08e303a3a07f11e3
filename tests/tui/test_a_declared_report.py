"""A report declared in one place, here, and nowhere else: `leadtui report` prints it
as a table, JSON and CSV (text that would run as a formula kept as text), and the team
review shows it on a tab of its own."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from leadtui.cli import main
from leadtui.core.agreement import Agreement
from leadtui.demo import DEMO_NOW
from leadtui.reports import FunnelRow, Period, Reports
from leadtui.reports.catalogue import REPORTS
from leadtui.reports.report import Board, Column, Kind, Report
from leadtui.store import Store
from leadtui.tui.screens.team import TABS, TeamScreen
from tests.conftest import make_lead
from tests.tui.conftest import app_on, settle


def _sources(reports: Reports, by: str | None) -> Sequence[FunnelRow]:
    return [row for row in reports.funnel(by or "source") if row.group != "all"]


WON = Report(
    name="won",
    about="deals won, by source",
    title="Deals won by {by}",
    empty="No leads were handed over {span}.",
    columns=(
        Column("source", "Source", value=lambda row: row.group),
        Column("won", "Won", Kind.COUNT),
        Column("rate", "MQL>won", Kind.RATE, lambda row: row.mql_to_won),
    ),
    rows=_sources,
    by=("source",),
    board=Board(tab="Won"),
)


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch, work: Store, terms: Agreement) -> list[FunnelRow]:
    """The report in the catalogue, a lead whose source reads as a formula handed over
    in the demo's last 30 days, and the rows the report should show."""
    monkeypatch.setitem(REPORTS, WON.name, WON)
    lead = work.add_lead(make_lead(email="formula@example.com", source="=2+5"))
    assert lead.id is not None
    work.became_mql(lead.id, at=DEMO_NOW, score=70, fit=30, engagement=40)
    period = Period.named("30days", DEMO_NOW, ZoneInfo(terms.sla.time_zone))
    rows = list(_sources(Reports(work, terms, period, DEMO_NOW), "source"))
    assert "=2+5" in {row.group for row in rows} and any(row.won for row in rows)
    return rows


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_prints_it_in_each_format(
    capsys: pytest.CaptureFixture[str], work: Store, declared: list[FunnelRow]
) -> None:
    database = ("--db", str(work.path), "report", "won")
    code, out, err = run(capsys, *database, "--format", "json")
    assert code == 0, err
    assert json.loads(out) == [
        {"source": row.group, "won": row.won, "rate": round(row.won / row.mql, 4)}
        for row in declared
    ]
    code, out, _ = run(capsys, *database, "--format", "csv")
    table = list(csv.reader(out.splitlines()))
    assert table[0] == ["source", "won", "rate"]
    assert [line[:2] for line in table[1:]] == [
        ["'=2+5" if row.group == "=2+5" else row.group, str(row.won)] for row in declared
    ]
    code, out, _ = run(capsys, *database)
    lines = out.splitlines()
    assert lines[0] == "Deals won by source, Mon 19 Oct to Tue 17 Nov 2026"
    assert lines[2].split() == ["Source", "Won", "MQL>won"]
    assert len(lines) == 4 + len(declared)
    code, _, err = run(capsys, *database, "--by", "rep")
    assert code != 0 and err.strip() == "leadtui: won cannot be grouped by rep: use source"


def test_every_declared_report_answers_on_the_command_line(
    capsys: pytest.CaptureFixture[str], work: Store, declared: list[FunnelRow]
) -> None:
    for name in REPORTS:
        code, out, err = run(capsys, "--db", str(work.path), "report", name, "--format", "json")
        assert code == 0, (name, err)
        assert isinstance(json.loads(out), list)


async def test_the_team_review_shows_it_on_a_tab_of_its_own(
    work: Store, terms: Agreement, declared: list[FunnelRow]
) -> None:
    async with app_on(work, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TeamScreen)
        on_board = {name for name, report in REPORTS.items() if report.board is not None}
        assert set(screen.tables) == on_board and "won" in on_board
        for _ in range(len(TABS)):  # past the tabs of the review's own, with the key
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "won-tab"
        caption = screen.query_one("#won-caption", Static).render()
        assert str(caption) == "Deals won by source"
        table = screen.query_one("#won-table", DataTable)
        assert [str(column.label) for column in table.columns.values()] == [
            "Source",
            "Won",
            "MQL>won",
        ]
        shown = [
            [str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)
        ]
        assert shown == [[row.group, str(row.won), f"{row.won / row.mql:.0%}"] for row in declared]
