"""The rep's desk: who is acting, under which agreement, by which clock, and every change
a rep makes to a lead (claim, log, accept, qualify, nurture, disqualify, snooze, give,
undo, next). The app and `leadtui lead ...` both act through it, so they agree."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from leadtui.core import lifecycle, rationale, sla, timeline
from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.clock import Clock
from leadtui.core.lifecycle import TransitionRefused
from leadtui.core.models import AttemptOutcome, Channel, EventKind, Lead, Role, Stage
from leadtui.desk.detail import Detail, Undone
from leadtui.desk.errors import NoRep, NothingWaiting, TakenFirst, UnknownRep
from leadtui.store import Cursor, Filter, NothingToUndo, Page, Store, VersionConflict, View

if TYPE_CHECKING:  # httpx is imported on the first sync, not at start
    from leadtui.crm import Connector
    from leadtui.crm.rounds import CrmRound
    from leadtui.sync import Synced, TeamServer

# How many unassigned leads `next_lead` tries, when others keep taking the top one.
NEXT_TRIES = 20


class Desk:
    """A rep at work on one file. Opening it looks the rep up and puts the store under
    the agreement and the rep's role, once, for everything done here."""

    def __init__(self, store: Store, agreement: Agreement, clock: Clock, rep: str | None) -> None:
        self.store = store
        self.agreement = agreement
        self.clock = clock
        self.rep = rep
        self.calendar = BusinessCalendar(agreement.sla)
        self.opened_at = clock.now()  # this sitting began: undo reaches back no further
        reps = store.reps()
        self.names = {known.id: known.name for known in reps}
        self.roles = {known.id: known.role for known in reps}
        if rep is not None and rep not in self.roles:
            raise UnknownRep(f"there is no rep {rep!r} in {store.path}")
        store.use(agreement, self.roles.get(rep or "", Role.REP))

    # -- who, and when

    def now(self) -> datetime:
        return self.clock.now()

    def soon(self, now: datetime | None = None) -> datetime:
        """Leads due by then are urgent: breached and due-soon come first."""
        margin = timedelta(minutes=self.agreement.sla.due_soon_minutes)
        return self.calendar.add(now or self.now(), margin)

    def stale_before(self, now: datetime | None = None) -> datetime:
        """A pool lead whose first touch fell due before then is late by more than a
        business day: it still shows, but after every lead that can be reached in time
        (speed to lead decides whether a lead is ever reached)."""
        return self.calendar.before(now or self.now(), self.calendar.day_length())

    def day_ends(self, now: datetime | None = None) -> datetime:
        """When the working day ahead closes: a step due by then is today's work."""
        return self.calendar.closes_after(now or self.now())

    @property
    def leads_the_team(self) -> bool:
        """A team lead may give leads to reps (and review the team)."""
        return self.roles.get(self.rep or "") is Role.LEAD

    def name_of(self, rep: str | None) -> str:
        return self.names.get(rep or "", rep or "nobody")

    # -- reading a lead

    def detail(self, lead_id: int) -> Detail:
        """Everything the detail shows of a lead, in one read."""
        store = self.store
        return Detail(
            store.lead(lead_id),
            store.factors(lead_id),
            store.events(lead_id),
            store.activities(lead_id),
        )

    def clock_of(self, lead: sla.Clocked, now: datetime | None = None) -> sla.SlaReading:
        """How the lead's SLA clock reads now (or at `now`)."""
        return sla.read(lead, self.agreement.sla, self.calendar, now or self.now())

    # -- changes: each returns the lead as it now stands

    def queue(
        self,
        view: View,
        *,
        after: Cursor | None = None,
        limit: int = 50,
        only: Filter | None = None,
    ) -> Page:
        """A page of the rep's view, in the app's order: what to do now. Breached and due
        soon first, then what is due later today by score, then the rest by score (a
        snoozed lead among them until it wakes)."""
        now = self.now()
        return self.store.queue_page(
            view,
            rep=self.rep,
            after=after,
            limit=limit,
            soon=self.soon(now),
            now=now,
            today=self.day_ends(now),
            stale=self.stale_before(now) if view is View.UNASSIGNED else None,
            only=only or Filter(),
        )

    def next_lead(self) -> Lead:
        """Claim the top unassigned lead (a snoozed one waits its turn); when someone
        beats us to it, the next."""
        rep = self._acting()
        now = self.now()
        page = self.queue(View.UNASSIGNED, limit=NEXT_TRIES)
        for row in page.leads:
            try:
                return self.store.claim(row.id, rep, at=now, expected_version=row.version)
            except VersionConflict:
                continue  # someone else took it a moment ago: the next one
        raise NothingWaiting(f"no unassigned lead is waiting for {self.name_of(rep)}")

    def claim(self, lead_id: int, version: int | None = None) -> Lead:
        """Make the lead the rep's. `version` is the one the rep saw (refused as taken
        first when the lead moved on since); without it, the lead as it stands."""

        def change(rep: str, at: datetime) -> Lead:
            seen = self.store.lead(lead_id).version if version is None else version
            return self.store.claim(lead_id, rep, at=at, expected_version=seen)

        return self._change(change)

    def log(self, lead_id: int, channel: Channel, outcome: AttemptOutcome, note: str = "") -> Lead:
        """Log an attempt; an unclaimed MQL (or one given to the rep, as a CRM's owner
        gives it) is claimed first, in the same transaction (calling it makes it yours)."""

        def change(rep: str, at: datetime) -> Lead:
            with self.store.transaction():
                lead = self.store.lead(lead_id)
                if lead.stage is Stage.MQL and lead.owner in (None, rep):
                    self.store.claim(lead_id, rep, at=at, expected_version=lead.version)
                return self.store.log_attempt(
                    lead_id, rep, at=at, channel=channel, outcome=outcome, note=note
                )

        return self._change(change)

    def accept(self, lead_id: int, note: str = "") -> Lead:
        return self._change(lambda rep, at: self.store.accept(lead_id, rep, at=at, note=note))

    def qualify(self, lead_id: int, checklist: dict[str, bool], note: str = "") -> Lead:
        lead = self.store.lead(lead_id)
        why = lifecycle.refusal(
            lead.stage, EventKind.QUALIFIED, self.roles.get(self.rep or "", Role.REP)
        )
        if (why := why or lifecycle.unheard(lead.first_connect_at)) is not None:
            raise TransitionRefused(why)
        return self._change(
            lambda rep, at: self.store.qualify(lead_id, rep, at=at, checklist=checklist, note=note)
        )

    def nurture(self, lead_id: int, reason: str, note: str = "") -> Lead:
        return self._change(
            lambda rep, at: self.store.return_to_nurture(
                lead_id, rep, at=at, reason=reason, note=note
            )
        )

    def disqualify(self, lead_id: int, reason: str, note: str = "") -> Lead:
        return self._change(
            lambda rep, at: self.store.disqualify(lead_id, rep, at=at, reason=reason, note=note)
        )

    def snooze(self, lead_id: int, until: datetime) -> Lead:
        return self._change(lambda rep, at: self.store.snooze(lead_id, rep, at=at, until=until))

    def give(self, lead_id: int, to: str) -> Lead:
        """A team lead gives the lead to `to`."""
        if to not in self.names:
            raise UnknownRep(f"there is no rep {to!r}")
        return self._change(lambda rep, at: self.store.reassign(lead_id, rep, at=at, to=to))

    def undo(self, since: datetime | None = None) -> Undone:
        """Take back the rep's last action (kept in the log as taken back), when it was
        made since this desk opened (this sitting of the app), or since `since`."""
        after = since or self.opened_at
        try:
            lead = self._change(lambda rep, at: self.store.undo_last(rep, at=at, since=after))
        except NothingToUndo:
            raise NothingToUndo(self._nothing_since(after)) from None
        events = self.store.events(lead.id or 0)
        undone = next(e for e in reversed(events) if e.kind is EventKind.UNDONE)
        taken = next(e for e in events if e.id == undone.payload.get("event"))
        return Undone(lead, taken, self.now(), timeline.reason_words(self.agreement))

    def _nothing_since(self, since: datetime) -> str:
        if since == self.opened_at:
            return "nothing of yours to undo since you opened leadtui"
        return f"nothing of yours to undo from the last {sla.duration(self.now() - since)}"

    def sync_round(
        self, server: TeamServer, hold: AbstractContextManager[object] | None = None
    ) -> Synced:
        """Push what was logged, pull what the team did; `hold` is taken around each use
        of the store, never while waiting for the network. Raises SyncError."""
        from leadtui.sync import sync_once

        return sync_once(self.store, server, self.now(), hold=hold)

    def crm_round(
        self,
        connector: Connector,
        hold: AbstractContextManager[object] | None = None,
        *,
        push: bool = True,
        pull: bool = True,
        retry_refused: bool = False,
    ) -> CrmRound:
        """Push what was logged on the CRM's leads, pull what it handed to sales since
        the last round (first owing again what it refused, with `retry_refused`); `hold`
        as for sync_round. Raises CrmError."""
        from leadtui.crm.rounds import CrmRounds

        rounds = CrmRounds(self.store, connector, self.agreement, hold)
        return rounds.round(self.now(), push=push, pull=pull, retry_refused=retry_refused)

    def _acting(self) -> str:
        if self.rep is None:
            raise NoRep("say who you are: leadtui --as REP ...")
        return self.rep

    def _change(self, change: Callable[[str, datetime], Lead]) -> Lead:
        rep = self._acting()
        try:
            return change(rep, self.now())
        except VersionConflict as conflict:
            raise TakenFirst(self._taken_first(conflict)) from None

    def _taken_first(self, conflict: VersionConflict) -> str:
        """'Ines Martin was claimed by Marcus Lee 3 min ago', or that it changed."""
        lead = self.store.lead(conflict.lead_id)
        if lead.owner and lead.owner != self.rep and lead.claimed_at is not None:
            when = rationale.since(lead.claimed_at, self.now())
            return f"{lead.name} was claimed by {self.name_of(lead.owner)} {when}"
        return f"{lead.name} changed a moment ago; look again and retry"
