"""Sync with a team server: an httpx client (`client`) and the outbox round (`outbox`)."""

from leadtui.sync.client import (
    Conflict,
    Forbidden,
    Offline,
    ServerError,
    SyncError,
    TeamServer,
    TooBig,
    Unauthorized,
)
from leadtui.sync.outbox import Synced, sync_once

__all__ = [
    "Conflict",
    "Forbidden",
    "Offline",
    "ServerError",
    "SyncError",
    "Synced",
    "TeamServer",
    "TooBig",
    "Unauthorized",
    "sync_once",
]
