"""Marketing's leads into the PostgreSQL team store: the file's intake door
(store/intake.py) in PostgreSQL's own SQL, for the same records and by the same rules.
New cards are added, known ones (by uid) brought up to date as whole cards, and those
with a hand-off time made MQLs then, unless they are with sales already; marketing's
scores are kept as sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from leadtui.core.intake import CONTACT_FIELDS, HANDED_OVER_FROM, SCORES, LeadRecord, Summary, clash
from leadtui.core.models import Event, EventKind
from leadtui.core.projection import apply
from leadtui.server import pg_log
from leadtui.server.pg_schema import PROJECTION
from leadtui.server.storage import Clash


def hand_off(
    conn: psycopg.Connection[Any], records: Sequence[LeadRecord], actor: str
) -> tuple[Summary, list[int]]:
    """What the hand-off did, and the seqs of its hand-over events (to publish)."""
    taken = Summary()
    handed: list[int] = []
    names = ("uid", "created_at", *SCORES, *CONTACT_FIELDS)
    marks = ", ".join(f"%({name})s" for name in names)
    refresh = ", ".join(f"{name} = excluded.{name}" for name in CONTACT_FIELDS)
    uids = [record.uid for record in records]
    # The leads already here are locked first, in id order, as a push locks them; new
    # ones are added in uid order: two writers never wait on each other in a circle.
    conn.execute("SELECT id FROM leads WHERE uid = ANY(%s) ORDER BY id FOR UPDATE", (uids,))
    for record in sorted(records, key=lambda record: record.uid or ""):
        assert record.uid is not None, "the team server's leads are known by their uid"
        if record.external_id is not None:
            holder = conn.execute(
                "SELECT uid FROM leads WHERE external_id = %s", (record.external_id,)
            ).fetchone()
            if problem := clash(record, holder and holder[0]):
                raise Clash(problem)
        scores = record.scores or dict.fromkeys(SCORES, 0)
        values = {name: getattr(record, name) for name in names} | scores
        try:
            row = conn.execute(
                f"INSERT INTO leads ({', '.join(names)}) VALUES ({marks}) "
                f"ON CONFLICT (uid) DO UPDATE SET {refresh} "
                f"RETURNING id, xmax = 0, {PROJECTION}",
                values,
            ).fetchone()
        except psycopg.errors.UniqueViolation:  # the same external id, sent at the same moment
            raise Clash(f"external id {record.external_id!r} belongs to another lead") from None
        assert row is not None
        lead_id, inserted = row[0], row[1]
        taken.imported += inserted
        taken.updated += not inserted
        current = pg_log.projection_of(row[2:])
        if record.mql_at is None or current.stage not in HANDED_OVER_FROM:
            continue
        payload: dict[str, Any] = record.scores or {"via": actor}
        event = Event(
            lead_id=lead_id,
            kind=EventKind.BECAME_MQL,
            actor=actor,
            at=record.mql_at,
            payload=payload,
        )
        seq = pg_log.write(conn, event, current, apply(current, event))
        if seq is not None:
            handed.append(seq)
    taken.handed = len(handed)
    return taken, handed
