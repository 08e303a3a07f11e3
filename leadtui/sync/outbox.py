"""One round of sync: push what this file logged, oldest first, in batches; then pull
what the rest of the team did since the last round.

A batch holds at most MAX_BATCH events and the client's push budget of bytes (a
batch of long notes is cut into several); one the server still finds too big (413)
is sent again in halves, down to one event, so no legal event is ever stuck.

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

from leadtui.core.wire import MAX_BATCH, Pushed, Refusal, WireEvent
from leadtui.store import Store
from leadtui.sync.client import ENVELOPE, TeamServer, TooBig, size_of

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
    _push_waiting(store, server, now, held, done)
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


def _push_waiting(
    store: Store,
    server: TeamServer,
    now: datetime,
    held: AbstractContextManager[object],
    done: Synced,
) -> None:
    """Push every event waiting, oldest first, MAX_BATCH read at a time."""
    budget = server.push_budget
    while True:
        with held:
            waiting = store.unsynced(MAX_BATCH)
        if not waiting:
            return
        settled = 0
        parts = by_size(waiting, budget)
        while parts:
            part = parts.pop(0)
            try:
                answer = server.push(part)
            except TooBig:
                if len(part) == 1:
                    raise TooBig(
                        f"the team server takes no push as big as event {part[0].id} alone "
                        f"({size_of(part[0]):,} bytes); it waits in this file"
                    ) from None
                # This server takes less than the budget: ask less of it all round.
                budget = min(budget, sum(map(size_of, part)) // 2)
                half = len(part) // 2
                parts[:0] = [part[:half], part[half:]]
                continue
            settled += _settle(store, answer, now, held, done)
        if not settled:
            return  # the server settled none of them: do not spin


def by_size(events: list[WireEvent], budget: int) -> list[list[WireEvent]]:
    """The events in order, cut into runs of at most `budget` bytes of push (a run
    holds at least one event, however big)."""
    runs: list[list[WireEvent]] = []
    size = budget
    for event in events:
        cost = size_of(event)
        if runs and size + cost <= budget:
            runs[-1].append(event)
            size += cost
        else:
            runs.append([event])
            size = ENVELOPE + cost
    return runs


def _settle(
    store: Store,
    answer: Pushed,
    now: datetime,
    held: AbstractContextManager[object],
    done: Synced,
) -> int:
    """Mark what the server settled as sent (taking back what it refused); returns how
    many it settled."""
    settled = [*answer.accepted, *answer.duplicates, *(r.id for r in answer.refused)]
    with held:
        store.mark_synced(settled, now)
        store.take_back_refused([refusal.id for refusal in answer.refused], now)
    done.pushed += len(answer.accepted)
    done.already += len(answer.duplicates)
    done.refused += answer.refused
    return len(settled)
