"""Where a file stands with its CRM, as plain values for the command line and the app."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from leadtui.store import Store


def state_of(store: Store, system: str, key: Callable[[str, str], str]) -> dict[str, Any]:
    counts = store.crm_counts(system)
    # The moment the cursor holds: what a connector keeps after it (the records read at
    # that moment) is its own.
    cursor = (store.meta(key(system, "cursor")) or "").split("|")[0]
    try:
        budget = json.loads(store.meta(key(system, "budget")) or "{}")
    except ValueError:
        budget = {}
    return {
        "system": system,
        "cursor": _moment(cursor),
        "last_round": store.meta(key(system, "last_round")) or None,
        "last_error": store.meta(key(system, "last_error")) or None,
        "paused_until": store.meta(key(system, "paused_until")) or None,
        "budget": budget,
        "linked": counts.linked,
        "waiting": counts.waiting,
        "unsure": counts.unsure,
        "done": counts.done,
        "refused": counts.refused,
        "refusals": [
            {"event": r.event_id, "kind": r.kind, "lead": r.lead_name, "reason": r.reason}
            for r in store.refused_by_crm(system)
        ],
    }


def _moment(cursor: str) -> str | None:
    """The pull's cursor as a time: HubSpot keeps milliseconds, Salesforce its own
    SystemModstamp (ISO 8601)."""
    try:
        if cursor.isdigit():
            moment = datetime.fromtimestamp(int(cursor) / 1000, tz=UTC)
        else:
            moment = datetime.fromisoformat(cursor.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
