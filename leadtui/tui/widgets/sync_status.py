"""Sync with the team server, as the rep sees it: a round every few seconds and after
each change, in a worker, and one line that says how it stands ("synced 5 s ago",
"3 waiting", "offline", "token refused"). A change the server refused is a notification that says
what happened. Hidden when no team server is set."""

from __future__ import annotations

import time

from textual.widgets import Static
from textual.worker import get_current_worker

from leadtui.tui.desk import Desk
from leadtui.tui.messages import SyncDone

EVERY = 10  # seconds between rounds
SOON = 1.0  # after a change, a round this soon (changes in a row share it)


class SyncStatus(Static):
    def __init__(self, desk: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.last: SyncDone | None = None
        self.synced_at: float | None = None
        self.waiting_round = False
        self.said: str | None = None  # the problem last notified, so it is said once

    def on_mount(self) -> None:
        self.display = self.desk.team is not None
        if self.desk.team is None:
            return
        self.update("sync: starting")
        self.set_interval(EVERY, self.sync)
        self.set_interval(1, self.show)
        self.sync()

    def sync_soon(self) -> None:
        """After a change: send it shortly, with any others made meanwhile."""
        if self.desk.team is not None and not self.waiting_round:
            self.waiting_round = True
            self.set_timer(SOON, self.sync)

    def sync(self) -> None:
        self.waiting_round = False
        self.run_worker(self._round, thread=True, exclusive=True, group="sync")

    def _round(self) -> None:
        from leadtui.sync import SyncError

        try:
            done = SyncDone(self.desk.sync_round())
        except SyncError as error:
            done = SyncDone(None, str(error), error.standing)
        if not get_current_worker().is_cancelled:
            self.post_message(done)

    def on_sync_done(self, done: SyncDone) -> None:
        self.last = done
        if done.synced is not None:
            self.synced_at = time.monotonic()
            for refusal in done.synced.refused:
                self.notify(
                    f"The team server did not take a change to lead {refusal.lead}: "
                    f"{refusal.reason}. Your entry stays in your file.",
                    title="Sync conflict",
                    severity="warning",
                    timeout=12,
                )
        elif done.problem != self.said:
            self.notify(done.problem or "", title="Sync", severity="warning")
        self.said = done.problem
        self.show()

    def show(self) -> None:
        done = self.last
        if done is None:
            return
        if done.synced is None:
            self.update(f"[$warning]sync: {done.standing}[/] [$text-muted]({done.problem})[/]")
            return
        ago = int(time.monotonic() - (self.synced_at or time.monotonic()))
        waiting = done.synced.waiting
        parts = [f"synced {ago} s ago" if ago else "synced just now"]
        if waiting:
            parts.append(f"{waiting} waiting")
        if done.synced.refused:
            count = len(done.synced.refused)
            parts.append(f"[$warning]{count} conflict{'s' if count > 1 else ''}[/]")
        self.update("sync: " + " · ".join(parts))
