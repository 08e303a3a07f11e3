"""What the queue screen's keys do, mixed into the screen: switch, search and filter
what the list shows; and act on the highlighted lead, each action asking what it
needs in a picker, running the change in a worker, saying what happened and moving
the cursor on.

An action that asks is a worker that waits for the picker's answer and reads top to
bottom; the store is only used from thread workers, whose results come back as
messages. A note typed into a picker is kept as a draft until its change goes
through, so a conflict or a store error never loses what the rep wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from leadtui.core import lifecycle
from leadtui.core.models import Channel, EventKind, Lead, Role
from leadtui.store import Filter, View
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import ActionDone, ActionFailed, LoadsRead, SourcesRead
from leadtui.tui.widgets.columns import Line
from leadtui.tui.widgets.crm_status import CrmStatus
from leadtui.tui.widgets.sync_status import SyncStatus

ASKING = "asking"  # the workers waiting on the rep's answer in a picker

if TYPE_CHECKING:
    from textual.screen import Screen

    from leadtui.tui.widgets.queue_list import QueueList

    class Host(Screen[None]):
        """What the actions need of the screen they are mixed into."""

        desk: Desk
        asked: Asked

        @property
        def queue(self) -> QueueList: ...

        def reload(self, *, follow: list[int] | None = None, at: int | None = None) -> None:
            """Read the list again, the cursor on the first of `follow` still shown."""

else:
    Host = object


@dataclass(frozen=True)
class Asked:
    """What the list shows: a view narrowed by a filter, or the results of a search."""

    view: View
    only: Filter = Filter()
    search: str | None = None

    def alike(self) -> set[str]:
        """The queue's columns that would say the same on every row: the owner in
        "Mine", owner and stage among the unassigned, what a filter holds to one value
        (a search finds leads of any view: none)."""
        same = set()
        if self.search is None:
            if self.view is not View.ALL:
                same.add("owner")
            if self.view is View.UNASSIGNED or self.only.stage is not None:
                same.add("stage")
            if self.only.source is not None:
                same.add("source")
        return same


class QueueActions(Host):
    """Views, search and filter; claim, log, accept, qualify, nurture, disqualify,
    snooze, give and undo."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drafts: dict[tuple[int, str], str] = {}  # (lead id, action) -> a note not saved
        self.ticks: dict[int, dict[str, bool]] = {}  # lead id -> a checklist not saved
        self.reasons: dict[tuple[int, str], str] = {}  # (lead id, action) -> a reason not saved

    def _target(self) -> Line | None:
        line = self.queue.current
        if line is None:
            self.notify("No lead here", severity="warning")
        return line

    def _refused(self, line: Line, kind: EventKind) -> bool:
        """Say so, before a picker opens, when the lead cannot go through `kind`."""
        role = Role.LEAD if self.desk.leads_the_team else Role.REP
        why = lifecycle.refusal(line.row.stage, kind, role)
        if why is None and kind is EventKind.QUALIFIED:
            why = lifecycle.unheard(line.row.first_connect_at)
        if why is not None:
            self.notify(f"{line.row.name}: {why}", title="Not done", severity="error", timeout=8)
        return why is not None

    def _after(self, line: Line) -> list[int]:
        """Where the cursor goes once `line` is dealt with: the lead below it, else above."""
        lines = self.queue.lines
        index = self.queue.index_of(line.row.id) or 0
        below = [lines[index + 1].row.id] if index + 1 < len(lines) else []
        above = [lines[index - 1].row.id] if index > 0 else []
        return below + above

    def _draft(self, lead_id: int, action: str) -> str:
        return self.drafts.get((lead_id, action), "")

    def _keep_draft(self, lead_id: int, action: str, note: str) -> None:
        if note:
            self.drafts[(lead_id, action)] = note
        else:
            self.drafts.pop((lead_id, action), None)

    # -- what the list shows

    def action_view(self, view: str) -> None:
        chosen = View(view)
        if chosen is View.MINE and not self.desk.rep:
            self.notify("Start with --as REP to have a queue of your own", severity="warning")
            chosen = View.UNASSIGNED
        self.asked = Asked(chosen, self.asked.only)
        self.reload(at=0)

    @work(group=ASKING)
    async def action_search(self) -> None:
        from leadtui.tui.modals.search import SearchPrompt

        if text := await self.app.push_screen_wait(SearchPrompt(self.asked.search or "")):
            self.asked = Asked(self.asked.view, search=text)
            self.reload(at=0)

    @work(thread=True, exclusive=True, group="filter")
    def action_filter(self) -> None:
        """The sources to pick from are read first, off the UI thread."""
        try:
            sources = self.desk.read(lambda store: store.sources())
        except Refused as refused:
            self.post_message(ActionFailed(str(refused)))
            return
        if not get_current_worker().is_cancelled:  # a second press asked again
            self.post_message(SourcesRead(sources))

    @work(group=ASKING)
    async def on_sources_read(self, read: SourcesRead) -> None:
        from leadtui.tui.modals.narrow import FilterPicker

        picker = FilterPicker(self.asked.only, read.sources)
        if (only := await self.app.push_screen_wait(picker)) is not None:
            self.asked = Asked(self.asked.view, only)
            self.reload(at=0)

    def action_clear(self) -> None:
        if self.asked.search is not None or self.asked.only != Filter():
            self.asked = Asked(self.asked.view)
            self.reload(at=0)

    # -- the actions on the highlighted lead

    def action_next_lead(self) -> None:
        self.run_change(self.desk.next_lead, "claimed: next up", follow_self=True, mine=True)

    def action_claim(self) -> None:
        if (line := self._target()) is not None:
            row = line.row
            self.run_change(
                lambda: self.desk.claim(row.id, row.version),
                "claimed",
                follow=self._after(line),
                follow_self=True,
            )

    @work(group=ASKING)
    async def action_log(self, channel: str) -> None:
        from leadtui.tui.modals.outcome import OutcomePicker

        if (line := self._target()) is None:
            return
        lead_id = line.row.id
        picker = OutcomePicker(Channel(channel), line.row.name, self._draft(lead_id, "log"))
        attempt = await self.app.push_screen_wait(picker)
        self._keep_draft(lead_id, "log", picker.note if attempt is None else attempt.note)
        if attempt is None:
            return
        words = f"{attempt.channel.value}: {attempt.outcome.value.replace('_', ' ')}"
        self.run_change(
            lambda: self.desk.log(lead_id, attempt.channel, attempt.outcome, attempt.note),
            f"logged {words}",
            follow=self._after(line),
            draft=(lead_id, "log"),
        )

    def action_accept(self) -> None:
        if (line := self._target()) is not None:
            lead_id = line.row.id
            self.run_change(lambda: self.desk.accept(lead_id), "accepted (SAL)", follow=[lead_id])

    @work(group=ASKING)
    async def action_qualify(self) -> None:
        from leadtui.tui.modals.qualify import QualifyChecklist

        if (line := self._target()) is None or self._refused(line, EventKind.QUALIFIED):
            return
        lead_id = line.row.id
        ticked = self.ticks.get(lead_id)
        checklist = QualifyChecklist(line.row.name, self._draft(lead_id, "qualify"), ticked)
        confirmed = await self.app.push_screen_wait(checklist)
        # The ticks and the note are kept until the qualification lands, Esc or not.
        note = checklist.note if confirmed is None else confirmed.note
        self._keep_draft(lead_id, "qualify", note)
        self.ticks[lead_id] = checklist.checklist()
        if confirmed is None:
            return
        self.run_change(
            lambda: self.desk.qualify(lead_id, confirmed.checklist, confirmed.note),
            "qualified (SQL): handed to the account executive",
            follow=self._after(line),
            draft=(lead_id, "qualify"),
        )

    def action_nurture(self) -> None:
        reasons = self.desk.agreement.reasons.return_to_nurture
        self._dispose(
            "nurture", "Return to nurture: why?", reasons, self.desk.nurture, "returned to nurture"
        )

    def action_disqualify(self) -> None:
        reasons = self.desk.agreement.reasons.disqualify
        self._dispose(
            "disqualify", "Disqualify: why?", reasons, self.desk.disqualify, "disqualified"
        )

    @work(group=ASKING)
    async def _dispose(
        self,
        action: str,
        title: str,
        reasons: dict[str, str],
        change: Callable[[int, str, str], Lead],
        done: str,
    ) -> None:
        """Return to nurture or disqualify, with a reason from the agreement's list."""
        from leadtui.tui.modals.reason import ReasonPicker

        kind = EventKind.RETURNED_TO_NURTURE if action == "nurture" else EventKind.DISQUALIFIED
        if (line := self._target()) is None or self._refused(line, kind):
            return
        lead_id = line.row.id
        draft, reason = self._draft(lead_id, action), self.reasons.get((lead_id, action))
        picker = ReasonPicker(f"{title} · {line.row.name}", reasons, draft, reason)
        chosen = await self.app.push_screen_wait(picker)
        self._keep_draft(lead_id, action, picker.note if chosen is None else chosen.note)
        if picker.reason is not None:  # the reason picked is kept with the note
            self.reasons[(lead_id, action)] = picker.reason
        if chosen is None:
            return
        self.run_change(
            lambda: change(lead_id, chosen.reason, chosen.note),
            f"{done}: {reasons[chosen.reason].lower()}",
            follow=self._after(line),
            draft=(lead_id, action),
        )

    @work(group=ASKING)
    async def action_snooze(self) -> None:
        from leadtui.tui.modals.snooze import SnoozePicker

        if (line := self._target()) is None:
            return
        lead_id = line.row.id
        picker = SnoozePicker(line.row.name, self.desk.now(), self.desk.calendar)
        if (until := await self.app.push_screen_wait(picker)) is None:
            return
        local = until.astimezone(self.desk.calendar.zone)
        self.run_change(
            lambda: self.desk.snooze(lead_id, until),
            f"snoozed until {local:%a %H:%M}",
            follow=self._after(line),
        )

    def action_give(self) -> None:
        if (line := self._target()) is not None:
            self.read_loads(line)

    @work(thread=True, exclusive=True, group="give")
    def read_loads(self, line: Line) -> None:
        """The reps' loads, for the picker that gives `line`'s lead to one of them."""
        try:
            loads = self.desk.read(lambda store: store.load())
        except Refused as refused:
            self.post_message(ActionFailed(str(refused)))
            return
        if not get_current_worker().is_cancelled:  # a second press asked again
            self.post_message(LoadsRead(line, loads))

    @work(group=ASKING)
    async def on_loads_read(self, read: LoadsRead) -> None:
        from leadtui.tui.modals.give import GivePicker

        row = read.line.row
        picker = GivePicker(row.name, row.owner, read.loads)
        if (to := await self.app.push_screen_wait(picker)) is None:
            return
        self.run_change(
            lambda: self.desk.give(row.id, to),
            f"given to {self.desk.name_of(to)}",
            follow=[row.id],
        )

    def action_give_refused(self) -> None:
        self.notify(
            "g gives the highlighted lead to another rep: a team lead's key",
            title="For team leads",
            severity="warning",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Giving a lead to a rep is a team lead's key; others do not see it, and are
        told what it does when they press it."""
        if action in ("give", "give_refused"):
            return (action == "give") == self.desk.leads_the_team
        return True

    def action_undo(self) -> None:
        told: list[str] = []

        def undo() -> Lead:
            undone = self.desk.undo()
            told.append(undone.said)
            return undone.lead

        self.run_change(undo, lambda _: told[0], follow_self=True)

    # -- running a change

    @work(thread=True, group="change")
    def run_change(
        self,
        change: Callable[[], Lead],
        said: str | Callable[[Lead], str],
        *,
        follow: list[int] | None = None,
        follow_self: bool = False,
        draft: tuple[int, str] | None = None,
        mine: bool = False,
    ) -> None:
        try:
            lead = change()
            said = said if isinstance(said, str) else said(lead)
        except Refused as refused:
            self.post_message(ActionFailed(str(refused)))
            return
        where = ([lead.id] if follow_self and lead.id is not None else []) + (follow or [])
        self.post_message(ActionDone(lead, f"{lead.name}: {said}", where, mine, draft))

    def on_action_done(self, done: ActionDone) -> None:
        if done.draft is not None:
            self.drafts.pop(done.draft, None)
            self.reasons.pop(done.draft, None)
            if done.draft[1] == "qualify":
                self.ticks.pop(done.draft[0], None)
        self.notify(done.said, timeout=4)
        if done.mine and self.desk.rep:
            self.asked = Asked(View.MINE)
        self.reload(follow=done.follow)
        self.query_one(SyncStatus).sync_soon()  # the team hears of it shortly
        self.query_one(CrmStatus).round_soon()  # and the CRM

    def on_action_failed(self, failed: ActionFailed) -> None:
        self.notify(failed.said, title="Not done", severity="error", timeout=8)
