"""The team lead's review (`t` from the queue): each rep's attempts and SLA, the funnel
by source or rep, conversion by score band, the breaches, and marketing's feedback,
for today, this week, the last 30 days or days of one's choosing.

Enter on a rep shows that rep's breaches; Enter on a breach opens the lead. The
figures come from `leadtui.reports`, computed in a worker.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Sparkline, Static, TabbedContent, TabPane

from leadtui.reports import Period, Reports
from leadtui.reports import words as say
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import TeamLoaded
from leadtui.tui.widgets.key_bar import KeyBar

TABS = {"reps": "Reps", "funnel": "Funnel", "bands": "Score bands", "breaches": "Breaches",
        "marketing": "Marketing"}  # fmt: skip
PERIODS = {"today": "Today", "week": "This week", "30days": "Last 30 days"}
MOVES = ("accepted", "qualified", "returned_to_nurture", "disqualified")


class TeamScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="team.back"),
        Binding("1", "period('today')", "Today", id="team.today"),
        Binding("2", "period('week')", "Week", id="team.week"),
        Binding("3", "period('30days')", "30 days", id="team.30days"),
        Binding("4", "custom", "Pick dates", id="team.custom"),
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
            )
        ),  # fmt: skip
        Binding("question_mark", "app.help", "Help", id="team.help"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.period = Period.named("30days", desk.now(), desk.calendar.zone)
        self.by = "source"  # the funnel's grouping
        self.only_rep: str | None = None  # the breaches of one rep
        self.loaded: TeamLoaded | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="team-period")
        with TabbedContent(id="team-tabs"):
            with TabPane(TABS["reps"], id="reps"):
                yield Static("Attempts per day, whole team", classes="team-caption")
                yield Sparkline([], id="team-spark")
                yield DataTable(id="reps-table", cursor_type="row", zebra_stripes=True)
            with TabPane(TABS["funnel"], id="funnel"):
                yield Static(id="funnel-caption", classes="team-caption")
                yield DataTable(id="funnel-table", cursor_type="row", zebra_stripes=True)
            with TabPane(TABS["bands"], id="bands"):
                yield Static(id="bands-caption", classes="team-caption")
                yield DataTable(id="bands-table", cursor_type="row", zebra_stripes=True)
            with TabPane(TABS["breaches"], id="breaches"):
                yield Static(id="breaches-caption", classes="team-caption")
                yield DataTable(id="breaches-table", cursor_type="row", zebra_stripes=True)
            with TabPane(TABS["marketing"], id="marketing"), VerticalScroll():
                yield Static(id="handoff-caption", classes="team-caption")
                yield DataTable(id="handoff-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="reasons-caption", classes="team-caption")
                yield DataTable(id="reasons-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

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

    def action_custom(self) -> None:
        from leadtui.tui.modals.period import PeriodPicker

        def chosen(days: tuple[date, date] | None) -> None:
            if days is not None:
                self.use(Period(*days, self.desk.calendar.zone))

        self.app.push_screen(PeriodPicker(self.period.since, self.period.until), chosen)

    def action_group(self) -> None:
        self.by = "rep" if self.by == "source" else "source"
        self.show_funnel()
        self.query_one(TabbedContent).active = "funnel"

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_step(self, by: int) -> None:
        tabs = list(TABS)
        here = tabs.index(self.query_one(TabbedContent).active)
        self.action_tab(tabs[(here + by) % len(tabs)])

    def use(self, period: Period) -> None:
        self.period = period
        self.show_period(computing=True)
        self.load(period)

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
        self.post_message(
            TeamLoaded(
                period,
                reports.team(),
                {"source": reports.funnel("source"), "rep": reports.funnel("rep")},
                reports.bands(),
                reports.breaches(),
                reports.reasons(),
                reports.handoff(),
            )  # fmt: skip
        )

    @on(TeamLoaded)
    def show(self, loaded: TeamLoaded) -> None:
        if loaded.period != self.period:
            return  # a period chosen since
        self.loaded = loaded
        self.show_period(computing=False)
        self.show_reps()
        self.show_funnel()
        self.show_bands()
        self.show_breaches()
        self.show_marketing()
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
            (words for name, words in PERIODS.items()
             if Period.named(name, self.desk.now(), period.zone) == period),
            None,
        )  # fmt: skip
        title = f"{named}, {period.words()}" if named else period.words()
        state = " · [$text-muted]working out the figures…[/]" if computing else ""
        self.query_one("#team-period", Static).update(f"[b]Team review[/b] · {title}{state}")

    def show_reps(self) -> None:
        assert self.loaded is not None
        team = [rep for rep in self.loaded.team if rep.rep]
        spark = [sum(day) for day in zip(*(rep.per_day for rep in team), strict=True)] or [0]
        self.query_one("#team-spark", Sparkline).data = spark
        table = self.query_one("#reps-table", DataTable)
        table.clear(columns=True)
        table.add_columns(
            "Rep", "Open/cap", "In time", "1st try p50", "Calls", "Emails", "Conn", "Cadence",
            "Acc", "Qual", "Ret", "DQ", "Attempts per day",
        )  # fmt: skip
        day = self.desk.calendar.day_length()
        for rep in team:
            moves = {kind: 0 for kind in MOVES}
            for move in rep.moves:
                moves[move.kind] = moves.get(move.kind, 0) + move.count
            load = f"{rep.open}/{rep.capacity}" + (" !" if rep.open > rep.capacity else "")
            table.add_row(
                rep.name, _r(load), _r(say.percent(rep.sla.compliance)),
                _r(say.span(rep.sla.to_first_attempt.median, day)), _r(rep.calls),
                _r(rep.emails), _r(rep.connects), _r(say.percent(rep.sla.cadence_completion)),
                *map(_r, moves.values()), say.spark(rep.per_day), key=rep.rep,
            )  # fmt: skip

    def show_funnel(self) -> None:
        if self.loaded is None:
            return
        rows = self.loaded.funnel[self.by]
        other = "rep" if self.by == "source" else "source"
        self.query_one("#funnel-caption", Static).update(
            f"MQL → SAL → SQL → won by {self.by} · g: by {other} · median calendar time per step"
        )
        table = self.query_one("#funnel-table", DataTable)
        table.clear(columns=True)
        table.add_columns(
            self.by.capitalize(), "MQL", "SAL", "SQL", "Won", "MQL→SAL", "SAL→SQL", "SQL→won",
            "MQL→won", "", "to SAL", "to SQL", "to won",
        )  # fmt: skip
        best = max((row.mql_to_won or 0 for row in rows), default=0) or 1
        for row in rows:
            group = row.group if self.by == "source" or row.group == "all" else (
                self.desk.name_of(row.group) if row.group else "(unassigned)"
            )  # fmt: skip
            table.add_row(
                group, *map(_r, (row.mql, row.sal, row.sql, row.won)),
                *(_r(say.percent(rate)) for rate in
                  (row.sal_rate, row.sql_rate, row.won_rate, row.mql_to_won)),
                say.bar((row.mql_to_won or 0) / best, 6),
                *(_r(say.calendar_span(spread.median)) for spread in
                  (row.to_sal, row.to_sql, row.to_won)),
            )  # fmt: skip

    def show_bands(self) -> None:
        assert self.loaded is not None
        found = self.loaded.bands
        flagged = len(found.inversions)
        self.query_one("#bands-caption", Static).update(
            "Conversion to SQL by score at hand-off: higher scores should convert more."
            + (f" [b $warning]{flagged} inverted[/]" if flagged else " [$success]No inversions.[/]")
        )
        table = self.query_one("#bands-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Score", "Leads", "SQL", "To SQL", "", "Won", "Flag")
        for band in (*found.bands, *found.deciles):
            table.add_row(
                band.label, _r(band.leads), _r(band.converted), _r(say.percent(band.rate)),
                say.bar(band.rate, 12), _r(band.won), "⚠ inverts" if band.inverted else "",
            )  # fmt: skip

    def show_breaches(self) -> None:
        if self.loaded is None:
            return
        found = [
            breach for breach in self.loaded.breaches
            if self.only_rep is None or breach.rep == self.only_rep
        ]  # fmt: skip
        whose = f" of {self.desk.name_of(self.only_rep)} (Esc: all)" if self.only_rep else ""
        plural = "es" if len(found) != 1 else ""
        self.query_one("#breaches-caption", Static).update(
            f"{len(found)} first-touch breach{plural}{whose} · late in business time · Enter: open"
        )
        table = self.query_one("#breaches-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Lead", "Rep", "Source", "Due", "First touch", "Late by")
        zone = self.desk.calendar.zone
        day = self.desk.calendar.day_length()
        for breach in found:
            touched = breach.touched_at
            table.add_row(
                breach.name, self.desk.name_of(breach.rep) if breach.rep else "(unassigned)",
                breach.source, f"{breach.due_at.astimezone(zone):%d %b %H:%M}",
                f"{touched.astimezone(zone):%d %b %H:%M}" if touched else "not yet",
                _r(say.span(breach.late, day)), key=str(breach.lead_id),
            )  # fmt: skip

    def show_marketing(self) -> None:
        assert self.loaded is not None
        hours = self.desk.agreement.sla.handoff_hours
        self.query_one("#handoff-caption", Static).update(
            f"Marketing's side of the SLA: qualified to handed over within {hours:g} h"
        )
        self.query_one("#reasons-caption", Static).update(
            "Why leads went back to marketing or were disqualified, by source"
        )
        reasons = self.query_one("#reasons-table", DataTable)
        reasons.clear(columns=True)
        reasons.add_columns("Source", "Went", "Reason", "Leads")
        for move in self.loaded.reasons:
            went = "returned" if move.kind == "returned_to_nurture" else "disqualified"
            reasons.add_row(move.who, went, move.reason or "(none)", _r(move.count))
        handoff = self.query_one("#handoff-table", DataTable)
        handoff.clear(columns=True)
        handoff.add_columns("Source", "Leads", "In time", "p50", "p90")
        day = self.desk.calendar.day_length()
        for figures in self.loaded.handoff:
            handoff.add_row(
                figures.source, _r(figures.leads), _r(say.percent(figures.compliance)),
                _r(say.span(figures.took.median, day)), _r(say.span(figures.took.p90, day)),
            )  # fmt: skip

    # -- drilling down

    @on(DataTable.RowSelected, "#reps-table")
    def rep_breaches(self, event: DataTable.RowSelected) -> None:
        self.only_rep = event.row_key.value
        self.show_breaches()
        self.query_one(TabbedContent).active = "breaches"
        self.query_one("#breaches-table", DataTable).focus()

    @on(DataTable.RowSelected, "#breaches-table")
    def open_lead(self, event: DataTable.RowSelected) -> None:
        from leadtui.tui.screens.lead import LeadScreen

        if event.row_key.value is not None:
            lead_id = int(event.row_key.value)
            self.app.push_screen(LeadScreen(self.desk, lead_id, "", acting=False))


def _r(value: object) -> Text:
    """A figure, flush right in its column."""
    return Text(str(value), justify="right")
