"""The queue screen: open leads, best first, loaded a keyset page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from leadtui.core import rationale, sla
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import Lead
from leadtui.core.queue import place
from leadtui.core.scoring import Score
from leadtui.core.sla import SlaState
from leadtui.store import Counts, Cursor, StoreError, View

if TYPE_CHECKING:
    from leadtui.tui.app import Session

PAGE = 100
SLA_TICK = 15  # seconds between re-readings of the shown rows' SLA clocks
SLA_WIDTH = 34
SLA_MARKS = {
    SlaState.BREACHED: "✖",
    SlaState.DUE_SOON: "▲",
    SlaState.ON_TRACK: "·",
    SlaState.PAUSED: "‖",
    SlaState.MET: "✓",
}
NEW_MQL_POLL = 5  # seconds between looks at the event log for new MQLs
COMPANY_WIDTH = 24
WHY_WIDTH = 72


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


VIEW_TITLES = {View.MINE: "My queue", View.UNASSIGNED: "Unassigned", View.ALL: "All open"}


@dataclass
class PageLoaded(Message):
    view: View
    leads: list[Lead]
    why: dict[int, str]  # lead id -> the one-line rationale
    next: Cursor | None
    counts: Counts | None
    first: bool


@dataclass
class NewMqls(Message):
    leads: list[Lead]


class QueueScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "view('mine')", "My queue", id="queue.mine"),
        Binding("2", "view('unassigned')", "Unassigned", id="queue.unassigned"),
        Binding("3", "view('all')", "All open", id="queue.all"),
        Binding("q", "app.quit", "Quit", id="app.quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.zone = ZoneInfo(session.agreement.sla.time_zone)
        self.calendar = BusinessCalendar(session.agreement.sla)
        self.shown: dict[str, Lead] = {}  # row key -> the lead as loaded, for the SLA tick
        self.view = View.MINE if session.rep else View.UNASSIGNED
        self.next: Cursor | None = None
        self.loading = False
        self.counts: Counts | None = None
        self.new_ids: set[int] = set()  # handed over while this screen was open
        self.place_text = ""  # why the highlighted lead sits where it does
        self.seen_seq = 0

    def compose(self) -> ComposeResult:
        yield Header()
        if self.session.demo:
            yield Static(
                "DEMO: sample data on a demo clock; nothing here is real", id="demo-banner"
            )
        yield Static(id="status")
        table: DataTable[str] = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue", DataTable)
        self.columns = table.add_columns(
            "Score", "SLA", "Name", "Why", "Company", "Stage", "Owner", "Tries", "MQL", "Source"
        )
        self.set_interval(1, self.show_status)
        self.set_interval(SLA_TICK, self.tick_sla)
        self.seen_seq = self.session.store.last_seq()
        self.set_interval(NEW_MQL_POLL, self.watch_for_new_mqls)
        self.reload()

    def action_view(self, view: str) -> None:
        self.view = View(view)
        if self.view is View.MINE and not self.session.rep:
            self.notify("Pick a rep with --as to see your own queue", severity="warning")
            self.view = View.UNASSIGNED
        self.reload()

    def reload(self) -> None:
        self.query_one("#queue", DataTable).clear()
        self.shown.clear()
        self.next = None
        self.load(first=True)

    @work(thread=True, exclusive=True, group="queue")
    def load(self, first: bool = False) -> None:
        store = self.session.store
        try:
            page = store.queue_page(
                self.view,
                rep=self.session.rep,
                after=None if first else self.next,
                limit=PAGE,
                soon=self.soon(),
            )
            counts = store.counts(self.session.rep) if first else None
            factors = store.factors_of([lead.id for lead in page.leads if lead.id is not None])
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        now = self.session.clock.now()
        why = {
            lead.id: rationale.short(lead, Score(tuple(factors.get(lead.id, []))), now)
            for lead in page.leads
            if lead.id is not None
        }
        self.post_message(PageLoaded(self.view, page.leads, why, page.next, counts, first))

    @on(PageLoaded)
    def show_page(self, loaded: PageLoaded) -> None:
        if loaded.view is not self.view:
            return
        table = self.query_one("#queue", DataTable)
        for lead in loaded.leads:
            why = loaded.why.get(lead.id or 0, "")
            self.shown[str(lead.id)] = lead
            table.add_row(*self.cells(lead, why), key=str(lead.id))
        self.next = loaded.next
        self.loading = False
        if loaded.counts is not None:
            self.counts = loaded.counts
        empty = self.query_one("#empty", Static)
        empty.display = table.row_count == 0
        if table.row_count == 0:
            empty.update(self.empty_text())
        self.show_status()

    @work(thread=True, exclusive=True, group="new-mqls")
    def watch_for_new_mqls(self) -> None:
        """Whoever handed a lead to sales (a rescoring run, an import), say so here."""
        try:
            fresh, self.seen_seq = self.session.store.new_mqls_since(self.seen_seq)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if fresh:
            self.post_message(NewMqls(fresh))

    @on(NewMqls)
    def announce(self, message: NewMqls) -> None:
        self.new_ids.update(lead.id for lead in message.leads if lead.id is not None)
        for lead in message.leads[:3]:
            self.notify(f"{lead.name} ({lead.company}), score {lead.score}", title="New MQL")
        if len(message.leads) > 3:
            self.notify(f"and {len(message.leads) - 3} more", title="New MQLs")
        self.reload()

    def empty_text(self) -> str:
        if self.counts is not None and self.counts.open == 0:
            return (
                "No open leads in this database yet. Bring some in with "
                "`leadtui import leads FILE.csv`, or look around with `leadtui --demo`."
            )
        return f"Nothing in {VIEW_TITLES[self.view]}. Press 1, 2 or 3 to look at another view."

    @on(DataTable.RowHighlighted)
    def maybe_load_more(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        lead = self.shown.get(str(event.row_key.value))
        if lead is not None:
            now = self.session.clock.now()
            reading = sla.read(lead, self.session.agreement.sla, self.calendar, now)
            self.place_text = place(event.cursor_row + 1, lead, reading)
            self.show_status()
        if self.next is not None and not self.loading and event.cursor_row >= table.row_count - 10:
            self.loading = True
            self.load()

    def cells(self, lead: Lead, why: str) -> tuple[str, ...]:
        fresh = "● " if lead.id in self.new_ids else ""  # and the notification said "New MQL"
        return (
            f"{fresh}{lead.score}",
            self.sla_cell(lead),
            lead.name,
            clip(why, WHY_WIDTH),
            clip(lead.company, COMPANY_WIDTH),
            lead.stage.value.replace("_", " "),
            lead.owner or "—",
            f"{lead.calls}c {lead.emails}e",
            self.age(lead.mql_at),
            lead.source.replace("_", " "),
        )

    def soon(self) -> datetime:
        """Leads due by then are urgent: breached and due-soon come first in the queue."""
        margin = timedelta(minutes=self.session.agreement.sla.due_soon_minutes)
        return self.calendar.add(self.session.clock.now(), margin)

    def sla_cell(self, lead: Lead) -> str:
        """The clock in words, with a mark so colour is never the only signal."""
        reading = sla.read(
            lead, self.session.agreement.sla, self.calendar, self.session.clock.now()
        )
        return clip(f"{SLA_MARKS[reading.state]} {reading.words}", SLA_WIDTH)

    def tick_sla(self) -> None:
        """The clocks move without a refresh key: re-read each shown row's SLA."""
        table = self.query_one("#queue", DataTable)
        for key, lead in self.shown.items():
            if key in table.rows:
                table.update_cell(key, self.columns[1], self.sla_cell(lead))

    def age(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        minutes = int((self.session.clock.now() - moment).total_seconds() // 60)
        if minutes < 60:
            return f"{minutes} min"
        if minutes < 48 * 60:
            return f"{minutes // 60} h"
        return f"{minutes // (24 * 60)} d"

    def show_status(self) -> None:
        now = self.session.clock.now().astimezone(self.zone)
        counts = self.counts
        parts = [VIEW_TITLES[self.view]]
        if counts is not None:
            if self.session.rep:
                parts.append(f"{counts.mine} yours")
            parts.append(f"{counts.unassigned} unassigned · {counts.open} open")
        parts.append(f"{now:%a %d %b %H:%M} {now.tzname()}")
        line = " · ".join(parts)
        if self.place_text:
            line += f"\n{self.place_text}"
        self.query_one("#status", Static).update(line)
