"""Keeping each open lead's next SLA deadline, the column the urgent queue is read by."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from leadtui.core.agreement import SlaTerms
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.sla import next_due
from leadtui.store import rows
from leadtui.store.schema import OPEN_STAGES_SQL


def refresh(
    conn: sqlite3.Connection,
    terms: SlaTerms,
    calendar: BusinessCalendar,
    *,
    lead_ids: Sequence[int] | None = None,
) -> int:
    """Set next_due_at from the core's SLA schedule, for the given leads or for every
    open one (closed leads owe nothing: their deadline is cleared)."""
    if lead_ids is None:
        conn.execute(f"UPDATE leads SET next_due_at = NULL WHERE NOT ({OPEN_STAGES_SQL}) "
                     "AND next_due_at IS NOT NULL")  # fmt: skip
        cursor = conn.execute(f"SELECT * FROM leads WHERE {OPEN_STAGES_SQL}")
    else:
        marks = ", ".join("?" for _ in lead_ids)
        cursor = conn.execute(f"SELECT * FROM leads WHERE id IN ({marks})", tuple(lead_ids))
    found = [rows.lead_from_row(row) for row in rows.dict_rows(cursor)]
    conn.executemany(
        "UPDATE leads SET next_due_at = ? WHERE id = ?",
        ((rows.epoch(next_due(lead, terms, calendar)), lead.id) for lead in found),
    )
    return len(found)
