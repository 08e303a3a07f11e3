"""Marketing's leads into the PostgreSQL team store: new cards added, known ones (by
uid) brought up to date, and those with a hand-off time made MQLs then, unless they
are with sales already. The same rules as the file's (store.syncing.hand_off)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from leadtui.core.models import Event, EventKind
from leadtui.core.projection import apply
from leadtui.core.wire import HandOff
from leadtui.server import pg_log
from leadtui.server.pg_schema import CONTACT, PROJECTION
from leadtui.server.storage import Clash

WITH_SALES_NOT = ("nurturing", "returned_to_nurture")  # stages a hand-off moves on from


def hand_off(
    conn: psycopg.Connection[Any], leads: Sequence[HandOff], actor: str
) -> tuple[int, int, list[int]]:
    """Returns (added, updated, the hand-off events' seqs)."""
    added = updated = 0
    handed: list[int] = []
    names = ("uid", "created_at", "score", "fit", "engagement", *CONTACT)
    marks = ", ".join(f"%({name})s" for name in names)
    refresh = ", ".join(f"{name} = excluded.{name}" for name in CONTACT)
    # The leads already here are locked first, in id order, as a push locks them; new
    # ones are added in uid order: two writers never wait on each other in a circle.
    conn.execute(
        "SELECT id FROM leads WHERE uid = ANY(%s) ORDER BY id FOR UPDATE",
        ([lead.uid for lead in leads],),
    )
    for lead in sorted(leads, key=lambda lead: lead.uid):
        card = lead.card()
        if card.external_id is not None:
            holder = conn.execute(
                "SELECT uid FROM leads WHERE external_id = %s", (card.external_id,)
            ).fetchone()
            if clash := lead.clash(holder and holder[0]):
                raise Clash(clash)
        try:
            row = conn.execute(
                f"INSERT INTO leads ({', '.join(names)}) VALUES ({marks}) "
                f"ON CONFLICT (uid) DO UPDATE SET {refresh} "
                f"RETURNING id, xmax = 0, {PROJECTION}",
                card.model_dump(include=set(names)),
            ).fetchone()
        except psycopg.errors.UniqueViolation:  # the same external id, sent at the same moment
            raise Clash(f"external id {card.external_id!r} belongs to another lead") from None
        assert row is not None
        lead_id, inserted = row[0], row[1]
        added += inserted
        updated += not inserted
        current = pg_log.projection_of(row[2:])
        if lead.mql_at is None or current.stage.value not in WITH_SALES_NOT:
            continue
        payload = {"score": lead.score, "fit": lead.fit, "engagement": lead.engagement}
        event = Event(
            lead_id=lead_id, kind=EventKind.BECAME_MQL, actor=actor, at=lead.mql_at,
            payload=payload,
        )  # fmt: skip
        seq = pg_log.write(conn, event, current, apply(current, event))
        if seq is not None:
            handed.append(seq)
    return added, updated, handed
