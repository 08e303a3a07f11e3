"""The queue screen's actions: each reads the highlighted lead, asks what it needs in
a picker, runs the change in a worker, says what happened, and moves the cursor on.

A note typed into a picker is kept as a draft until its change goes through, so a
conflict or a store error never loses what the rep wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.screen import Screen

from leadtui.core.lifecycle import WORDS
from leadtui.core.models import Channel, EventKind, Lead
from leadtui.store import Filter, View
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import ActionDone, ActionFailed
from leadtui.tui.widgets.columns import Line
from leadtui.tui.widgets.queue_list import QueueList
from leadtui.tui.widgets.sync_status import SyncStatus

if TYPE_CHECKING:
    from leadtui.tui.modals.outcome import Attempt
    from leadtui.tui.modals.qualify import Confirmed
    from leadtui.tui.modals.reason import Reasoned


@dataclass(frozen=True)
class Asked:
    """What the list shows: a view narrowed by a filter, or the results of a search."""

    view: View
    only: Filter = Filter()
    search: str | None = None


class QueueActions(Screen[None]):
    """The actions half of the queue screen; QueueScreen is the other half."""

    desk: Desk
    asked: Asked
    drafts: dict[tuple[int, str], str]  # (lead id, action) -> a note not yet saved

    @property
    def queue(self) -> QueueList:
        return self.query_one(QueueList)

    def reload(self, *, follow: list[int] | None = None, at: int | None = None) -> None:
        raise NotImplementedError  # the queue screen reads the list again

    def _target(self) -> Line | None:
        line = self.queue.current
        if line is None:
            self.notify("No lead here", severity="warning")
        return line

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

    # -- the actions

    def action_next_lead(self) -> None:
        self.run_change(self.desk.next_lead, "claimed: next up", follow_self=True, mine=True)

    def action_claim(self) -> None:
        if (line := self._target()) is not None:
            row = line.row
            self.run_change(
                lambda: self.desk.claim(row.id, row.version), "claimed",
                follow=self._after(line), follow_self=True,
            )  # fmt: skip

    def action_log(self, channel: str) -> None:
        if (line := self._target()) is None:
            return
        chosen = Channel(channel)
        lead_id = line.row.id

        def logged(attempt: Attempt | None) -> None:
            if attempt is None:
                return
            self._keep_draft(lead_id, "log", attempt.note)
            words = f"{attempt.channel.value}: {attempt.outcome.value.replace('_', ' ')}"
            self.run_change(
                lambda: self.desk.log(lead_id, attempt.channel, attempt.outcome, attempt.note),
                f"logged {words}", follow=self._after(line), draft=(lead_id, "log"),
            )  # fmt: skip

        from leadtui.tui.modals.outcome import OutcomePicker

        picker = OutcomePicker(chosen, line.row.name, self._draft(lead_id, "log"))
        self.app.push_screen(picker, logged)

    def action_accept(self) -> None:
        if (line := self._target()) is not None:
            lead_id = line.row.id
            self.run_change(lambda: self.desk.accept(lead_id), "accepted (SAL)", follow=[lead_id])

    def action_qualify(self) -> None:
        if (line := self._target()) is None:
            return
        lead_id = line.row.id

        def confirmed(result: Confirmed | None) -> None:
            if result is None:
                return
            self._keep_draft(lead_id, "qualify", result.note)
            self.run_change(
                lambda: self.desk.qualify(lead_id, result.checklist, result.note),
                "qualified (SQL): handed to the account executive",
                follow=self._after(line), draft=(lead_id, "qualify"),
            )  # fmt: skip

        from leadtui.tui.modals.qualify import QualifyChecklist

        self.app.push_screen(
            QualifyChecklist(line.row.name, self._draft(lead_id, "qualify")), confirmed
        )

    def action_nurture(self) -> None:
        reasons = self.desk.agreement.reasons.return_to_nurture
        self._dispose("nurture", "Return to nurture: why?", reasons, self.desk.nurture,
                      "returned to nurture")  # fmt: skip

    def action_disqualify(self) -> None:
        reasons = self.desk.agreement.reasons.disqualify
        self._dispose("disqualify", "Disqualify: why?", reasons, self.desk.disqualify,
                      "disqualified")  # fmt: skip

    def _dispose(
        self,
        action: str,
        title: str,
        reasons: dict[str, str],
        change: Callable[[int, str, str], Lead],
        done: str,
    ) -> None:
        if (line := self._target()) is None:
            return
        lead_id = line.row.id

        def chosen(result: Reasoned | None) -> None:
            if result is None:
                return
            self._keep_draft(lead_id, action, result.note)
            self.run_change(
                lambda: change(lead_id, result.reason, result.note),
                f"{done}: {reasons[result.reason].lower()}",
                follow=self._after(line), draft=(lead_id, action),
            )  # fmt: skip

        from leadtui.tui.modals.reason import ReasonPicker

        picker = ReasonPicker(f"{title} · {line.row.name}", reasons, self._draft(lead_id, action))
        self.app.push_screen(picker, chosen)

    def action_snooze(self) -> None:
        if (line := self._target()) is None:
            return
        lead_id = line.row.id

        def chosen(until: Any) -> None:
            if until is None:
                return
            local = until.astimezone(self.desk.calendar.zone)
            self.run_change(
                lambda: self.desk.snooze(lead_id, until), f"snoozed until {local:%a %H:%M}",
                follow=self._after(line),
            )  # fmt: skip

        from leadtui.tui.modals.snooze import SnoozePicker

        picker = SnoozePicker(line.row.name, self.desk.now(), self.desk.calendar)
        self.app.push_screen(picker, chosen)

    def action_give(self) -> None:
        if (line := self._target()) is None:
            return
        row = line.row

        def chosen(to: str | None) -> None:
            if to is not None:
                self.run_change(
                    lambda: self.desk.give(row.id, to), f"given to {self.desk.name_of(to)}",
                    follow=[row.id],
                )  # fmt: skip

        from leadtui.tui.modals.give import GivePicker

        loads = self.desk.read(lambda store: store.load())
        self.app.push_screen(GivePicker(row.name, row.owner, loads), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Giving a lead to a rep is a team lead's key; others do not see it."""
        return action != "give" or self.desk.leads_the_team

    def action_undo(self) -> None:
        def said(lead: Lead) -> str:
            taken = self.desk.read(lambda store: store.events(lead.id or 0)[-1].payload)
            kind = str(taken.get("kind", ""))
            words = WORDS.get(EventKind(kind), kind) if kind in set(EventKind) else kind
            return f"took back your last change ({words})"

        self.run_change(self.desk.undo, said, follow_self=True)

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
        if draft is not None:
            self.drafts.pop(draft, None)
        where = ([lead.id] if follow_self and lead.id is not None else []) + (follow or [])
        self.post_message(ActionDone(lead, f"{lead.name}: {said}", where, mine))

    @on(ActionDone)
    def changed(self, done: ActionDone) -> None:
        self.notify(done.said, timeout=4)
        if done.mine and self.desk.rep:
            self.asked = Asked(View.MINE)
        self.reload(follow=done.follow)
        self.query_one(SyncStatus).sync_soon()  # the team hears of it shortly

    @on(ActionFailed)
    def failed(self, failed: ActionFailed) -> None:
        self.notify(failed.said, title="Not done", severity="error", timeout=8)
