"""The local SQLite store: schema, migrations, state changes and queries."""

from leadtui.store.errors import (
    DatabaseLocked,
    DiskFull,
    NewerSchema,
    NotALeadtuiDatabase,
    NothingToUndo,
    StoreError,
    UnknownLead,
    VersionConflict,
)
from leadtui.store.queries import SEARCH_MOST, Counts, Cursor, Due, Filter, Page, View
from leadtui.store.recording import Policy
from leadtui.store.schema import SCHEMA_VERSION
from leadtui.store.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "Counts",
    "Cursor",
    "Filter",
    "SEARCH_MOST",
    "DatabaseLocked",
    "DiskFull",
    "Due",
    "NewerSchema",
    "NotALeadtuiDatabase",
    "NothingToUndo",
    "Page",
    "Policy",
    "Store",
    "StoreError",
    "UnknownLead",
    "VersionConflict",
    "View",
]
