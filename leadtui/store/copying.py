"""A team's file read whole, row by row as it is kept, for moving the team into another
home (PostgreSQL). Table and column names come only from the lists here; a caller
picks among them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from leadtui.store.rows import LEAD_COLUMNS

# What can be copied: each table's columns, which of its rows, in which order.
COPYABLE: dict[str, tuple[tuple[str, ...], str]] = {
    "reps": (("id", "name", "team", "role", "capacity", "time_zone"), ""),
    "server_tokens": (("rep", "digest"), ""),
    "leads": (tuple(LEAD_COLUMNS), "ORDER BY id"),
    # Events about no lead (a rescoring's summary) stay with the file.
    "events": (
        ("id", "lead_id", "kind", "actor", "at", "payload", "seq"),
        "WHERE lead_id IS NOT NULL ORDER BY seq",
    ),
}


def keeps_tokens(conn: sqlite3.Connection) -> bool:
    """Whether a team server has issued tokens from this file (a rep's own has none)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'server_tokens'")
    return found.fetchone() is not None


def rows(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """`columns` of every row of `table` that moves, read as they are wanted."""
    if table not in COPYABLE:
        raise ValueError(f"{table} is not copied")
    kept, which = COPYABLE[table]
    if unknown := [name for name in columns if name not in kept]:
        raise ValueError(f"{table} has no column to copy named {', '.join(unknown)}")
    yield from conn.execute(f"SELECT {', '.join(columns)} FROM {table} {which}")
