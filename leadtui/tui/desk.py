"""The rep's desk: every change the app makes to a lead, through the store, one at a
time, with failures turned into one sentence for a notification.

Workers run these off the UI thread; the lock keeps two of them (a page load and an
action, say) from interleaving on the store's one connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from leadtui.core import rationale
from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.clock import Clock
from leadtui.core.lifecycle import TransitionRefused
from leadtui.core.models import AttemptOutcome, Channel, Lead, Role, Stage
from leadtui.store import Store, StoreError, VersionConflict, View
from leadtui.tui.messages import DetailLoaded

if TYPE_CHECKING:  # httpx is imported on the first sync, not at start
    from leadtui.sync import Synced, TeamServer

T = TypeVar("T")

FAILURES: tuple[type[Exception], ...] = (StoreError, TransitionRefused, OSError)


class Refused(Exception):
    """An action that did not happen, in one sentence for the rep."""


@dataclass
class Desk:
    """Who is working, on what, by which clock; and the one lock on the store."""

    store: Store
    agreement: Agreement
    clock: Clock
    rep: str | None
    demo: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Opens a connection to the team server, when one is set (never in the demo).
    team: Callable[[], TeamServer] | None = None

    def __post_init__(self) -> None:
        self.calendar = BusinessCalendar(self.agreement.sla)
        with self.lock:
            reps = self.store.reps()
        self.names = {known.id: known.name for known in reps}
        self.roles = {known.id: known.role for known in reps}

    def now(self) -> datetime:
        return self.clock.now()

    def soon(self) -> datetime:
        """Leads due by then are urgent: breached and due-soon come first."""
        margin = timedelta(minutes=self.agreement.sla.due_soon_minutes)
        return self.calendar.add(self.now(), margin)

    @property
    def sees_the_team(self) -> bool:
        """Team leads review the team; in the demo, anyone may look."""
        return self.demo or self.roles.get(self.rep or "") is Role.LEAD

    @property
    def leads_the_team(self) -> bool:
        """A team lead may give leads to reps."""
        return self.roles.get(self.rep or "") is Role.LEAD

    def name_of(self, rep: str | None) -> str:
        return self.names.get(rep or "", rep or "nobody")

    def read(self, reading: Callable[[Store], T]) -> T:
        """Run a read under the lock, failures as Refused."""
        try:
            with self.lock:
                return reading(self.store)
        except FAILURES as error:
            raise Refused(str(error)) from None

    def sync_round(self) -> Synced:
        """Push what was logged, pull what the team did; the store's lock is held
        only while the store is used. Raises SyncError."""
        from leadtui.sync import sync_once

        assert self.team is not None
        with self.team() as server:
            return sync_once(self.store, server, self.now(), hold=self.lock)

    def peek(self, reading: Callable[[Store], T]) -> T | None:
        """A read for the UI thread's timers: None at once when a worker holds the
        store (a change, a team review being worked out) rather than waiting."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            return reading(self.store)
        except FAILURES as error:
            raise Refused(str(error)) from None
        finally:
            self.lock.release()

    def detail(self, lead_id: int) -> DetailLoaded:
        """Everything the detail shows of a lead, in one read."""
        return self.read(
            lambda store: DetailLoaded(
                store.lead(lead_id),
                store.factors(lead_id),
                store.events(lead_id),
                store.activities(lead_id),
            )
        )

    # -- changes: each returns the lead as it now stands, or raises Refused

    def _as_rep(self) -> str:
        if self.rep is None:
            raise Refused("pick a rep first: start with leadtui --as REP")
        return self.rep

    def _change(self, change: Callable[[Store, str, datetime], Lead]) -> Lead:
        rep = self._as_rep()
        try:
            with self.lock:
                return change(self.store, rep, self.now())
        except VersionConflict as conflict:
            raise Refused(self._conflict(conflict)) from None
        except FAILURES as error:
            raise Refused(str(error)) from None

    def _conflict(self, conflict: VersionConflict) -> str:
        with self.lock:
            lead = self.store.lead(conflict.lead_id)
        if lead.owner and lead.owner != self.rep and lead.claimed_at is not None:
            when = rationale.since(lead.claimed_at, self.now())
            return f"{lead.name} was claimed by {self.name_of(lead.owner)} {when}"
        return f"{lead.name} changed a moment ago; look again and retry"

    def claim(self, lead_id: int, version: int) -> Lead:
        return self._change(
            lambda s, rep, at: s.claim(lead_id, rep, at=at, expected_version=version)
        )

    def next_lead(self) -> Lead:
        """Claim the top unassigned lead; when someone beats us to one, the next."""
        rep = self._as_rep()
        for row in self.read(
            lambda s: (
                s.queue_page(View.UNASSIGNED, limit=20, soon=self.soon(), now=self.now()).leads
            )
        ):
            try:
                return self.claim(row.id, row.version)
            except Refused:
                continue
        raise Refused(f"no unassigned lead is waiting for {self.name_of(rep)}")

    def log(self, lead_id: int, channel: Channel, outcome: AttemptOutcome, note: str = "") -> Lead:
        """Log an attempt; an unclaimed MQL is claimed first (calling it makes it yours)."""

        def change(s: Store, rep: str, at: datetime) -> Lead:
            lead = s.lead(lead_id)
            if lead.stage is Stage.MQL and lead.owner is None:
                s.claim(lead_id, rep, at=at, expected_version=lead.version)
            return s.log_attempt(lead_id, rep, at=at, channel=channel, outcome=outcome, note=note)

        return self._change(change)

    def accept(self, lead_id: int, note: str = "") -> Lead:
        return self._change(lambda s, rep, at: s.accept(lead_id, rep, at=at, note=note))

    def qualify(self, lead_id: int, checklist: dict[str, bool], note: str = "") -> Lead:
        return self._change(
            lambda s, rep, at: s.qualify(lead_id, rep, at=at, checklist=checklist, note=note),
        )

    def nurture(self, lead_id: int, reason: str, note: str = "") -> Lead:
        return self._change(
            lambda s, rep, at: s.return_to_nurture(lead_id, rep, at=at, reason=reason, note=note),
        )

    def disqualify(self, lead_id: int, reason: str, note: str = "") -> Lead:
        return self._change(
            lambda s, rep, at: s.disqualify(lead_id, rep, at=at, reason=reason, note=note)
        )

    def snooze(self, lead_id: int, until: datetime) -> Lead:
        return self._change(lambda s, rep, at: s.snooze(lead_id, rep, at=at, until=until))

    def give(self, lead_id: int, to: str) -> Lead:
        """A team lead gives the lead to `to`."""
        return self._change(lambda s, rep, at: s.reassign(lead_id, rep, at=at, to=to))

    def undo(self) -> Lead:
        return self._change(lambda s, rep, at: s.undo_last(rep, at=at))
