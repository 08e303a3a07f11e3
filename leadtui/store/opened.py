"""The database file opened: its settings, and transactions on its one connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from leadtui.store import schema
from leadtui.store.errors import StoreError, translate


class OpenedFile:
    """One connection to one file. Nothing outside the store package holds the
    connection: they ask for transactions and savepoints, and the store's methods
    run the statements."""

    def __init__(self, path: Path | str, *, durable: bool = False) -> None:
        self.path = Path(path)
        self._depth = 0  # transactions open: the outermost is BEGIN, the rest savepoints
        try:
            self._conn = schema.connect(self.path)
            self._conn.execute("PRAGMA busy_timeout = 5000")
            schema.schema_version(self._conn)  # refuse a foreign file before writing to it
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            # Rescoring sorts and groups millions of rows: keep that work in memory.
            self._conn.execute("PRAGMA temp_store = MEMORY")
            self._conn.execute("PRAGMA cache_size = -65536")
            schema.migrate(self._conn)
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        except StoreError:
            self._conn.close()
            raise

    def limit_cache(self, megabytes: int) -> None:
        """Keep fewer pages in this process: a reader of one page at a time gains
        little from a big cache (the OS caches the file), and a long-running app
        should stay small."""
        self._conn.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")

    def compact(self) -> None:
        """Leave the file in one piece and as small as it goes, readable without side
        files (a rollback journal instead of the write-ahead log): a file to copy or
        to commit, such as the demo."""
        self._conn.execute("PRAGMA journal_mode = DELETE")
        # VACUUM writes the file afresh into a temporary database: kept in memory, that
        # is a second copy of the whole file (1.4 GB for a million demo leads).
        self._conn.execute("PRAGMA temp_store = FILE")
        try:
            self._conn.execute("VACUUM")
        finally:
            self._conn.execute("PRAGMA temp_store = MEMORY")

    @contextmanager
    def reporting_progress(self, tick: Callable[[], int], every: int) -> Iterator[None]:
        """While inside, SQLite calls `tick` every `every` steps of its work, so a long
        statement can show it is alive; a tick that returns non-zero stops it."""
        self._conn.set_progress_handler(tick, every)
        try:
            yield
        finally:
            self._conn.set_progress_handler(None, 0)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; a failure anywhere inside rolls all of it back. Inside
        another one it is a savepoint: a whole import (its leads, their hand-overs,
        the rescoring) lands as one, or nothing of it does."""
        with self._writing():
            yield

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the open transaction that fails on its own: what it wrote is rolled
        back and the failure goes on to the caller, while the transaction around it
        stays open (a batch of pushed events, each refused one leaving no trace)."""
        if not self._depth:
            raise RuntimeError("a savepoint is part of a transaction: open one first")
        with self._writing():
            yield

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """transaction(), with the connection for the store's own modules to write on."""
        if self._depth:
            with self._nested() as conn:
                yield conn
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        self._depth = 1
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as failure:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(failure, sqlite3.Error):
                raise translate(failure, self.path) from None
            raise
        finally:
            self._depth = 0

    @contextmanager
    def _nested(self) -> Iterator[sqlite3.Connection]:
        name = f"inner_{self._depth}"
        self._conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self._conn
        except BaseException as failure:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            if isinstance(failure, sqlite3.Error):
                raise translate(failure, self.path) from None
            raise
        else:
            self._conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1
