"""Deterministic demo data (written by `generator`), and the instant it is set at.

Kept light: opening the app on the demo needs the demo's clock, not its generator.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadtui.store import Store

# A Tuesday, 10:40 in Chicago: mid-morning, the queue is moving.
DEMO_NOW = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)
DEMO_SEED = 7
DEMO_LEADS = 5000

META_NOW = "demo_now"


def demo_now(store: Store) -> datetime | None:
    """The instant a demo database was written for, if it is one."""
    found = store.meta(META_NOW)
    return None if found is None else datetime.fromisoformat(found)
