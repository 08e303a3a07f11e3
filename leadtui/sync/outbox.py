"""One round of sync: push what this file logged, oldest first, in batches; then pull
what the rest of the team did since the last round.

Every event goes out with its UUID, so a batch that timed out after the server
took it is simply sent again: the server answers "already here" and nothing is
doubled. An event the server refused (someone else claimed the lead first) stays
in this file's log, is not sent again, is taken back here too (so the lead reads
as the server has it), and is reported.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from leadtui.core.wire import MAX_BATCH, Refusal
from leadtui.store import Store
from leadtui.sync.client import TeamServer

CURSOR = "sync_cursor"


@dataclass
class Synced:
    pushed: int = 0
    already: int = 0  # sent before, by a round whose answer was lost
    refused: list[Refusal] = field(default_factory=list)
    pulled: int = 0
    waiting: int = 0  # still to send (none after a full round)


def sync_once(
    store: Store,
    server: TeamServer,
    now: datetime,
    hold: AbstractContextManager[object] | None = None,
) -> Synced:
    """`hold` is taken around each use of the store (the app's lock on it), never
    while waiting for the network."""
    held = hold or nullcontext()
    done = Synced()
    while True:
        with held:
            batch = store.unsynced(MAX_BATCH)
        if not batch:
            break
        answer = server.push(batch)
        settled = [*answer.accepted, *answer.duplicates, *(r.id for r in answer.refused)]
        with held:
            store.mark_synced(settled, now)
            store.take_back_refused([refusal.id for refusal in answer.refused], now)
        done.pushed += len(answer.accepted)
        done.already += len(answer.duplicates)
        done.refused += answer.refused
        if not settled:
            break  # the server settled none of them: do not spin
    with held:
        cursor = int(store.meta(CURSOR) or 0)
    while True:
        feed = server.changes(cursor)
        with held:
            for rep in feed.reps:
                store.save_rep(rep)
            done.pulled += store.take_in(feed.leads, feed.events, now)
            cursor = feed.next
            store.set_meta(CURSOR, str(cursor))
        if not feed.more:
            break
    with held:
        done.waiting = store.waiting_to_sync()
    return done
