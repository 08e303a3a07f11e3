"""The store's side of sync: what is waiting to go out, marking it gone, and taking in
what came from elsewhere. Events and leads travel by their global ids (event UUID,
lead uid); each file keeps its own row numbers."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from leadtui.core import moments
from leadtui.core.models import CONTACT_FIELDS, Event, EventKind
from leadtui.store import recording, rows, visibility
from leadtui.store.recording import Policy

if TYPE_CHECKING:  # the wire's models are built when sync first needs them, not at start
    from leadtui.core.wire import WireEvent, WireLead

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# An event an older version let in from outside the dates leadtui keeps stays in this
# file, shown as it is, and is never sent: the server would refuse it.
_KEPT = rows.kept("e.at")


def unsynced(conn: sqlite3.Connection, limit: int) -> list[WireEvent]:
    """The oldest events not yet on the server, in the order they were logged."""
    cursor = conn.execute(
        "SELECT e.*, l.uid AS lead_uid FROM events e JOIN leads l ON l.id = e.lead_id "
        f"WHERE e.synced_at IS NULL AND {_KEPT} ORDER BY e.seq LIMIT ?",
        (limit,),
    )
    return [_wire(row) for row in rows.dict_rows(cursor)]


def waiting(conn: sqlite3.Connection) -> int:
    return int(
        conn.execute(
            f"SELECT count(*) FROM events e WHERE synced_at IS NULL AND lead_id IS NOT NULL "
            f"AND {_KEPT}"
        ).fetchone()[0]
    )


def take_back_refused(
    conn: sqlite3.Connection, policy: Policy, refused: Sequence[str], at: datetime
) -> None:
    """Events the server refused (someone else held the lead, its stage had moved on)
    are taken back here too, so this file's leads read as the server's do: each gets
    an `undone` event that stays local (born synced) and its lead is folded again.
    The refused entries stay in the log, shown as taken back."""
    for event_id in refused:
        found = conn.execute(
            "SELECT lead_id, kind FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        if found is None or found[0] is None:
            continue
        undone = Event(
            lead_id=found[0],
            kind=EventKind.UNDONE,
            actor="server",
            at=at,
            payload={"event": event_id, "kind": found[1], "refused": True},
            synced_at=at,
        )
        recording.append(conn, undone)
        recording.refold(conn, found[0], policy)


def mark_synced(conn: sqlite3.Connection, ids: Sequence[str], at: datetime) -> None:
    conn.executemany(
        "UPDATE events SET synced_at = ? WHERE id = ? AND synced_at IS NULL",
        ((rows.epoch(at), event_id) for event_id in ids),
    )


def feed_since(
    conn: sqlite3.Connection, seq: int, limit: int, rep: str | None
) -> tuple[list[WireEvent], list[WireLead], int, bool]:
    """Events after `seq` that `rep` may see (None: everything), oldest first, with the
    leads they are about; where the feed got to; whether there is more.

    What a rep may see is the rule in store/visibility.py, which both homes of the
    team server keep."""
    seen = "1" if rep is None else visibility.event_seen("l.owner", "e.kind", ":rep")
    conn.execute("BEGIN")  # one snapshot: the end of the log read with the page
    try:
        cursor = conn.execute(
            "SELECT e.*, l.uid AS lead_uid FROM events e JOIN leads l ON l.id = e.lead_id "
            f"WHERE e.seq > :seq AND ({seen}) ORDER BY e.seq LIMIT :limit",
            {"seq": seq, "rep": rep, "limit": limit + 1},
        )
        found = rows.dict_rows(cursor)
        more = len(found) > limit
        found = found[:limit]
        end = found[-1]["seq"] if more else max(seq, last_seq(conn))
        described = sorted({row["lead_id"] for row in found})
        leads = leads_by_id(conn, described, rep)
    finally:
        conn.execute("COMMIT")
    return [_wire(row) for row in found], leads, end, more


def leads_by_id(
    conn: sqlite3.Connection, lead_ids: Sequence[int], rep: str | None = None
) -> list[WireLead]:
    """The leads' cards; for a rep, only of their own and unassigned leads."""
    from leadtui.core.wire import WireLead

    if not lead_ids:
        return []
    marks = ", ".join("?" for _ in lead_ids)
    mine = "" if rep is None else f" AND {visibility.card_seen('owner', '?')}"
    cursor = conn.execute(
        f"SELECT * FROM leads WHERE id IN ({marks}){mine}",
        (*lead_ids, *(() if rep is None else (rep,))),
    )
    return [
        WireLead.kept(
            {
                "uid": row["uid"],
                "created_at": rows.moment(row["created_at"]) or _EPOCH,
                "score": row["score"],
                "fit": row["fit"],
                "engagement": row["engagement"],
            }
            | {name: row[name] for name in CONTACT_FIELDS}
        )
        for row in rows.dict_rows(cursor)
    ]


def take_in(
    conn: sqlite3.Connection,
    policy: Policy,
    leads: Sequence[WireLead],
    events: Sequence[WireEvent],
    at: datetime,
) -> int:
    """Add the leads this file does not know (by uid) and the events it has not seen (by
    id), folding each into its lead. Returns the events added."""
    added = 0
    ids = _lead_ids(conn, [lead.uid for lead in leads])
    for lead in leads:
        if lead.uid not in ids:
            ids[lead.uid] = _insert_lead(conn, lead)
    known = _known_events(conn, [event.id for event in events])
    for event in events:
        if event.id in known or not moments.in_range(event.at):
            continue  # seen already; or from outside the dates this file keeps
        lead_id = ids.get(event.lead) or _lead_ids(conn, [event.lead]).get(event.lead)
        if lead_id is None:
            continue  # a lead the feed did not describe: nothing to fold it into
        taken = Event(
            id=event.id,
            lead_id=lead_id,
            kind=event.kind,
            actor=event.actor,
            at=event.at,
            payload=event.payload,
            synced_at=at,
        )
        recording.record(conn, taken, policy, guarded=False)
        known.add(event.id)
        added += 1
    return added


def last_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])


def _lead_ids(conn: sqlite3.Connection, uids: Sequence[str]) -> dict[str, int]:
    if not uids:
        return {}
    marks = ", ".join("?" for _ in uids)
    cursor = conn.execute(f"SELECT uid, id FROM leads WHERE uid IN ({marks})", tuple(uids))
    return dict(cursor.fetchall())


def _known_events(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    cursor = conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", tuple(ids))
    return {row[0] for row in cursor}


def _insert_lead(conn: sqlite3.Connection, lead: WireLead) -> int:
    values = lead.model_dump()
    values["created_at"] = rows.epoch(lead.created_at)
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    cursor = conn.execute(f"INSERT INTO leads({names}) VALUES ({marks})", values)
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _wire(row: dict[str, object]) -> WireEvent:
    from leadtui.core.wire import WireEvent, cut_long_text

    event = rows.event_from_row(row)
    return WireEvent(
        id=event.id,
        lead=str(row["lead_uid"]),
        kind=event.kind,
        actor=event.actor,
        at=event.at,
        payload=cut_long_text(event.payload),
    )
