"""The rep's desk as the app holds it: the shared desk (leadtui.desk) under one lock,
with failures turned into one sentence for a notification.

Workers run these off the UI thread; the lock keeps two of them (a page load and an
action, say) from interleaving on the store's one connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from leadtui import desk
from leadtui.core.agreement import Agreement
from leadtui.core.clock import Clock
from leadtui.core.lifecycle import TransitionRefused
from leadtui.core.models import AttemptOutcome, Channel, Lead
from leadtui.store import Store, StoreError

if TYPE_CHECKING:  # httpx is imported on the first sync, not at start
    from leadtui.crm import Connector
    from leadtui.crm.rounds import CrmRound
    from leadtui.sync import Synced, TeamServer

T = TypeVar("T")

FAILURES: tuple[type[Exception], ...] = (desk.DeskError, StoreError, TransitionRefused, OSError)


class Refused(Exception):
    """An action that did not happen, in one sentence for the rep."""


@dataclass(frozen=True)
class CrmLink:
    """The team's CRM, as the app runs its rounds: the CRM's word ("hubspot"), how to
    open a connector (its credential read afresh each round), and how often."""

    system: str
    open: Callable[[], Connector]
    every_seconds: float


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
    # The CRM the app runs rounds with, when this file is the one that talks to it (a
    # file that syncs with a team server leaves the CRM to the team's file).
    crm: CrmLink | None = None

    def __post_init__(self) -> None:
        with self.lock:
            # The desk the command line uses too: every change goes through it.
            self.shared = desk.Desk(self.store, self.agreement, self.clock, self.rep)
        self.calendar = self.shared.calendar
        self.names = self.shared.names

    def now(self) -> datetime:
        return self.shared.now()

    def soon(self, now: datetime | None = None) -> datetime:
        """Leads due by then are urgent: breached and due-soon come first."""
        return self.shared.soon(now)

    def stale_before(self, now: datetime | None = None) -> datetime:
        """Pool leads late since before then come after the ones still in time."""
        return self.shared.stale_before(now)

    def day_ends(self, now: datetime | None = None) -> datetime:
        """A step due by then is today's work: it comes before tomorrow's."""
        return self.shared.day_ends(now)

    @property
    def sees_the_team(self) -> bool:
        """Team leads review the team; in the demo, anyone may look."""
        return self.demo or self.shared.leads_the_team

    @property
    def leads_the_team(self) -> bool:
        """A team lead may give leads to reps."""
        return self.shared.leads_the_team

    def name_of(self, rep: str | None) -> str:
        return self.shared.name_of(rep)

    def read(self, reading: Callable[[Store], T]) -> T:
        """Run a read under the lock, failures as Refused."""
        return self._held(lambda: reading(self.store))

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

    def sync_round(self) -> Synced:
        """Push what was logged, pull what the team did; the store's lock is held
        only while the store is used. Raises SyncError."""
        assert self.team is not None
        with self.team() as server:
            return self.shared.sync_round(server, hold=self.lock)

    def crm_round(self, *, pull: bool = True) -> CrmRound:
        """Push what was logged on the CRM's leads (and pull what it handed to sales);
        the store's lock is held only while the store is used. Raises CrmError."""
        assert self.crm is not None
        remote = self.crm.open()
        try:
            return self.shared.crm_round(remote, hold=self.lock, pull=pull)
        finally:
            remote.close()

    def detail(self, lead_id: int) -> desk.Detail:
        """Everything the detail shows of a lead, in one read."""
        return self._held(lambda: self.shared.detail(lead_id))

    # -- changes: each returns the lead as it now stands, or raises Refused

    def claim(self, lead_id: int, version: int) -> Lead:
        return self._held(lambda: self.shared.claim(lead_id, version))

    def next_lead(self) -> Lead:
        """Claim the top unassigned lead; when someone beats us to one, the next."""
        return self._held(self.shared.next_lead)

    def log(self, lead_id: int, channel: Channel, outcome: AttemptOutcome, note: str = "") -> Lead:
        """Log an attempt; an unclaimed MQL is claimed first (calling it makes it yours)."""
        return self._held(lambda: self.shared.log(lead_id, channel, outcome, note))

    def accept(self, lead_id: int, note: str = "") -> Lead:
        return self._held(lambda: self.shared.accept(lead_id, note))

    def qualify(self, lead_id: int, checklist: dict[str, bool], note: str = "") -> Lead:
        return self._held(lambda: self.shared.qualify(lead_id, checklist, note))

    def nurture(self, lead_id: int, reason: str, note: str = "") -> Lead:
        return self._held(lambda: self.shared.nurture(lead_id, reason, note))

    def disqualify(self, lead_id: int, reason: str, note: str = "") -> Lead:
        return self._held(lambda: self.shared.disqualify(lead_id, reason, note))

    def snooze(self, lead_id: int, until: datetime) -> Lead:
        return self._held(lambda: self.shared.snooze(lead_id, until))

    def give(self, lead_id: int, to: str) -> Lead:
        """A team lead gives the lead to `to`."""
        return self._held(lambda: self.shared.give(lead_id, to))

    def undo(self) -> desk.Undone:
        """Take back the rep's last change of this sitting, and say which it was."""
        return self._held(self.shared.undo)

    def _held(self, work: Callable[[], T]) -> T:
        try:
            with self.lock:
                return work()
        except FAILURES as error:
            raise Refused(str(error)) from None
