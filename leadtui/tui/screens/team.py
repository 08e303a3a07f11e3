"""The team lead's review (`t` from the queue): each rep's attempts and SLA, the funnel
by source or rep, conversion by score band, the breaches, and marketing's feedback,
for today, this week, the last 30 days or days of one's choosing.

Enter on a rep shows that rep's breaches; Enter on a breach opens the lead, which a
team lead can give to a rep from there (`team_giving`). The
figures come from `leadtui.reports`, computed in a worker; each table is drawn from
its report's declaration (`leadtui.reports.catalogue`). A declared report that none
of the tabs below shows gets a tab of its own, after them.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from leadtui.reports import NotScoredYet, Period, Reports, since_the_agreement
from leadtui.reports.catalogue import REPORTS
from leadtui.reports.report import Report
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import TeamLoaded
from leadtui.tui.screens.team_giving import BreachCard
from leadtui.tui.widgets.attempts_spark import AttemptsSpark, team_attempts
from leadtui.tui.widgets.figures_table import FiguresTable
from leadtui.tui.widgets.key_bar import KeyBar
from leadtui.tui.widgets.threshold_plan import ThresholdPlanView

TABS = {
    "reps": "Reps",
    "funnel": "Funnel",
    "bands": "Score bands",
    "breaches": "Breaches",
    "marketing": "Marketing",
    "threshold": "Threshold",
}
PERIODS = {"today": "Today", "week": "This week", "30days": "Last 30 days"}
PLACED = ("attempts", "funnel", "bands", "breaches", "handoff", "reasons")  # on the tabs above


class TeamScreen(BreachCard, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="team.back"),
        Binding("1", "period('today')", "Today", id="team.today"),
        Binding("2", "period('week')", "Week", id="team.week"),
        Binding("3", "period('30days')", "30 days", id="team.30days"),
        Binding("4", "custom", "Pick dates", id="team.custom"),
        Binding("5", "since_the_agreement", "Agreement", id="team.agreement"),
        Binding("g", "group", "By source/rep", id="team.group"),
        Binding("right_square_bracket", "step(1)", "Next tab", id="team.next_tab"),
        Binding(
            "left_square_bracket", "step(-1)", "Previous tab", show=False, id="team.previous_tab"
        ),
        *(
            Binding(key, f"tab('{tab}')", TABS[tab], show=False, id=f"team.{tab}")
            for key, tab in (
                ("r", "reps"),
                ("f", "funnel"),
                ("b", "bands"),
                ("x", "breaches"),
                ("m", "marketing"),
                ("p", "threshold"),
            )
        ),
        Binding("question_mark", "app.help", "Help", id="team.help"),
        Binding("q", "app.quit", "Quit", show=False, id="app.quit"),  # as from the queue
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.period = Period.named("30days", desk.now(), desk.calendar.zone)
        self.since_agreement: Period | None = None  # the period key 5 chose, when it did
        self.by = "source"  # the funnel's grouping
        self.only_rep: str | None = None  # the breaches of one rep
        self.loaded: TeamLoaded | None = None
        self.shown = [report for report in REPORTS.values() if report.board is not None]
        # The reports on tabs of their own, by their tab's id.
        self.own = {
            f"{report.name}-tab": report for report in self.shown if report.name not in PLACED
        }
        self.tabs = {**TABS, **{tab: _tab_title(report) for tab, report in self.own.items()}}
        self.tables: dict[str, FiguresTable] = {}  # by report

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="team-period")
        with TabbedContent(id="team-tabs"):
            with TabPane(TABS["reps"], id="reps"):
                yield Static(id="spark-caption", classes="team-caption")
                yield AttemptsSpark(id="team-spark")
                yield self.table("attempts")
            with TabPane(TABS["funnel"], id="funnel"):
                yield Static(id="funnel-caption", classes="team-caption")
                yield self.table("funnel")
            with TabPane(TABS["bands"], id="bands"):
                yield Static(id="bands-caption", classes="team-caption")
                yield self.table("bands")
            with TabPane(TABS["breaches"], id="breaches"):
                yield Static(id="breaches-caption", classes="team-caption")
                yield self.table("breaches")
            with TabPane(TABS["marketing"], id="marketing"), VerticalScroll():
                yield Static(id="handoff-caption", classes="team-caption")
                yield self.table("handoff")
                yield Static(id="reasons-caption", classes="team-caption")
                yield self.table("reasons")
            with TabPane(TABS["threshold"], id="threshold"):
                yield ThresholdPlanView(self.desk)
            for tab, report in self.own.items():
                with TabPane(self.tabs[tab], id=tab):
                    yield Static(id=f"{report.name}-caption", classes="team-caption")
                    yield self.table(report.name)
        yield KeyBar()

    def table(self, name: str) -> FiguresTable:
        calendar = self.desk.calendar
        self.tables[name] = FiguresTable(
            REPORTS[name], day=calendar.day_length(), zone=calendar.zone, name_of=self.desk.name_of
        )
        return self.tables[name]

    def on_mount(self) -> None:
        self.show_period(computing=True)
        self.load(self.period)

    # -- keys

    def action_back(self) -> None:
        if self.only_rep is not None:
            self.only_rep = None
            self.show_breaches()
        else:
            self.dismiss(None)

    def action_period(self, name: str) -> None:
        self.use(Period.named(name, self.desk.now(), self.desk.calendar.zone))

    @work(thread=True, group="team-period")
    def action_since_the_agreement(self) -> None:
        """The leads handed over since the agreement in force began scoring the file:
        after an apply and a rescore, how the new points sort them (see Bands)."""
        desk = self.desk
        try:
            period = desk.read(lambda store: since_the_agreement(store, desk.agreement, desk.now()))
        except (Refused, NotScoredYet) as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        self.app.call_from_thread(self.use_the_agreements, period)

    def use_the_agreements(self, period: Period) -> None:
        self.since_agreement = period
        self.use(period)

    def action_custom(self) -> None:
        from leadtui.tui.modals.period import PeriodPicker

        zone = self.desk.calendar.zone

        def chosen(days: tuple[date, date] | None) -> None:
            if days is not None:
                self.use(Period(*days, zone))
                self.notify(f"Showing {self.period.words()}", timeout=4)

        today = self.desk.now().astimezone(zone).date()
        self.app.push_screen(PeriodPicker(self.period.since, self.period.until, today), chosen)

    def action_group(self) -> None:
        """`g`: on the Breaches tab, a team lead gives the highlighted breach's lead to a
        rep (as `g` gives a lead in the queue); elsewhere the funnel by source or rep."""
        if self.query_one(TabbedContent).active == "breaches" and self.desk.leads_the_team:
            table = self.query_one("#breaches-table", DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                if key is not None:
                    self.give_from_card(int(key))
                    return
        self.by = "rep" if self.by == "source" else "source"
        self.show_funnel()
        self.query_one(TabbedContent).active = "funnel"

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_step(self, by: int) -> None:
        tabs = list(self.tabs)
        here = tabs.index(self.query_one(TabbedContent).active)
        self.action_tab(tabs[(here + by) % len(tabs)])

    def use(self, period: Period) -> None:
        self.period = period
        self.show_period(computing=True)
        self.load(period)

    def reload(self) -> None:
        self.use(self.period)

    # -- figures

    @work(thread=True, exclusive=True, group="team")
    def load(self, period: Period) -> None:
        desk = self.desk
        now = desk.now()

        try:  # the store's lock is held for the reading only, not the arithmetic
            reports = desk.read(lambda store: Reports(store, desk.agreement, period, now).read())
        except Refused as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="error")
            return
        rows = {
            (report.name, by): report.rows(reports, by)
            for report in self.shown
            for by in report.by or (None,)
        }
        titles = {
            report.name: report.titled(reports, report.grouping(None)) for report in self.shown
        }
        self.post_message(TeamLoaded(period, rows, titles))

    @on(TeamLoaded)
    def show(self, loaded: TeamLoaded) -> None:
        if loaded.period != self.period:
            return  # a period chosen since
        if self.loaded is not None and self.loaded.period != loaded.period:
            for table in self.tables.values():  # another period's figures: from the top
                table.clear()
                table.scroll_home(animate=False)
        self.loaded = loaded
        self.show_period(computing=False)
        self.show_reps()
        self.show_funnel()
        self.show_bands()
        self.show_breaches()
        self.show_marketing()
        self.show_own()
        if not isinstance(self.focused, DataTable):
            self.focus_tab()

    @on(TabbedContent.TabActivated)
    def focus_tab(self) -> None:
        """The keys act on the table of the tab in view."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            pane.query(DataTable).first().focus(scroll_visible=False)

    def show_period(self, *, computing: bool) -> None:
        period = self.period
        named = next(
            (
                words
                for name, words in PERIODS.items()
                if Period.named(name, self.desk.now(), period.zone) == period
            ),
            None,
        )
        if named is None and period == self.since_agreement:
            named = "Since the agreement in force"
        title = f"{named}, {period.words()}" if named else period.words()
        state = " · [$text-muted]working out the figures…[/]" if computing else ""
        self.query_one("#team-period", Static).update(f"[b]Team review[/b] · {title}{state}")

    def show_reps(self) -> None:
        assert self.loaded is not None
        team = [rep for rep in self.loaded.team if rep.rep]
        sla = self.desk.agreement.sla
        counts, caption = team_attempts(team, self.loaded.period, self.desk.now(), sla)
        self.query_one("#spark-caption", Static).update(Text(caption))
        self.query_one(AttemptsSpark).show(counts)
        self.tables["attempts"].show(self.loaded.team)

    def show_funnel(self) -> None:
        if self.loaded is None:
            return
        other = "rep" if self.by == "source" else "source"
        self.query_one("#funnel-caption", Static).update(
            f"MQL → SAL → SQL → won by {self.by} · g: by {other} · median calendar time per step"
        )
        self.tables["funnel"].show(self.loaded.rows["funnel", self.by], self.by)

    def show_bands(self) -> None:
        assert self.loaded is not None
        bands = self.loaded.rows["bands", None]
        flagged = sum(band.inverted for band in bands)
        self.query_one("#bands-caption", Static).update(
            "Conversion to SQL by score at hand-off: higher scores should convert more."
            + (f" [b $warning]{flagged} inverted[/]" if flagged else " [$success]No inversions.[/]")
        )
        self.tables["bands"].show(bands)

    def show_breaches(self) -> None:
        if self.loaded is None:
            return
        found = [
            breach
            for breach in self.loaded.breaches
            if self.only_rep is None or breach.rep == self.only_rep
        ]
        whose = f" of {self.desk.name_of(self.only_rep)} (Esc: all)" if self.only_rep else ""
        plural = "es" if len(found) != 1 else ""
        self.query_one("#breaches-caption", Static).update(
            f"{len(found)} first-touch breach{plural}{whose} · late in business time · Enter: open"
            + (" · g: give to a rep" if self.desk.leads_the_team else "")
        )
        self.tables["breaches"].show(found)

    def show_marketing(self) -> None:
        assert self.loaded is not None
        hours = self.desk.agreement.sla.handoff_hours
        self.query_one("#handoff-caption", Static).update(
            f"Marketing's side of the SLA: qualified to handed over within {hours:g} h"
        )
        self.query_one("#reasons-caption", Static).update(
            "Why leads went back to marketing or were disqualified, by source"
        )
        self.tables["reasons"].show(self.loaded.rows["reasons", None])
        self.tables["handoff"].show(self.loaded.rows["handoff", None])

    def show_own(self) -> None:
        """The reports on tabs of their own: each under its title, by its default grouping."""
        assert self.loaded is not None
        for report in self.own.values():
            by = report.grouping(None)
            title = Text(self.loaded.titles[report.name])  # words, not markup
            self.query_one(f"#{report.name}-caption", Static).update(title)
            self.tables[report.name].show(self.loaded.rows[report.name, by], by)

    # -- drilling down

    @on(DataTable.RowSelected, "#reps-table")
    def rep_breaches(self, event: DataTable.RowSelected) -> None:
        self.only_rep = event.row_key.value
        self.show_breaches()
        self.query_one(TabbedContent).active = "breaches"
        self.query_one("#breaches-table", DataTable).focus()

    @on(DataTable.RowSelected, "#breaches-table")
    def open_lead(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_card(int(event.row_key.value))


def _tab_title(report: Report) -> str:
    return (report.board.tab if report.board else None) or report.name.capitalize()
