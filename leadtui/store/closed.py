"""The closed history calibration learns from: won and lost leads, their card, and how
often they did each kind of activity up to their hand-off (or their close)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from leadtui.core.models import CONTACT_FIELDS


def handed_over(conn: sqlite3.Connection) -> list[int]:
    """Won and lost leads that were handed to sales, oldest first."""
    cursor = conn.execute(
        "SELECT id FROM leads WHERE stage IN ('won', 'lost') AND mql_at IS NOT NULL ORDER BY id"
    )
    return [int(lead_id) for (lead_id,) in cursor.fetchall()]


def activity_kinds(conn: sqlite3.Connection) -> list[str]:
    return [
        str(kind) for (kind,) in conn.execute("SELECT DISTINCT kind FROM activities ORDER BY 1")
    ]


def history(
    conn: sqlite3.Connection, columns: Sequence[str], kinds: Sequence[str]
) -> list[tuple[Any, ...]]:
    """For each won or lost lead, oldest first: its stage, its `columns` (fields of the
    card), and its count of each of `kinds` of activity up to its hand-off or close."""
    if unknown := [name for name in columns if name not in CONTACT_FIELDS]:
        raise ValueError(f"a lead's card has no field named {', '.join(unknown)}")
    count = (
        "(SELECT count(*) FROM activities a WHERE a.lead_id = l.id AND a.kind = ? "
        "AND a.at <= coalesce(l.mql_at, l.closed_at))"
    )
    selected = ["l.stage", *(f"l.{name}" for name in columns), *(count for _ in kinds)]
    cursor = conn.execute(
        f"SELECT {', '.join(selected)} FROM leads l WHERE l.stage IN ('won', 'lost') ORDER BY l.id",
        tuple(kinds),
    )
    return cursor.fetchall()
