"""A test's own look at a store's file: a second connection, as another program would
open it, to set up an old or odd file and to check what the file holds. The store's
connection stays the store's: what a test sees here is what was committed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from leadtui.store import Store

Params = Sequence[Any] | dict[str, Any]


@contextmanager
def connected(file: Store | Path) -> Iterator[sqlite3.Connection]:
    """A connection of its own in autocommit: each statement lands as it runs."""
    path = file.path if isinstance(file, Store) else file
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        yield conn
    finally:
        conn.close()


def rows(file: Store | Path, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
    with connected(file) as conn:
        return conn.execute(sql, params).fetchall()


def value(file: Store | Path, sql: str, params: Params = ()) -> Any:
    """The first column of the first row; a query that finds no row fails the test."""
    found = rows(file, sql, params)
    assert found, f"no row for {sql}"
    return found[0][0]


def run(file: Store | Path, sql: str, params: Params = ()) -> None:
    with connected(file) as conn:
        conn.execute(sql, params)


def run_many(file: Store | Path, sql: str, params: Iterable[Params]) -> None:
    with connected(file) as conn:
        conn.execute("BEGIN")
        conn.executemany(sql, params)
        conn.execute("COMMIT")
