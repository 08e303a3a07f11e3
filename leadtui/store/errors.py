"""What can go wrong with the database file, as types the edges can show in one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """Something about the database file stopped an operation; nothing was half-written."""


class NotALeadtuiDatabase(StoreError):
    pass


class NewerSchema(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class DiskFull(StoreError):
    pass


class UnknownLead(StoreError):
    pass


class NothingToUndo(StoreError):
    pass


class VersionConflict(StoreError):
    """The lead changed since it was read: somebody else got there first."""

    def __init__(self, lead_id: int, expected: int, actual: int, owner: str | None) -> None:
        self.lead_id = lead_id
        self.expected = expected
        self.actual = actual
        self.owner = owner
        held = f"; it is now {owner}'s" if owner else ""
        super().__init__(f"lead {lead_id} changed since you opened it{held}")


class Clash(ValueError):
    """A lead sent with an external id another lead already has."""


def translate(error: sqlite3.Error, path: Path | str) -> StoreError:
    """One plain sentence for a sqlite3 error, naming the file."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(f"{path} is locked by another program; close it and try again")
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFull(f"{path}: the disk is full; nothing was written")
    if "not a database" in text or "malformed" in text:
        return NotALeadtuiDatabase(f"{path} is not a leadtui database (or it is damaged)")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} is read-only; nothing was written")
    if "unable to open" in text:
        return StoreError(
            f"{path} cannot be opened (does the folder exist and can you write to it?)"
        )
    return StoreError(f"{path}: {error}")
