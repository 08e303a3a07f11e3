"""The team server running the CRM rounds for the whole team (the file home): a thread that
pulls every `[crm] every_minutes`, and pushes a few seconds after reps' events arrive, so
reps need no CRM credential. The round's state (cursor, waiting, last error, budget) is
kept in the team's file, read by `leadtui crm status --db TEAM.db` or `GET /crm`.

The store is used under the team file's one lock, and never while waiting on the CRM, so
reps' syncs go on while a round waits for HubSpot. The PostgreSQL home runs no rounds."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from leadtui.crm import Connector, CrmError
from leadtui.crm.rounds import CrmRounds, meta_key
from leadtui.crm.status import state_of
from leadtui.server.on_file import FileTeam

log = logging.getLogger("leadtui.server.crm")
SOON = 2.0  # seconds after reps' events arrive: their push (events in a row share it)
NEVER = float("inf")


class TeamCrm:
    def __init__(
        self,
        team: FileTeam,
        system: str,
        open_connector: Callable[[], Connector],
        every_seconds: float,
        *,
        soon: float = SOON,
    ) -> None:
        self.team = team
        self.system = system
        self.open_connector = open_connector
        self.every = every_seconds
        self.delay = soon
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.push_due = NEVER
        self.thread = threading.Thread(target=self._run, name="crm-rounds", daemon=True)

    def start(self) -> TeamCrm:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout=30)

    def soon(self) -> None:
        """Reps' events just arrived: push them shortly."""
        self.push_due = min(self.push_due, time.monotonic() + self.delay)
        self.wake.set()

    def state(self) -> dict[str, Any]:
        with self.team.lock:
            return state_of(self.team.store, self.system, meta_key) | {
                "every_minutes": round(self.every / 60, 2)
            }

    def _run(self) -> None:
        pull_due = time.monotonic()  # a first round as the server starts
        while not self.stopping.is_set():
            now = time.monotonic()
            if now >= pull_due:
                pull_due = now + self.every
                self.push_due = NEVER
                self.round(pull=True)
            elif now >= self.push_due:
                self.push_due = NEVER
                self.round(pull=False)
            self.wake.wait(max(0.0, min(pull_due, self.push_due) - time.monotonic()))
            self.wake.clear()

    def round(self, *, pull: bool = True) -> None:
        """One round; what stopped it is kept in the file (and logged), never raised: the
        next round tries again."""
        try:
            remote = self.open_connector()
        except CrmError as error:
            log.warning("%s round not run: %s", self.system, error)
            with self.team.lock:
                self.team.store.set_meta(meta_key(self.system, "last_error"), str(error))
            return
        try:
            rounds = CrmRounds(self.team.store, remote, self.team.agreement, self.team.lock)
            rounds.round(datetime.now(UTC), pull=pull)
        except CrmError as error:
            log.warning("%s round stopped: %s", self.system, error)
        except Exception:  # a thread that dies would stop the team's rounds unseen
            log.exception("%s round failed", self.system)
        finally:
            remote.close()
