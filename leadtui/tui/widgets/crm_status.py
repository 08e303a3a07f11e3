"""The team's CRM, as the rep sees it: a round every `[crm] every_minutes` and shortly after
each change, in a worker, and one line that says how it stands ("HubSpot: pulled 3 ·
2 waiting · synced 1 min ago", "HubSpot: token refused", "HubSpot: paused until
Wed 18:00 (API limit)"). A push the CRM refused is a notification in words; it
stays in the file. Hidden when no CRM is set, or when the file syncs with a team server
(the team's file runs the rounds there).

A key never waits on the CRM: the round runs in a thread and holds the store's lock
only while it reads or writes the file. One round runs at a time; a change made during
one is pushed by another right after it."""

from __future__ import annotations

import time
from datetime import datetime

from textual.widgets import Static
from textual.worker import get_current_worker

from leadtui.tui.desk import FAILURES, Desk
from leadtui.tui.messages import CrmDone

# A file or an answer leadtui cannot use stops the round, said in words, never the app.
STOPPING: tuple[type[Exception], ...] = (*FAILURES, ValueError)
STOPPED = "stopped"
ROOMY = 100  # columns from which the line also says how many leads the round pulled
SOON = 2.0  # seconds after a change: its push (changes in a row share it)
TITLES = {"hubspot": "HubSpot", "salesforce": "Salesforce"}


def title_of(system: str) -> str:
    return TITLES.get(system, system.title())


class CrmStatus(Static):
    def __init__(self, desk: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.title = title_of(desk.crm.system) if desk.crm else ""
        self.last: CrmDone | None = None
        self.synced_at: float | None = None
        self.running = False
        self.owed: bool | None = None  # a round asked for while one ran: pull too?
        self.waiting_round = False
        self.said: str | None = None  # the problem last notified, so it is said once

    def on_mount(self) -> None:
        link = self.desk.crm
        self.display = link is not None
        if link is None:
            return
        self.update(f"{self.title}: starting")
        self.set_interval(link.every_seconds, self.round)
        self.set_interval(5, self.show)
        self.round()

    def round_soon(self) -> None:
        """After a change: push it shortly, with any others made meanwhile."""
        if self.desk.crm is not None and not self.waiting_round:
            self.waiting_round = True
            self.set_timer(SOON, lambda: self.round(pull=False))

    def round(self, pull: bool = True) -> None:
        if pull is False:
            self.waiting_round = False
        if self.running:
            self.owed = bool(self.owed) or pull
            return
        self.running = True
        self.run_worker(lambda: self._round(pull), thread=True, group="crm")

    def _round(self, pull: bool) -> None:
        from leadtui.crm import CrmDown, CrmError, CrmPaused, DailyLimit, Unauthorized

        try:
            done = CrmDone(self.desk.crm_round(pull=pull))
        except (DailyLimit, CrmPaused) as error:
            done = CrmDone(None, str(error), self._paused(error.until))
        except Unauthorized as error:
            done = CrmDone(None, str(error), "token refused")
        except CrmDown as error:
            done = CrmDone(None, str(error), "not reached")
        except CrmError as error:
            done = CrmDone(None, str(error), STOPPED)
        except STOPPING as error:
            done = CrmDone(None, str(error), STOPPED)
        if not get_current_worker().is_cancelled:
            self.post_message(done)

    def _paused(self, until: datetime | None) -> str:
        """'paused until Wed 18:00 (API limit)', in the team's time."""
        if until is None:
            return "paused (API limit)"
        now, zone = self.desk.now(), self.desk.calendar.zone
        when = until.astimezone(zone)
        day = "" if when.date() == now.astimezone(zone).date() else f"{when:%a} "
        return f"paused until {day}{when:%H:%M} (API limit)"

    def on_crm_done(self, done: CrmDone) -> None:
        self.running = False
        self.last = done
        if done.done is not None:
            self.synced_at = time.monotonic()
            for refusal in done.done.refused:
                self.notify(
                    f"{self.title} did not take {refusal.what} on lead {refusal.lead_id} "
                    f"({refusal.lead_name}): {refusal.reason}. It stays in your file.",
                    title=f"{self.title} refused",
                    severity="warning",
                    timeout=12,
                )
        # A problem is said once: by its standing ("token refused" for as long as it
        # lasts, whatever the CRM's words), or by its words when the round just stopped.
        problem = None if done.done else done.problem if done.standing == STOPPED else done.standing
        if problem is not None and problem != self.said:
            self.notify(done.problem or "", title=self.title, severity="warning", timeout=10)
        self.said = problem
        self.show()
        if self.owed is not None:
            pull, self.owed = self.owed, None
            self.round(pull=pull)

    def show(self) -> None:
        done = self.last
        if done is None:
            return
        if done.done is None:
            standing = done.standing
            if self.app.size.width < ROOMY:  # the why ("daily API limit") was notified
                standing = standing.split(" (")[0]
            self.update(f"[$warning]{self.title}: {standing}[/]")
            return
        parts = []
        # At 80 columns the queue's counts need the line: the new leads are told by
        # their own notifications.
        if done.done.imported and self.app.size.width >= ROOMY:
            parts.append(f"pulled {done.done.imported}")
        if done.done.waiting:
            parts.append(f"{done.done.waiting} waiting")
        if done.done.refused:
            parts.append(f"[$warning]{len(done.done.refused)} refused[/]")
        parts.append(_ago(time.monotonic() - (self.synced_at or time.monotonic())))
        self.update(f"{self.title}: " + " · ".join(parts))


def _ago(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "synced just now"
    if minutes < 60:
        return f"synced {minutes} min ago"
    return f"synced {minutes // 60} h ago"
