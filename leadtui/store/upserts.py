"""Bulk loading for imports: find existing leads by key, insert new ones, update the rest."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from leadtui.store.rows import CONTACT_FIELDS


def find(
    conn: sqlite3.Connection, external_ids: Iterable[str], emails: Iterable[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Lead ids by external id and by email, for all the keys at once (a join, not a
    query per row)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_keys(kind TEXT, value TEXT)")
    conn.execute("DELETE FROM temp.import_keys")
    conn.executemany("INSERT INTO temp.import_keys VALUES ('x', ?)", ((v,) for v in external_ids))
    conn.executemany("INSERT INTO temp.import_keys VALUES ('e', ?)", ((v,) for v in emails))
    by_external = dict(
        conn.execute(
            "SELECT l.external_id, l.id FROM temp.import_keys k "
            "JOIN leads l ON l.external_id = k.value WHERE k.kind = 'x'"
        ).fetchall()
    )
    by_email = dict(
        conn.execute(
            "SELECT l.email, min(l.id) FROM temp.import_keys k "
            "JOIN leads l ON l.email = k.value WHERE k.kind = 'e' GROUP BY l.email"
        ).fetchall()
    )
    return by_external, by_email


def insert(conn: sqlite3.Connection, rows: Sequence[dict[str, Any]], created_at: int) -> list[int]:
    """New leads (stage 'nurturing'), in one executemany; returns their ids in order.

    The caller holds the write transaction, so the new ids are the next ones in turn.
    """
    if not rows:
        return []
    names = [*CONTACT_FIELDS, "uid", "created_at", "custom"]
    before = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    conn.executemany(
        f"INSERT INTO leads({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        (
            [row.get(field) for field in CONTACT_FIELDS]
            + [str(uuid.uuid4()), row.get("created_at") or created_at, row.get("custom")]
            for row in rows
        ),
    )
    after = conn.execute("SELECT max(id) FROM leads").fetchone()[0]
    if after - before != len(rows):
        raise RuntimeError("lead ids were not allocated in turn; is another writer active?")
    return list(range(before + 1, after + 1))


def update(conn: sqlite3.Connection, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Contact fields from the file, where the file has a value; custom fields merged.
    Stage, owner, score and the rest of the projection are never touched."""
    assignments = ", ".join(f"{field} = coalesce(:{field}, {field})" for field in CONTACT_FIELDS)
    conn.executemany(
        f"UPDATE leads SET {assignments}, "
        "custom = CASE WHEN :custom IS NULL THEN custom "
        "  ELSE json_patch(coalesce(custom, '{}'), :custom) END WHERE id = :id",
        (
            {field: row.get(field) for field in CONTACT_FIELDS}
            | {"custom": row.get("custom"), "id": lead_id}
            for lead_id, row in rows
        ),
    )
