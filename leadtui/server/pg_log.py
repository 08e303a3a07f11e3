"""Writing to the team's log on PostgreSQL: an event and its lead's new projection
under a savepoint, and the feed positions given out just before commit (see
pg_schema for why they follow commit order). Shared by pushes, claims and hand-offs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg

from leadtui.core.models import PROJECTION_FIELDS, Event, Projection

Connection = psycopg.Connection[Any]


def first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def one(cursor: psycopg.Cursor[Any]) -> int:
    found = cursor.fetchone()
    assert found is not None
    return int(found[0])


def present(values: dict[str, Any]) -> dict[str, Any]:
    """The row's values that are there: a missing one takes the model's default."""
    return {name: value for name, value in values.items() if value is not None}


def projection_of(values: Sequence[Any]) -> Projection:
    return Projection.model_validate(present(dict(zip(PROJECTION_FIELDS, values, strict=True))))


def history(conn: Connection, lead_id: int) -> list[Event]:
    cursor = conn.execute(
        "SELECT id, kind, actor, at, payload FROM events WHERE lead_id = %s ORDER BY seq",
        (lead_id,),
    )
    return [
        Event(id=row[0], lead_id=lead_id, kind=row[1], actor=row[2], at=row[3], payload=row[4])
        for row in cursor
    ]


def write(
    conn: Connection,
    event: Event,
    before: Projection,
    after: Projection,
    *,
    expected: int | None = None,
) -> int | None:
    """The event and the lead's new projection, under a savepoint: an event already
    here (by its UUID), or a lead no longer at `expected`, writes nothing and gives
    None; text the database cannot keep is refused as an unfit payload."""
    try:
        with conn.transaction():
            inserted = conn.execute(
                "INSERT INTO events (id, lead_id, kind, actor, at, payload) "
                "VALUES (%s, %s, %s, %s, %s, %s::json) ON CONFLICT (id) DO NOTHING RETURNING seq",
                (
                    event.id,
                    event.lead_id,
                    event.kind.value,
                    event.actor,
                    event.at,
                    json.dumps(event.model_dump(mode="json")["payload"], ensure_ascii=False),
                ),
            ).fetchone()
            if inserted is None:
                return None
            changed = {
                name: value
                for name, value in _columns(after).items()
                if getattr(before, name) != getattr(after, name)
            }
            sets = ", ".join(f"{name} = %({name})s" for name in changed)
            guard = "" if expected is None else " AND version = %(expected)s"
            cursor = conn.execute(
                f"UPDATE leads SET {sets} WHERE id = %(lead_id)s{guard}",
                changed | {"lead_id": event.lead_id, "expected": expected},
            )
            if cursor.rowcount != 1:
                raise _Lost
            return int(inserted[0])
    except _Lost:
        return None
    except psycopg.DataError as error:
        raise ValueError(first_line(error)) from None


class _Lost(Exception):
    """The compare-and-swap found the lead moved on: undo the savepoint."""


def _columns(projection: Projection) -> dict[str, Any]:
    values = {name: getattr(projection, name) for name in PROJECTION_FIELDS}
    values["stage"] = projection.stage.value
    return values


def publish(conn: Connection, seqs: Sequence[int]) -> None:
    """Give the transaction's events their feed positions, in the order taken. The
    head's row lock is held until commit, so positions follow commit order."""
    if not seqs:
        return
    last = one(
        conn.execute(
            "UPDATE feed_head SET position = position + %s RETURNING position", (len(seqs),)
        )
    )
    conn.execute(
        "UPDATE events SET position = %s + t.n FROM unnest(%s::bigint[]) WITH ORDINALITY "
        "AS t(seq, n) WHERE events.seq = t.seq",
        (last - len(seqs), list(seqs)),
    )
