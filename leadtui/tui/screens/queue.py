"""The queue screen: the rep's leads, urgent first, with the detail of the highlighted
one beside them (or a key away at 80 columns) and every action a key or two away.

Loading happens in thread workers a keyset page at a time, each posting what it read
as a message; the actions on a lead live in `acting.QueueActions`, mixed in here.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from leadtui.core import rationale, sla
from leadtui.core.queue import QueueRow, in_order
from leadtui.core.scoring import Factor, Score
from leadtui.store import Counts, Cursor, Store, View
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import (
    CountsLoaded,
    DetailLoaded,
    PageLoaded,
    Reread,
)
from leadtui.tui.screens import queue_words as words
from leadtui.tui.screens.acting import ASKING, Asked, QueueActions
from leadtui.tui.screens.queue_news import QueueNews
from leadtui.tui.widgets.columns import Line, SlaClock
from leadtui.tui.widgets.crm_status import CrmStatus
from leadtui.tui.widgets.key_bar import KeyBar
from leadtui.tui.widgets.lead_detail import LeadDetail
from leadtui.tui.widgets.queue_list import QueueHeading, QueueList
from leadtui.tui.widgets.sync_status import SyncStatus

PAGE = 100
SLA_TICK = 15  # seconds between re-readings of the shown SLA clocks
NEWS_POLL = 5  # seconds between looks at the event log for changes made elsewhere
WIDE = 120  # from this many columns, the detail sits beside the queue


class QueueScreen(QueueActions, QueueNews, Screen[None]):
    BINDINGS = [
        # The views are named with their keys in the line above the queue, not the footer.
        Binding("1", "view('mine')", "My queue", show=False, id="queue.mine"),
        Binding("2", "view('unassigned')", "Unassigned", show=False, id="queue.unassigned"),
        Binding("3", "view('all')", "All open", show=False, id="queue.all"),
        Binding("n", "next_lead", "Next", id="queue.next"),
        Binding("c", "claim", "Claim", id="queue.claim"),
        Binding("l", "log('call')", "Call", id="queue.call"),
        Binding("e", "log('email')", "Email", id="queue.email"),
        Binding("a", "accept", "Accept", id="queue.accept"),
        Binding("Q", "qualify", "Qualify", id="queue.qualify"),
        Binding("r", "nurture", "Nurture", id="queue.nurture"),
        Binding("d", "disqualify", "Disqualify", id="queue.disqualify"),
        Binding("z", "snooze", "Snooze", id="queue.snooze"),
        Binding("u", "undo", "Undo", id="queue.undo"),
        Binding("g", "give", "Give to", id="queue.give"),
        # For a rep the key above is off; this one says what it does and whose it is.
        Binding("g", "give_refused", show=False, id="queue.give_refused"),
        Binding("slash", "search", "Search", id="queue.search"),
        Binding("f", "filter", "Filter", id="queue.filter"),
        Binding("escape", "clear", "Clear search/filter", show=False, id="queue.clear"),
        Binding("t", "team", "Team", id="queue.team"),
        Binding("question_mark", "app.help", "Help", id="queue.help"),
        Binding("q", "app.quit", "Quit", show=False, id="app.quit"),
        # The side pane's detail is longer than the screen: it scrolls from the keyboard.
        Binding(
            "shift+down", "scroll_detail('down')", "Detail down", show=False, id="queue.detail_down"
        ),
        Binding("shift+up", "scroll_detail('up')", "Detail up", show=False, id="queue.detail_up"),
        Binding(
            "shift+pagedown",
            "scroll_detail('page_down')",
            "Detail page down",
            show=False,
            id="queue.detail_page_down",
        ),
        Binding(
            "shift+pageup",
            "scroll_detail('page_up')",
            "Detail page up",
            show=False,
            id="queue.detail_page_up",
        ),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.asked = Asked(View.MINE if desk.rep else View.UNASSIGNED)
        self.next: Cursor | None = None
        self.fetching = False
        self.counts: Counts | None = None
        self.urgent = (0, 0)  # breached, due soon
        self.new_ids: set[int] = set()  # handed over while this screen was open
        self.place_text = ""  # why the highlighted lead sits where it does
        self.read_up_to: int | None = None  # the event log's end when last read

    def compose(self) -> ComposeResult:
        yield Header()
        if self.desk.demo:
            yield Static(
                "DEMO: sample data on a demo clock; nothing here is real", id="demo-banner"
            )
        with Horizontal(id="load-line"):
            yield Static(id="load")
            yield SyncStatus(self.desk, id="sync")
            yield CrmStatus(self.desk, id="crm")
        yield Static(id="views")
        with Horizontal(id="main"):
            with Vertical(id="queue-pane"):
                queue = QueueList(self.read_clock, id="queue")
                yield QueueHeading(queue.columns, id="heading")
                yield Static(id="empty")  # in the list's place, under its heading
                yield queue
            yield LeadDetail(self.desk.agreement, id="detail")
        yield Static(id="place")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_interval(SLA_TICK, self.tick)
        self.set_interval(NEWS_POLL, self.watch_for_news)
        self.queue.focus()
        self.open_the_log()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    @property
    def wide(self) -> bool:
        return self.has_class("-wide")

    def action_scroll_detail(self, how: str) -> None:
        if self.wide:
            getattr(self.query_one(LeadDetail), f"scroll_{how}")(animate=False)

    @property
    def queue(self) -> QueueList:
        return self.query_one(QueueList)

    # -- what the list shows

    @work(group=ASKING)
    async def action_team(self) -> None:
        if not self.desk.sees_the_team:
            self.notify("The team review is for team leads", severity="warning")
            return
        from leadtui.tui.screens.team import TeamScreen

        await self.app.push_screen_wait(TeamScreen(self.desk))
        self.reload(follow=self.following())

    def reload(self, *, follow: list[int] | None = None, at: int | None = None) -> None:
        """Read again what the list holds (at least a page), keeping the cursor on
        the first of `follow` still there, else on row `at`, else where it was."""
        self.fetching = True
        size = max(len(self.queue.lines), PAGE)
        self.load(self.asked, None, size, replace=True, follow=follow or [], at=at)
        self.load_counts()

    @work(thread=True, exclusive=True, group="queue")
    def load(
        self,
        asked: Asked,
        after: Cursor | None,
        size: int,
        *,
        replace: bool,
        follow: list[int] | None = None,
        at: int | None = None,
    ) -> None:
        desk = self.desk
        now = desk.now()
        soon, today = desk.soon(now), desk.day_ends(now)
        stale = desk.stale_before(now) if asked.view is View.UNASSIGNED else None

        def read(store: Store) -> tuple[list[QueueRow], Cursor | None, dict[int, list[Factor]]]:
            if asked.search is not None:
                found = store.search(asked.search)
                return found, None, store.factors_of([row.id for row in found])
            page = store.queue_page(
                asked.view,
                rep=desk.rep,
                after=after,
                limit=size,
                soon=soon,
                now=now,
                today=today,
                stale=stale,
                only=asked.only,
            )
            return page.leads, page.next, store.factors_of([row.id for row in page.leads])

        try:
            rows, next_cursor, factors = desk.read(read)
        except Refused as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="error")
            return
        lines = [
            Line(
                row,
                rationale.who(row),
                rationale.lately(Score(tuple(factors.get(row.id, []))), now),
                row.id in self.new_ids,
                self.read_clock(row),
            )
            for row in rows
        ]
        if not get_current_worker().is_cancelled:
            self.post_message(PageLoaded(asked, lines, next_cursor, replace, follow or [], at))

    @on(PageLoaded)
    def show_page(self, loaded: PageLoaded) -> None:
        if loaded.key != self.asked:
            return
        queue = self.queue
        more = loaded.next is not None
        if loaded.replace:
            places = {line.row.id: index for index, line in enumerate(loaded.lines)}
            found = [places[lead_id] for lead_id in loaded.follow if lead_id in places]
            at = found[0] if found else loaded.at
            queue.show(loaded.lines, more=more, at=at, alike=loaded.key.alike())
            self.query_one(QueueHeading).refresh()
        else:
            queue.extend(loaded.lines, more=more)
        self.next = loaded.next
        self.fetching = False
        empty = self.query_one("#empty", Static)
        empty.display = not queue.lines
        if not queue.lines:
            empty.update(words.empty_list(self.asked, self.counts))
            self.query_one(LeadDetail).clear("No lead to show.")
            self.place_text = ""  # no lead is highlighted: nothing to say of one
            self.query_one("#place", Static).update("")
        self.show_views()

    @on(QueueList.NearEnd)
    def load_more(self) -> None:
        if self.next is not None and not self.fetching:
            self.fetching = True
            self.load(self.asked, self.next, PAGE, replace=False)

    @work(thread=True, exclusive=True, group="counts")
    def load_counts(self) -> None:
        desk = self.desk
        view = self.asked.view
        try:
            counts, urgent = desk.read(
                lambda store: (
                    store.counts(desk.rep),
                    store.urgency(view, desk.rep, now=desk.now(), soon=desk.soon()),
                )
            )
        except Refused:
            return  # the page load says what went wrong
        if not desk.calendar.is_open(desk.now()):
            urgent = (urgent[0], 0)  # outside hours nothing is "due soon": it is paused
        self.post_message(CountsLoaded(counts, *urgent))

    @on(CountsLoaded)
    def show_counts(self, loaded: CountsLoaded) -> None:
        self.counts = loaded.counts
        self.urgent = (loaded.breached, loaded.due_soon)
        self.show_load()
        if not self.queue.lines:  # the counts tell an empty database from an empty view
            self.query_one("#empty", Static).update(words.empty_list(self.asked, self.counts))

    def read_clock(self, row: QueueRow) -> SlaClock:
        """A row's SLA clock now, and the cadence its cells measure it against."""
        terms = self.desk.agreement.sla
        now = self.desk.now()
        reading = sla.read(row, terms, self.desk.calendar, now)
        return SlaClock(
            reading, now, terms.cadence.calls, terms.cadence.emails, self.desk.calendar.day_length()
        )

    def tick(self) -> None:
        """The clocks move without a refresh key."""
        self.reread([line.row for line in self.queue.lines])
        self.load_counts()
        if (line := self.queue.current) is not None:
            self.load_detail(line.row.id)

    @work(thread=True, exclusive=True, group="reread")
    def reread(self, rows: list[QueueRow]) -> None:
        """Read every loaded row's SLA clock again, off the UI thread, and whether the
        rows are still in queue order at this minute."""
        clocks = {row.id: self.read_clock(row) for row in rows}
        now = self.desk.now()
        stale = self.desk.stale_before(now) if self.asked.view is View.UNASSIGNED else None
        today = self.desk.day_ends(now)
        ordered = in_order(rows, now=now, soon=self.desk.soon(now), today=today, stale=stale)
        if not get_current_worker().is_cancelled:
            self.post_message(Reread(clocks, ordered))

    @on(Reread)
    def show_reread(self, message: Reread) -> None:
        self.queue.reread(message.clocks)
        if (line := self.queue.current) is not None:  # its clock moved: say it anew
            self.show_place(line, self.queue.cursor)
        # Who is in a view filtered by SLA state changes with the clock: read it again.
        moved = not message.in_order or self.asked.only.due is not None
        if moved and self.asked.search is None and not self.fetching:
            current = self.queue.current
            self.reload(follow=[current.row.id] if current is not None else None)

    # -- the highlighted lead

    @on(QueueList.Highlighted)
    def highlighted(self, event: QueueList.Highlighted) -> None:
        self.show_place(event.line, event.index)
        if self.wide:
            self.load_detail(event.line.row.id)

    def show_place(self, line: Line, index: int) -> None:
        """The bottom line: why the highlighted lead sits where it does, by its clock."""
        clock = line.clock or self.read_clock(line.row)
        self.place_text = words.place_line(
            self.asked, index, len(self.queue.lines), line.row, clock, self.desk
        )
        self.query_one("#place", Static).update(self.place_text)

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, lead_id: int) -> None:
        try:
            loaded = self.desk.detail(lead_id)
        except Refused as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.post_message(DetailLoaded(loaded))

    @on(DetailLoaded)
    def show_detail(self, loaded: DetailLoaded) -> None:
        current, lead = self.queue.current, loaded.detail.lead
        if current is None or current.row.id != lead.id:
            return
        self.query_one(LeadDetail).show(
            loaded.detail,
            now=self.desk.now(),
            place=self.place_text,
            owner=self.desk.name_of(lead.owner) if lead.owner else "unassigned",
        )

    @on(QueueList.Chosen)
    @work(group=ASKING)
    async def open_lead(self, event: QueueList.Chosen) -> None:
        """At 80 columns the detail is a screen of its own; a key there acts here."""
        if self.wide:
            return
        from leadtui.tui.screens.lead import LeadScreen

        lead = LeadScreen(self.desk, event.line.row.id, self.place_text)
        if (action := await self.app.push_screen_wait(lead)) is not None:
            self.call_after_refresh(self.run_action, action)

    # -- words around the list

    def show_load(self) -> None:
        """The counts above the list, and the rep and the clock in the header."""
        load = words.load_line(self.asked.view, self.counts, *self.urgent)
        self.query_one("#load", Static).update(load)
        now = self.desk.now().astimezone(self.desk.calendar.zone)
        rep = self.desk.name_of(self.desk.rep) if self.desk.rep else "no rep chosen"
        demo = "DEMO · " if self.desk.demo else ""
        self.app.sub_title = f"{demo}{rep} · {now:%a %d %b %H:%M} {now.tzname()}"

    def show_views(self) -> None:
        tabs = words.view_tabs(self.asked, len(self.queue.lines), self.next is not None)
        self.query_one("#views", Static).update(tabs)
