"""The team server's tokens in its file: for each rep, the digest of their one token
(the token itself is never kept)."""

from __future__ import annotations

import sqlite3

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS server_tokens ("
    "rep TEXT PRIMARY KEY REFERENCES reps(id), digest TEXT NOT NULL UNIQUE)"
)


def keep(conn: sqlite3.Connection, rep: str, digest: str) -> None:
    conn.execute(SCHEMA)
    conn.execute(
        "INSERT INTO server_tokens(rep, digest) VALUES (?, ?) "
        "ON CONFLICT(rep) DO UPDATE SET digest = excluded.digest",
        (rep, digest),
    )


def holder(conn: sqlite3.Connection, digest: str) -> tuple[str, str] | None:
    try:
        found = conn.execute(
            "SELECT rep, digest FROM server_tokens WHERE digest = ?", (digest,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no token issued yet
    return None if found is None else (str(found[0]), str(found[1]))
