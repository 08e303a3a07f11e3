"""The store's side of a CRM connector: which leads are linked to which CRM record, the
events still owed to the CRM, and what became of each push (see core.to_the_crm)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from leadtui.core.models import EventKind
from leadtui.core.to_the_crm import PUSHED_KINDS, CrmCounts, Outgoing, PushState, Refused
from leadtui.store import rows
from leadtui.store.opened import OpenedFile

_KINDS = "(" + ", ".join(f"'{kind.value}'" for kind in PUSHED_KINDS) + ")"

# The events of linked leads that the CRM is owed: logged after the link was made, of
# a kind the CRM hears of, not taken back, and not settled yet.
_OWED = f"""
FROM events e
JOIN crm_links k ON k.lead_id = e.lead_id AND k.crm = :crm
JOIN leads l ON l.id = e.lead_id
LEFT JOIN crm_pushes p ON p.event_id = e.id
WHERE e.seq > k.since_seq AND e.kind IN {_KINDS} AND e.actor != :crm
  AND (p.state IS NULL OR p.state = 'sending')
  AND NOT EXISTS (
    SELECT 1 FROM events u WHERE u.kind = 'undone' AND u.lead_id = e.lead_id
      AND json_extract(u.payload, '$.event') = e.id)
"""


def link(conn: sqlite3.Connection, crm: str, records: Sequence[tuple[int, str]]) -> int:
    """Link leads (by row id) to their CRM records; a lead already linked keeps the
    point from which its events are owed. Returns how many links are new."""
    since = int(conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])
    before = conn.total_changes
    conn.executemany(
        "INSERT INTO crm_links(lead_id, crm, crm_id, since_seq) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(lead_id) DO UPDATE SET crm_id = excluded.crm_id, crm = excluded.crm "
        "WHERE crm_id IS NOT excluded.crm_id OR crm IS NOT excluded.crm",
        ((lead_id, crm, record, since) for lead_id, record in records),
    )
    return conn.total_changes - before


def owed(conn: sqlite3.Connection, crm: str, limit: int) -> list[Outgoing]:
    """The oldest events the CRM is owed, in the order they were logged."""
    cursor = conn.execute(
        "SELECT e.id, e.kind, e.actor, e.at, e.payload, k.crm_id, l.name, p.state, "
        f"coalesce(p.tries, 0), e.lead_id {_OWED} ORDER BY e.seq LIMIT :limit",
        {"crm": crm, "limit": limit},
    )
    return [
        Outgoing(
            event_id=event_id,
            kind=EventKind(kind),
            actor=actor,
            at=rows.moment(at) or datetime.min,
            payload=json.loads(payload or "{}"),
            record=record,
            lead_name=name or "",
            unsure=state == PushState.SENDING,
            tries=tries,
            lead_id=lead_id,
        )
        for event_id, kind, actor, at, payload, record, name, state, tries, lead_id in cursor
    ]


def mark(
    conn: sqlite3.Connection,
    crm: str,
    event_id: str,
    state: PushState,
    at: datetime,
    *,
    made: str | None = None,
    reason: str | None = None,
) -> None:
    """What became of a push: `sending` counts a try; `done` keeps the CRM object
    made (if any); `refused` keeps the CRM's reason."""
    conn.execute(
        "INSERT INTO crm_pushes(event_id, crm, state, crm_id, reason, tries, at) "
        "VALUES (:event, :crm, :state, :made, :reason, :tries, :at) "
        "ON CONFLICT(event_id) DO UPDATE SET state = excluded.state, "
        "crm_id = coalesce(excluded.crm_id, crm_id), reason = excluded.reason, "
        "tries = tries + excluded.tries, at = excluded.at, "
        "claimed_by = NULL, claimed_until = NULL",
        {
            "event": event_id,
            "crm": crm,
            "state": state.value,
            "made": made,
            "reason": reason,
            "tries": 1 if state is PushState.SENDING else 0,
            "at": rows.epoch(at),
        },
    )


def claim(
    conn: sqlite3.Connection,
    crm: str,
    event_id: str,
    at: datetime,
    holder: str,
    wall: float,
    lease: float,
) -> bool:
    """Claim a push for the round `holder` and count a try: it is `sending` from now, and
    no other round takes it until `wall + lease` (seconds since the epoch, the machine's
    clock) unless `holder` lets go first. False when it is another live round's, or
    was settled meanwhile."""
    before = conn.total_changes
    conn.execute(
        "INSERT INTO crm_pushes(event_id, crm, state, tries, at, claimed_by, claimed_until) "
        "VALUES (:event, :crm, 'sending', 1, :at, :holder, :until) "
        "ON CONFLICT(event_id) DO UPDATE SET tries = tries + 1, at = excluded.at, "
        "claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until "
        "WHERE state = 'sending' AND (claimed_by IS NULL OR claimed_by = :holder "
        "OR claimed_until IS NULL OR claimed_until <= :wall)",
        {
            "event": event_id,
            "crm": crm,
            "at": rows.epoch(at),
            "holder": holder,
            "until": int(wall + lease),
            "wall": int(wall),
        },
    )
    return conn.total_changes > before


def let_go(conn: sqlite3.Connection, holder: str) -> None:
    """A round's claims given up (it ended): what it left `sending` is looked for by the
    next round, as a push whose answer was lost."""
    conn.execute(
        "UPDATE crm_pushes SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?",
        (holder,),
    )


def send_refused_again(conn: sqlite3.Connection, crm: str) -> int:
    """The refused pushes owed again (after the mapping or the CRM was fixed), each as one
    whose answer was lost: looked for before it is sent, so none is made twice."""
    return conn.execute(
        "UPDATE crm_pushes SET state = 'sending', tries = 0, reason = NULL, "
        "claimed_by = NULL, claimed_until = NULL WHERE crm = ? AND state = 'refused'",
        (crm,),
    ).rowcount


def refused(conn: sqlite3.Connection, crm: str, limit: int) -> list[Refused]:
    """The pushes the CRM refused, newest first."""
    cursor = conn.execute(
        "SELECT p.event_id, e.kind, l.name, e.at, p.reason, e.lead_id, "
        "coalesce(json_extract(e.payload, '$.channel'), '') FROM crm_pushes p "
        "JOIN events e ON e.id = p.event_id JOIN leads l ON l.id = e.lead_id "
        "WHERE p.crm = ? AND p.state = 'refused' ORDER BY e.seq DESC LIMIT ?",
        (crm, limit),
    )
    return [
        Refused(
            event_id, kind, name or "", rows.moment(at) or datetime.min, reason or "", lead, channel
        )
        for event_id, kind, name, at, reason, lead, channel in cursor
    ]


def made_for(conn: sqlite3.Connection, crm: str) -> dict[str, str]:
    """The CRM objects made, by the event each was made for."""
    cursor = conn.execute(
        "SELECT event_id, crm_id FROM crm_pushes WHERE crm = ? AND state = 'done' "
        "AND crm_id IS NOT NULL",
        (crm,),
    )
    return dict(cursor.fetchall())


def counts(conn: sqlite3.Connection, crm: str) -> CrmCounts:
    waiting, unsure = conn.execute(
        f"SELECT count(*), count(p.state) {_OWED}", {"crm": crm}
    ).fetchone()
    done, refused_count = conn.execute(
        "SELECT count(*) FILTER (WHERE state = 'done'), "
        "count(*) FILTER (WHERE state = 'refused') FROM crm_pushes WHERE crm = ?",
        (crm,),
    ).fetchone()
    linked = conn.execute("SELECT count(*) FROM crm_links WHERE crm = ?", (crm,)).fetchone()[0]
    return CrmCounts(
        waiting=int(waiting),
        unsure=int(unsure),
        refused=int(refused_count),
        done=int(done),
        linked=int(linked),
    )


def lead_ids_by_record(
    conn: sqlite3.Connection, crm: str, records: Sequence[str]
) -> dict[str, int]:
    """Leads already linked to these CRM records."""
    if not records:
        return {}
    cursor = conn.execute(
        "SELECT crm_id, lead_id FROM crm_links WHERE crm = ? "
        "AND crm_id IN (SELECT value FROM json_each(?))",
        (crm, json.dumps(list(records))),
    )
    return dict(cursor.fetchall())


class ToTheCrm(OpenedFile):
    """What a CRM round asks of the file; Store mixes it in."""

    def link_to_crm(self, crm: str, records: Sequence[tuple[int, str]]) -> int:
        """Link leads to their CRM records (lead id, the CRM's id); the CRM is owed
        what is logged on each from now on. Returns the links made or changed."""
        with self._writing() as conn:
            return link(conn, crm, records)

    def linked_leads(self, crm: str, records: Sequence[str]) -> dict[str, int]:
        return lead_ids_by_record(self._conn, crm, records)

    def owed_to_crm(self, crm: str, limit: int = 100) -> list[Outgoing]:
        return owed(self._conn, crm, limit)

    def mark_pushed(
        self,
        crm: str,
        event_id: str,
        state: PushState,
        at: datetime,
        *,
        made: str | None = None,
        reason: str | None = None,
    ) -> None:
        with self._writing() as conn:
            mark(conn, crm, event_id, state, at, made=made, reason=reason)

    def claim_push(
        self,
        crm: str,
        event_id: str,
        at: datetime,
        *,
        holder: str,
        wall: float,
        lease: float,
    ) -> bool:
        with self._writing() as conn:
            return claim(conn, crm, event_id, at, holder, wall, lease)

    def let_go_of_pushes(self, holder: str) -> None:
        with self._writing() as conn:
            let_go(conn, holder)

    def send_refused_again(self, crm: str) -> int:
        with self._writing() as conn:
            return send_refused_again(conn, crm)

    def refused_by_crm(self, crm: str, limit: int = 20) -> list[Refused]:
        return refused(self._conn, crm, limit)

    def made_in_crm(self, crm: str) -> dict[str, str]:
        return made_for(self._conn, crm)

    def crm_counts(self, crm: str) -> CrmCounts:
        return counts(self._conn, crm)

    def crm_push_tried_at(self, event_id: str) -> datetime | None:
        """When a push was last sent (None: never)."""
        found = self._conn.execute(
            "SELECT at FROM crm_pushes WHERE event_id = ?", (event_id,)
        ).fetchone()
        return None if found is None else rows.moment(found[0])
