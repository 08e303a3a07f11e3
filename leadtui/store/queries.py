"""Read-side queries: the queue in keyset pages, counts, a lead's history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from leadtui.core.models import PROJECTION_FIELDS, Activity, Projection, Rep, Stage
from leadtui.core.queue import QueueRow
from leadtui.store import rows
from leadtui.store.migrations import OPEN_STAGES_SQL


class View(StrEnum):
    """Which slice of the open leads a queue shows."""

    MINE = "mine"  # open leads the rep owns
    UNASSIGNED = "unassigned"  # MQLs nobody has claimed
    ALL = "all"  # every open lead: the team lead's view


@dataclass(frozen=True)
class Cursor:
    """Where a page ended, in queue order: the tier of the last lead shown (see
    queue_page) and its place in it. Urgent leads come by deadline, then id; the
    others by score (high first), MQL age, then id."""

    score: int
    mql_at: int
    id: int
    tier: int = 0
    due: int = 0


@dataclass(frozen=True)
class Page:
    leads: list[QueueRow]
    next: Cursor | None  # None on the last page


class Due(StrEnum):
    """Narrowing a view by SLA state (as the deadline index sees it)."""

    BREACHED = "breached"
    DUE_SOON = "due soon"
    SNOOZED = "snoozed"
    LATER = "on track"  # due after `soon`, or nothing due, and not connected
    CONNECTED = "connected"  # a call got through: the cadence is over (nothing due)


NOT_SNOOZED = "(snoozed_until IS NULL OR snoozed_until <= :now)"

DUE_SQL = {
    Due.BREACHED: "next_due_at < :now AND (snoozed_until IS NULL OR snoozed_until <= :now)",
    Due.DUE_SOON: "next_due_at BETWEEN :now AND :soon "
    "AND (snoozed_until IS NULL OR snoozed_until <= :now)",
    Due.SNOOZED: "snoozed_until > :now",
    Due.LATER: "(next_due_at IS NULL OR next_due_at > :soon) "
    f"AND first_connect_at IS NULL AND {NOT_SNOOZED}",
    Due.CONNECTED: f"first_connect_at IS NOT NULL AND {NOT_SNOOZED}",
}


@dataclass(frozen=True)
class Filter:
    """Narrowing a view: to one source, one stage, one SLA state; None means any."""

    source: str | None = None
    stage: Stage | None = None
    due: Due | None = None

    def sql(self, params: dict[str, object]) -> list[str]:
        """WHERE terms; an SLA state needs :now and :soon among `params`."""
        where = []
        if self.due is not None:
            if params.get("now") is None or params.get("soon") is None:
                raise ValueError("filtering by SLA state needs now and soon")
            where.append(f"({DUE_SQL[self.due]})")
        if self.source is not None:
            where.append("source = :source")
            params["source"] = self.source
        if self.stage is not None:
            where.append("stage = :stage")
            params["stage"] = self.stage.value
        return where


ANY = Filter()


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


def view_sql(view: View, rep: str | None, params: dict[str, object]) -> list[str]:
    """The WHERE terms of a view. They repeat OPEN_STAGES_SQL so the partial indexes apply."""
    where = [OPEN_STAGES_SQL]
    if view is View.MINE:
        if rep is None:
            raise ValueError("the 'mine' view needs a rep")
        where.append("owner = :rep")
        params["rep"] = rep
    elif view is View.UNASSIGNED:
        where.append("owner IS NULL")
    return where


def queue_page(
    conn: sqlite3.Connection,
    view: View,
    *,
    rep: str | None = None,
    after: Cursor | None = None,
    limit: int = 50,
    soon: int | None = None,
    now: int | None = None,
    today: int | None = None,
    stale: int | None = None,
    only: Filter = ANY,
) -> Page:
    """One page of the queue, continuing after `after`; never OFFSET, so page 20,000 is as
    quick as page 1. The queue is "what to do now", in tiers (Unix seconds):

    - with `soon`, leads whose next SLA step is due by then (breached included), the
      soonest deadline first;
    - with `today` too (when the business day closes), leads whose next step is due
      later today, by score;
    - then the rest by score: a step due on a later day, nothing owed, and (with `now`)
      a lead snoozed past `now`, until its snooze ends;
    - with `stale` (the pool's order), the soonest-due tier holds only leads still in
      time; after the rest come, by score, the leads already late, and last, by score,
      those whose deadline passed before `stale` (late by more than a business day):
      speed to lead decides whether a lead is reached at all.
    """
    params: dict[str, object] = {"now": now, "soon": soon, "today": today, "stale": stale}
    where = view_sql(view, rep, params) + only.sql(params)
    tiers = _tiers(soon, today, now, stale)
    found: list[tuple[int, tuple[Any, ...]]] = []
    for index, (terms, by_due) in enumerate(tiers):
        if after is not None and index < after.tier:
            continue
        keyset: list[str] = []
        if after is not None and index == after.tier:
            keyset = [_DUE_AFTER if by_due else _SCORE_AFTER]
            params.update(due=after.due, score=after.score, mql_at=after.mql_at, id=after.id)
        order = "next_due_at, id" if by_due else "score DESC, mql_at, id"
        more = _select(conn, [*where, *terms, *keyset], order, limit + 1 - len(found), params)
        found += [(index, row) for row in more]
        if len(found) > limit:
            break
    shown = [rows.queue_row(row) for _, row in found[:limit]]
    if len(found) <= limit:
        return Page(shown, None)
    last = shown[-1]
    cursor = Cursor(
        last.score,
        rows.epoch(last.mql_at) or 0,
        last.id,
        tier=found[limit - 1][0],
        due=rows.epoch(last.next_due_at) or 0,
    )
    return Page(shown, cursor)


_DUE_AFTER = "(next_due_at, id) > (:due, :id)"
_SCORE_AFTER = (
    "score <= :score AND (score < :score OR mql_at > :mql_at OR (mql_at = :mql_at AND id > :id))"
)


def _tiers(
    soon: int | None, today: int | None, now: int | None, stale: int | None = None
) -> list[tuple[list[str], bool]]:
    """The queue's tiers in order (core.queue.Tier): each its WHERE terms, and whether it
    goes by deadline (else by score). Their terms split the view: every lead is in
    exactly one. With `stale` (the pool, `now` given too), a lead already late comes
    after every lead still in time, and one late since before `stale` last."""
    if soon is None:
        return [([], False)]
    awake = ["(snoozed_until IS NULL OR snoozed_until <= :now)"] if now is not None else []
    pool = stale is not None and now is not None
    in_time = ["next_due_at >= :now"] if pool else []
    edge = ":today" if today is not None and today > soon else ":soon"
    tiers = [(["next_due_at <= :soon", *in_time, *awake], True)]
    if edge == ":today":
        tiers.append((["next_due_at > :soon", "next_due_at <= :today", *awake], False))
    later = f"next_due_at IS NULL OR next_due_at > {edge}"
    asleep = " OR NOT (snoozed_until IS NULL OR snoozed_until <= :now)" if awake else ""
    tiers.append(([f"({later}{asleep})"], False))
    if pool:
        tiers.append((["next_due_at < :now", "next_due_at >= :stale", *awake], False))
        tiers.append((["next_due_at < :stale", *awake], False))
    return tiers


def _select(
    conn: sqlite3.Connection, where: list[str], order: str, limit: int, params: dict[str, object]
) -> list[tuple[Any, ...]]:
    cursor = conn.execute(
        f"SELECT {rows.QUEUE_SELECT} FROM leads WHERE {' AND '.join(where)} "
        f"ORDER BY {order} LIMIT :limit",
        params | {"limit": limit},
    )
    return cursor.fetchall()


SEARCH_MOST = 200  # leads a search shows at most: a few letters more narrow it


def search(conn: sqlite3.Connection, text: str, limit: int = SEARCH_MOST) -> list[QueueRow]:
    """Leads of any stage whose name, company or email contains `text`, best score
    first. The text is a value bound to LIKE with its wildcards escaped, never SQL."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    cursor = conn.execute(
        f"SELECT {rows.QUEUE_SELECT} FROM leads WHERE name LIKE :p ESCAPE '\\' "
        "OR company LIKE :p ESCAPE '\\' OR email LIKE :p ESCAPE '\\' "
        "ORDER BY score DESC, id LIMIT :limit",
        {"p": pattern, "limit": limit},
    )
    return [rows.queue_row(row) for row in cursor.fetchall()]


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


def urgency(
    conn: sqlite3.Connection, view: View, rep: str | None, now: int, soon: int
) -> tuple[int, int]:
    """How many of the view's leads are breached, and how many more are due by `soon`
    (snoozed leads aside), from the deadline index."""
    params: dict[str, object] = {"now": now, "soon": soon}
    where = view_sql(view, rep, params)
    where += ["next_due_at <= :soon", "(snoozed_until IS NULL OR snoozed_until <= :now)"]
    breached, due = conn.execute(
        "SELECT coalesce(sum(next_due_at < :now), 0), coalesce(sum(next_due_at >= :now), 0) "
        f"FROM leads WHERE {' AND '.join(where)}",
        params,
    ).fetchone()
    return int(breached), int(due)


@dataclass(frozen=True)
class Load:
    rep: Rep
    open: int  # open leads the rep owns

    @property
    def free(self) -> int:
        """How many more leads the rep can take before reaching capacity."""
        return max(self.rep.capacity - self.open, 0)


def reps(conn: sqlite3.Connection) -> list[Rep]:
    cursor = conn.execute("SELECT * FROM reps ORDER BY name")
    return [rows.rep_from_row(row) for row in rows.dict_rows(cursor)]


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
