"""Bearer tokens for the team server: one per rep, shown once, kept only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3

from leadtui.store import Store

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS server_tokens ("
    "rep TEXT PRIMARY KEY REFERENCES reps(id), digest TEXT NOT NULL UNIQUE)"
)


def digest(token: str) -> str:
    """What is kept of a token. Tokens are 32 random bytes: a plain hash is enough,
    there is nothing to guess from."""
    return hashlib.sha256(token.encode()).hexdigest()


def new() -> str:
    return secrets.token_urlsafe(32)


def issue(store: Store, rep: str) -> str:
    """A new token for `rep` (replacing any earlier one); the caller shows it once."""
    token = new()
    with store.transaction() as conn:
        conn.execute(SCHEMA)
        conn.execute(
            "INSERT INTO server_tokens(rep, digest) VALUES (?, ?) "
            "ON CONFLICT(rep) DO UPDATE SET digest = excluded.digest",
            (rep, digest(token)),
        )
    return token


def rep_of(conn: sqlite3.Connection, token: str) -> str | None:
    """The rep a token belongs to, or None."""
    kept = digest(token)
    try:
        found = conn.execute(
            "SELECT rep, digest FROM server_tokens WHERE digest = ?", (kept,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no token issued yet
    if found is None or not hmac.compare_digest(found[1], kept):
        return None
    return str(found[0])
