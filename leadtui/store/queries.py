"""Read-side queries: the queue in keyset pages, counts, a lead's history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from leadtui.core.models import PROJECTION_FIELDS, Activity, Lead, Projection, Rep
from leadtui.store import rows
from leadtui.store.schema import OPEN_STAGES_SQL


class View(StrEnum):
    """Which slice of the open leads a queue shows."""

    MINE = "mine"  # open leads the rep owns
    UNASSIGNED = "unassigned"  # MQLs nobody has claimed
    ALL = "all"  # every open lead: the team lead's view


@dataclass(frozen=True)
class Cursor:
    """Where a page ended, in queue order. Urgent leads (a deadline before `soon`) come
    first by deadline, then id; the rest by score (high first), MQL age, then id."""

    score: int
    mql_at: int
    id: int
    urgent: bool = False
    due: int = 0


# A cursor before every lead of the non-urgent part: no score is this high.
REST_FROM_START = Cursor(score=2**62, mql_at=0, id=0)


@dataclass(frozen=True)
class Page:
    leads: list[Lead]
    next: Cursor | None  # None on the last page


@dataclass(frozen=True)
class Counts:
    open: int = 0
    mine: int = 0
    unassigned: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    by_owner: dict[str, int] = field(default_factory=dict)


def projection(conn: sqlite3.Connection, lead_id: int) -> Projection | None:
    names = ", ".join(PROJECTION_FIELDS)
    cursor = conn.execute(f"SELECT {names} FROM leads WHERE id = ?", (lead_id,))
    found = rows.dict_rows(cursor)
    return rows.projection_from_row(found[0]) if found else None


def queue_page(
    conn: sqlite3.Connection,
    view: View,
    *,
    rep: str | None = None,
    after: Cursor | None = None,
    limit: int = 50,
    soon: int | None = None,
) -> Page:
    """One page of the queue, continuing after `after`; never OFFSET, so page 20,000 is as
    quick as page 1. With `soon` (Unix seconds), leads whose next SLA step is due by
    then (breached included) come first, soonest deadline first. The WHERE text repeats
    OPEN_STAGES_SQL so the partial indexes apply."""
    where = [OPEN_STAGES_SQL]
    params: dict[str, object] = {}
    if view is View.MINE:
        if rep is None:
            raise ValueError("the 'mine' view needs a rep")
        where.append("owner = :rep")
        params["rep"] = rep
    elif view is View.UNASSIGNED:
        where.append("owner IS NULL")
    found: list[dict[str, Any]] = []
    if soon is not None and (after is None or after.urgent):
        urgent = [*where, "next_due_at <= :soon"]
        if after is not None:
            urgent.append("(next_due_at, id) > (:due, :id)")
        keyset = {"due": after.due, "id": after.id} if after else {}
        found = _select(
            conn, urgent, "next_due_at, id", limit + 1, params | {"soon": soon} | keyset
        )
        if len(found) > limit:
            return _page(found[:limit], urgent=True)
        after = None  # the rest of the queue, from its start
    rest = list(where)
    if soon is not None:
        rest.append("(next_due_at IS NULL OR next_due_at > :soon)")
        params["soon"] = soon
    if after is not None:
        rest.append(
            "score <= :score AND (score < :score OR mql_at > :mql_at "
            "OR (mql_at = :mql_at AND id > :id))"
        )
        params.update(score=after.score, mql_at=after.mql_at, id=after.id)
    more = _select(conn, rest, "score DESC, mql_at, id", limit + 1 - len(found), params)
    if len(found) == limit and more:  # the urgent part filled the page exactly
        return Page([rows.lead_from_row(row) for row in found], REST_FROM_START)
    if len(found) + len(more) > limit:
        return _page(found + more[: limit - len(found)], urgent=False)
    return Page([rows.lead_from_row(row) for row in found + more], None)


def _select(
    conn: sqlite3.Connection, where: list[str], order: str, limit: int, params: dict[str, object]
) -> list[dict[str, Any]]:
    cursor = conn.execute(
        f"SELECT * FROM leads WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit",
        params | {"limit": limit},
    )
    return rows.dict_rows(cursor)


def _page(found: list[dict[str, Any]], *, urgent: bool) -> Page:
    last = found[-1]
    cursor = Cursor(
        int(last["score"] or 0),
        int(last["mql_at"] or 0),
        int(last["id"] or 0),
        urgent=urgent,
        due=int(last["next_due_at"] or 0),
    )
    return Page([rows.lead_from_row(row) for row in found], cursor)


def counts(conn: sqlite3.Connection, rep: str | None = None) -> Counts:
    """How much is waiting, in one pass over the open leads' index."""
    by_stage: dict[str, int] = {}
    by_owner: dict[str, int] = {}
    total = unassigned = 0
    cursor = conn.execute(
        f"SELECT stage, owner, count(*) FROM leads WHERE {OPEN_STAGES_SQL} GROUP BY stage, owner"
    )
    for stage, owner, number in cursor.fetchall():
        total += number
        by_stage[stage] = by_stage.get(stage, 0) + number
        if owner is None:
            unassigned += number
        else:
            by_owner[owner] = by_owner.get(owner, 0) + number
    mine = by_owner.get(rep, 0) if rep else 0
    return Counts(total, mine, unassigned, by_stage, by_owner)


@dataclass(frozen=True)
class Load:
    rep: Rep
    open: int  # open leads the rep owns

    @property
    def free(self) -> int:
        """How many more leads the rep can take before reaching capacity."""
        return max(self.rep.capacity - self.open, 0)


def load(conn: sqlite3.Connection) -> list[Load]:
    """Every rep's open leads against their capacity, in one query."""
    cursor = conn.execute(
        "SELECT r.*, count(l.id) AS open_leads FROM reps r LEFT JOIN leads l "
        f"ON l.owner = r.id AND l.{OPEN_STAGES_SQL} GROUP BY r.id ORDER BY r.name"
    )
    loads = []
    for row in rows.dict_rows(cursor):
        open_leads = row.pop("open_leads")
        loads.append(Load(rows.rep_from_row(row), open_leads))
    return loads


def activities(conn: sqlite3.Connection, lead_id: int) -> list[Activity]:
    cursor = conn.execute("SELECT * FROM activities WHERE lead_id = ? ORDER BY at, id", (lead_id,))
    return [rows.activity_from_row(row) for row in rows.dict_rows(cursor)]
