"""Keeping each lead's SLA arithmetic: the next deadline of an open lead (the column
the urgent queue is read by), and for every lead handed over, when its first touch
was due, the business seconds its first touch and first connect took, and when its
cadence ends (the columns the team lead's reports read)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from leadtui.core.agreement import SlaTerms
from leadtui.core.calendar import BusinessCalendar, Timeline
from leadtui.core.sla import next_due
from leadtui.store import rows
from leadtui.store.migrations import OPEN_STAGES_SQL

WORKED_OUT_WITH = "sla_worked_out_with"  # meta: the SLA terms every lead was worked out by
MARGIN = timedelta(days=90)
FEW = 50  # leads; more than this, lay the calendar out once (a Timeline)
_KEPT = rows.kept("mql_at", "first_touch_at", "first_connect_at", "snoozed_until")


def fingerprint(terms: SlaTerms) -> str:
    return hashlib.sha256(terms.model_dump_json().encode()).hexdigest()


def refresh(
    conn: sqlite3.Connection,
    terms: SlaTerms,
    calendar: BusinessCalendar,
    *,
    lead_ids: Sequence[int] | None = None,
) -> int:
    """Set next_due_at from the core's SLA schedule, for the given leads or for every
    open one (closed leads owe nothing: their deadline is cleared); and work out the
    SLA arithmetic of the given leads, or of every lead handed over."""
    if lead_ids is None:
        conn.execute(
            f"UPDATE leads SET next_due_at = NULL WHERE NOT ({OPEN_STAGES_SQL}) "
            "AND next_due_at IS NOT NULL"
        )
        cursor = conn.execute(f"SELECT * FROM leads WHERE {OPEN_STAGES_SQL}")
    else:
        marks = ", ".join("?" for _ in lead_ids)
        cursor = conn.execute(f"SELECT * FROM leads WHERE id IN ({marks})", tuple(lead_ids))
    found = [rows.lead_from_row(row) for row in rows.dict_rows(cursor)]
    conn.executemany(
        "UPDATE leads SET next_due_at = ? WHERE id = ?",
        ((rows.epoch(next_due(lead, terms, calendar)), lead.id) for lead in found),
    )
    work_out(conn, terms, calendar, lead_ids=lead_ids)
    return len(found)


def work_out(
    conn: sqlite3.Connection,
    terms: SlaTerms,
    calendar: BusinessCalendar,
    *,
    lead_ids: Sequence[int] | None = None,
) -> None:
    """The SLA arithmetic of the given leads (or of every lead handed over, after
    which the file records which terms it was worked out by)."""
    where = "mql_at IS NOT NULL"
    args: tuple[object, ...] = ()
    if lead_ids is not None:
        where += f" AND id IN ({', '.join('?' for _ in lead_ids)})"
        args = tuple(lead_ids)
    # A lead holding a time from outside the dates leadtui keeps has no clock to work out.
    conn.execute(
        "UPDATE leads SET touch_due_at = NULL, to_first_touch = NULL, to_first_connect = NULL, "
        f"cadence_ends_at = NULL WHERE {where} AND NOT ({_KEPT})",
        args,
    )
    handed = conn.execute(
        "SELECT id, source, mql_at, first_touch_at, first_connect_at FROM leads "
        f"WHERE {where} AND {_KEPT}",
        args,
    ).fetchall()
    if handed:
        timeline: Timeline | _Direct = _Direct(calendar)  # a few leads: no layout needed
        if len(handed) > FEW:
            first = min(row[2] for row in handed)
            last = max(max(row[2], row[3] or 0, row[4] or 0) for row in handed)
            timeline = Timeline(
                calendar,
                datetime.fromtimestamp(first, UTC) - MARGIN,
                datetime.fromtimestamp(last, UTC) + MARGIN,
            )
        targets = {source: minutes * 60 for source, minutes in terms.first_touch_minutes.items()}
        cadence = int((calendar.day_length() * terms.cadence.over_business_days).total_seconds())
        conn.executemany(
            "UPDATE leads SET touch_due_at = ?, to_first_touch = ?, to_first_connect = ?, "
            "cadence_ends_at = ? WHERE id = ?",
            (
                (
                    timeline.add(handed_at, targets.get(source, targets["default"])),
                    None if touch is None else timeline.between(handed_at, touch),
                    None if connect is None else timeline.between(handed_at, connect),
                    timeline.add(handed_at, cadence),
                    lead_id,
                )
                for lead_id, source, handed_at, touch, connect in handed
            ),
        )
    if lead_ids is None:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (WORKED_OUT_WITH, fingerprint(terms)),
        )


class _Direct:
    """The calendar itself on seconds since the epoch, for a lead or two."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar

    def add(self, start: int, seconds: int) -> int:
        moment = self.calendar.add(datetime.fromtimestamp(start, UTC), timedelta(seconds=seconds))
        return int(moment.timestamp())

    def between(self, start: int, end: int) -> int:
        span = self.calendar.between(
            datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC)
        )
        return int(span.total_seconds())
