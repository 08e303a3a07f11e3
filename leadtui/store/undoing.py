"""Undo as a compensating event: find what to take back, then project the lead again."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from leadtui.core import moments, projection
from leadtui.core.lifecycle import UNDOABLE
from leadtui.core.models import Event, EventKind
from leadtui.store import queries, rows
from leadtui.store.errors import NothingToUndo


def take_back(
    conn: sqlite3.Connection, rep: str, at: datetime, since: datetime | None = None
) -> Event:
    """The `undone` event for `rep`'s last action not yet taken back (made at `since`
    or later, when given: undo is for the change just made, not last week's)."""
    kinds = sorted(kind.value for kind in UNDOABLE)
    cursor = conn.execute(
        "SELECT e.* FROM events e WHERE e.actor = ? AND e.lead_id IS NOT NULL "
        f"AND e.kind IN ({', '.join('?' for _ in kinds)}) AND e.at >= ? AND NOT EXISTS ("
        "  SELECT 1 FROM events u WHERE u.kind = 'undone' "
        "  AND json_extract(u.payload, '$.event') = e.id) "
        "ORDER BY e.seq DESC LIMIT 1",
        (rep, *kinds, rows.epoch(since) if since is not None else moments.EARLIEST_EPOCH),
    )
    found = rows.dict_rows(cursor)
    if not found:
        raise NothingToUndo(f"{rep} has nothing to undo")
    target = rows.event_from_row(found[0])
    later = conn.execute(
        "SELECT actor FROM events l WHERE l.lead_id = ? AND l.seq > ? AND l.kind != 'undone' "
        "AND NOT EXISTS (SELECT 1 FROM events u WHERE u.kind = 'undone' "
        "  AND json_extract(u.payload, '$.event') = l.id) "
        "ORDER BY l.seq LIMIT 1",
        (target.lead_id, found[0]["seq"]),
    ).fetchone()
    if later is not None:
        raise NothingToUndo(
            f"lead {target.lead_id} changed since ({later[0]} acted on it): nothing undone"
        )
    return Event(
        lead_id=target.lead_id,
        kind=EventKind.UNDONE,
        actor=rep,
        at=at,
        payload={"event": target.id, "kind": target.kind.value},
    )


def refold(conn: sqlite3.Connection, lead_id: int) -> None:
    """Project the lead from its log again; its scores are rescoring's and stay."""
    current = queries.projection(conn, lead_id)
    assert current is not None
    cursor = conn.execute("SELECT * FROM events WHERE lead_id = ? ORDER BY seq", (lead_id,))
    history = [rows.event_from_row(row) for row in rows.dict_rows(cursor)]
    changed = rows.projection_row(projection.refold(current, history))
    assignments = ", ".join(f"{name} = :{name}" for name in changed)
    conn.execute(
        f"UPDATE leads SET {assignments} WHERE id = :lead_id", changed | {"lead_id": lead_id}
    )
