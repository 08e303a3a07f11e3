"""The team review's Threshold tab: the threshold plan (`leadtui plan threshold`) for the
last 8 weeks, worked out in a worker: the weeks, the bandwidth and the suggestion above
(in view on the smallest screen), the table drawn from the plan's declaration."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from leadtui.reports.plan import TABLE, ThresholdPlan, heading, suggestion, threshold_plan
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.widgets.figures_table import FiguresTable

WEEKS = 8


class ThresholdPlanView(Vertical):
    """Where the MQL bar could sit against the team's bandwidth."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(id="threshold-plan")
        self.desk = desk
        self.found: ThresholdPlan | None = None

    def compose(self) -> ComposeResult:
        calendar = self.desk.calendar
        yield Static(
            "Working out the threshold plan…", id="threshold-caption", classes="team-caption"
        )
        yield FiguresTable(
            TABLE, day=calendar.day_length(), zone=calendar.zone, name_of=self.desk.name_of
        )

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="threshold-plan")
    def load(self) -> None:
        desk = self.desk
        now = desk.now()
        try:
            found = desk.read(lambda store: threshold_plan(store, desk.agreement, now, weeks=WEEKS))
        except (Refused, ValueError) as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="error")
            return
        self.app.call_from_thread(self.show, found)

    def show(self, found: ThresholdPlan) -> None:
        self.found = found
        said = [*heading(found), *suggestion(found)]
        self.query_one("#threshold-caption", Static).update(Text("\n".join(said)))
        self.query_one(FiguresTable).show(found.plan.rows)
