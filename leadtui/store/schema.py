"""The database file: which schema version it holds, bringing it forward (the steps
are in `migrations`), and opening it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from leadtui.store import migrations, migrations_later
from leadtui.store.errors import NewerSchema, NotALeadtuiDatabase

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION = "leadtui"
MIGRATIONS = (*migrations.MIGRATIONS, *migrations_later.MIGRATIONS)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database | sqlite3.Connection) -> int:
    """0 for an empty file; raises for a file that is not ours."""
    conn = _conn(db)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return 0
    if "meta" not in tables:
        raise NotALeadtuiDatabase(f"{_name(conn)} is a SQLite file, but not a leadtui database")
    rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if rows.get("application") != APPLICATION:
        raise NotALeadtuiDatabase(f"{_name(conn)} is a SQLite file, but not a leadtui database")
    return int(rows.get("schema_version", 0))


def migrate(db: sqlite_utils.Database | sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the file forward to `target`, each step in its own transaction.

    Returns the version the file had before. A file newer than this code is
    refused: an older leadtui must not write into a schema it does not know.
    """
    conn = _conn(db)
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise NewerSchema(
            f"{_name(conn)} was written by a newer leadtui (schema {found}; this one knows "
            f"up to {SCHEMA_VERSION}); upgrade leadtui to open it"
        )
    if found >= target:
        return found
    import sqlite_utils  # only to migrate: opening an up-to-date file stays quick

    tables = db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(conn)
    for version in range(found + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](tables)
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES "
                "('application', ?), ('schema_version', ?)",
                (APPLICATION, str(version)),
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found


def _conn(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def _name(conn: sqlite3.Connection) -> str:
    for _, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return str(Path(file)) if file else ":memory:"
    return "database"


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode: the store opens its own transactions."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5)
    return conn
