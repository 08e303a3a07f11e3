"""Recording an event: appended to the log and folded into its lead's projection, under
the policy the store acts by (the lifecycle's guard, the SLA deadline each change moves).

Every way an event gets into a file (a rep's action, an import's history, a pull from
the team server, a push the server takes in) comes through here, inside the caller's
transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from leadtui.core import lifecycle, moments
from leadtui.core.agreement import Agreement, SlaTerms
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import Event, EventKind, Projection, Role
from leadtui.core.projection import apply
from leadtui.store import due, queries, rows, undoing
from leadtui.store.errors import UnknownLead, VersionConflict

Guard = Callable[[Projection, Event], None]


@dataclass(frozen=True)
class Policy:
    """What a change is held to. `guard` checks it against the lead as it is, inside the
    change's transaction (raising refuses it); with `sla` known, each change also moves
    the lead's next deadline. The plain policy checks nothing and moves no deadline."""

    guard: Guard | None = None
    sla: tuple[SlaTerms, BusinessCalendar] | None = None

    @classmethod
    def under(cls, agreement: Agreement, role: Role = Role.REP) -> Policy:
        """The lifecycle's rules for `role`, and the agreement's SLA."""

        def guard(lead: Projection, event: Event) -> None:
            lifecycle.check(lead, event, agreement, role)

        return cls(guard=guard, sla=(agreement.sla, BusinessCalendar(agreement.sla)))

    def move_deadlines(self, conn: sqlite3.Connection, lead_ids: Sequence[int]) -> None:
        if self.sla is not None:
            due.refresh(conn, *self.sla, lead_ids=lead_ids)


def append(conn: sqlite3.Connection, event: Event) -> None:
    """Add `event` to the log, and nothing else (a summary of a run, about no lead)."""
    moments.check(event.at, f"the {event.kind.value} event's time")  # the last door
    conn.execute(
        "INSERT INTO events(id, lead_id, kind, actor, at, payload, synced_at) "
        "VALUES (:id, :lead_id, :kind, :actor, :at, :payload, :synced_at)",
        rows.event_row(event),
    )


def record(
    conn: sqlite3.Connection,
    event: Event,
    policy: Policy,
    expected_version: int | None = None,
    *,
    guarded: bool = True,
) -> None:
    """Append a lead's event and fold it into the lead's projection. With
    `expected_version`, a compare-and-swap: VersionConflict if the lead moved on.
    Unguarded, the event is taken as it happened (history from elsewhere)."""
    assert event.lead_id is not None
    current = queries.projection(conn, event.lead_id)
    if current is None:
        raise UnknownLead(f"there is no lead {event.lead_id}")
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(event.lead_id, expected_version, current.version, current.owner)
    if guarded and policy.guard is not None:
        policy.guard(current, event)
    append(conn, event)
    if event.kind is EventKind.UNDONE:  # a step taken back: project the lead from its log
        refold(conn, event.lead_id, policy)
        return
    before = rows.projection_row(current)
    after = rows.projection_row(apply(current, event))
    # Only the columns that moved: SQLite rewrites every index on a column it sets.
    changed = {name: value for name, value in after.items() if before[name] != value}
    assignments = ", ".join(f"{name} = :{name}" for name in changed)
    conn.execute(
        f"UPDATE leads SET {assignments} WHERE id = :lead_id",
        changed | {"lead_id": event.lead_id},
    )
    policy.move_deadlines(conn, [event.lead_id])


def refold(conn: sqlite3.Connection, lead_id: int, policy: Policy) -> None:
    """Project the lead from its whole log again (after a step was taken back)."""
    undoing.refold(conn, lead_id)
    policy.move_deadlines(conn, [lead_id])


def hand_over_many(conn: sqlite3.Connection, events: Sequence[Event], policy: Policy) -> None:
    """`became_mql` events, one a lead (an intake's hand-overs, taken as they happened),
    appended and folded at once: the UPDATE is core.projection.apply for BECAME_MQL
    written in SQL (a test folds the log to check it), then each lead's deadline."""
    for event in events:
        moments.check(event.at, f"the {event.kind.value} event's time")  # the last door
    conn.executemany(
        "INSERT INTO events(id, lead_id, kind, actor, at, payload, synced_at) "
        "VALUES (:id, :lead_id, :kind, :actor, :at, :payload, :synced_at)",
        (rows.event_row(event) for event in events),
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS handed(id INTEGER PRIMARY KEY, at INTEGER, "
        "score INTEGER, fit INTEGER, engagement INTEGER)"
    )
    conn.execute("DELETE FROM temp.handed")
    conn.executemany(
        "INSERT INTO temp.handed VALUES (?, ?, ?, ?, ?)",
        (
            (event.lead_id, rows.epoch(event.at))
            + tuple(_whole(event.payload.get(name)) for name in ("score", "fit", "engagement"))
            for event in events
        ),
    )
    conn.execute(
        "UPDATE leads SET stage = 'mql', mql_at = h.at, stage_changed_at = h.at, "
        "owner = NULL, claimed_at = NULL, first_touch_at = NULL, first_connect_at = NULL, "
        "last_attempt_at = NULL, calls = 0, emails = 0, snoozed_until = NULL, "
        "closed_at = NULL, accepted_at = NULL, qualified_at = NULL, mql_score = h.score, "
        "marketing_qualified_at = NULL, score = coalesce(h.score, leads.score), "
        "fit = coalesce(h.fit, leads.fit), "
        "engagement = coalesce(h.engagement, leads.engagement), version = version + 1 "
        "FROM temp.handed h WHERE leads.id = h.id"
    )
    conn.execute("DELETE FROM temp.handed")
    lead_ids = [event.lead_id or 0 for event in events]
    for start in range(0, len(lead_ids), _AT_ONCE):
        policy.move_deadlines(conn, lead_ids[start : start + _AT_ONCE])


_AT_ONCE = 10_000  # leads a deadline query names at once (SQLite takes 32,766 values)


def _whole(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
