"""Many rows at once (the demo, a big import): inside the caller's transaction the
tables' indexes and the log's counting triggers are set aside while the rows go in,
then the indexes are built once and the counts the triggers keep are worked out over
the new rows in a few statements, leaving the file as row-by-row writing leaves it.

A failure anywhere rolls back with the transaction, indexes and triggers included
(SQLite's schema changes are transactional): a bulk load lands whole or not at all.
A unique index that the new rows break is refused when it is built again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from leadtui.store.migrations_later import MOVES

# The tables bulk loads fill; their indexes wait until the rows are in.
FILLED = ("leads", "events", "activities", "score_factors")
# The triggers that fire on each inserted row and whose work is redone here over all
# the new rows at once. Any other trigger stays in place and fires as usual.
REDONE = (
    "leads_added_forget_scoring",
    "attempt_counted",
    "attempt_taken_back",
    "move_counted",
    "move_taken_back",
)
# An intake at least this big, into a file holding fewer leads than it brings, takes
# the bulk path: below it, or onto a file with more leads than the intake (whose
# indexes would be rebuilt over all of them), row-by-row writing is as quick.
BULK_FROM = 5_000


@dataclass(frozen=True)
class SetAside:
    """What was taken out of the schema, in the order it was made, and where the
    tables ended when it was."""

    indexes: list[tuple[str, str]]  # (name, CREATE statement)
    triggers: list[tuple[str, str]]
    last_lead: int
    last_event: int


def worth_it(conn: sqlite3.Connection, records: int) -> bool:
    """Whether an intake of `records` should take the bulk path (see BULK_FROM)."""
    if records < BULK_FROM:
        return False
    here = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    return bool(here < records)


def set_aside(conn: sqlite3.Connection) -> SetAside:
    """Drop the filled tables' own indexes and the counting triggers; the caller holds
    the write transaction."""
    marks = ", ".join("?" for _ in FILLED)
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY rowid",
        FILLED,
    ).fetchall()
    names = ", ".join("?" for _ in REDONE)
    triggers = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names}) "
        "ORDER BY rowid",
        REDONE,
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    last_lead = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    last_event = conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    return SetAside(indexes, triggers, int(last_lead), int(last_event))


def put_back(conn: sqlite3.Connection, aside: SetAside) -> None:
    """Build the indexes once, do the triggers' work over the rows added since
    `set_aside`, and make the triggers again, as they were."""
    for _, statement in aside.indexes:
        conn.execute(statement)
    dropped = {name for name, _ in aside.triggers}
    if "leads_added_forget_scoring" in dropped and _added_leads(conn, aside):
        conn.execute("DELETE FROM meta WHERE key = 'scored_with'")
    if {"attempt_counted", "attempt_taken_back"} <= dropped:
        _count_attempts(conn, aside.last_event)
    if {"move_counted", "move_taken_back"} <= dropped:
        _count_moves(conn, aside.last_event)
    for _, statement in aside.triggers:
        conn.execute(statement)


def _added_leads(conn: sqlite3.Connection, aside: SetAside) -> bool:
    found = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    return bool(found > aside.last_lead)


def _count_attempts(conn: sqlite3.Connection, after: int) -> None:
    """What attempt_counted and attempt_taken_back would have done, one new event at a
    time: each attempt counted in its slot, each undo of an attempt counted out."""
    conn.execute(
        "INSERT INTO attempt_slots "
        "SELECT actor, at / 900, json_extract(payload, '$.channel'), "
        "  json_extract(payload, '$.outcome'), count(*) "
        "FROM events WHERE seq > ? AND kind = 'attempt' GROUP BY 1, 2, 3, 4 "
        "ON CONFLICT DO UPDATE SET attempts = attempts + excluded.attempts",
        (after,),
    )
    conn.execute(
        "UPDATE attempt_slots SET attempts = attempts - back.taken FROM ("
        "  SELECT a.actor AS rep, a.at / 900 AS slot, "
        "    json_extract(a.payload, '$.channel') AS channel, "
        "    json_extract(a.payload, '$.outcome') AS outcome, count(*) AS taken "
        "  FROM events u JOIN events a "
        "    ON a.id = json_extract(u.payload, '$.event') AND a.kind = 'attempt' "
        "  WHERE u.seq > ? AND u.kind = 'undone' GROUP BY 1, 2, 3, 4) AS back "
        "WHERE attempt_slots.rep = back.rep AND attempt_slots.slot = back.slot "
        "  AND attempt_slots.channel = back.channel AND attempt_slots.outcome = back.outcome",
        (after,),
    )


def _count_moves(conn: sqlite3.Connection, after: int) -> None:
    """What move_counted and move_taken_back would have done, over the new events."""
    source = "coalesce(l.source, 'unknown')"
    reason = "coalesce(json_extract(e.payload, '$.reason'), '')"
    conn.execute(
        f"INSERT INTO move_slots SELECT e.at / 900, e.actor, {source}, e.kind, {reason}, "
        "  count(*) "
        "FROM events e LEFT JOIN leads l ON l.id = e.lead_id "
        f"WHERE e.seq > ? AND e.kind IN {MOVES} GROUP BY 1, 2, 3, 4, 5 "
        "ON CONFLICT DO UPDATE SET moves = moves + excluded.moves",
        (after,),
    )
    conn.execute(
        "UPDATE move_slots SET moves = moves - back.taken FROM ("
        f"  SELECT e.at / 900 AS slot, e.actor AS rep, {source} AS source, e.kind AS kind, "
        f"    {reason} AS reason, count(*) AS taken "
        "  FROM events u JOIN events e "
        f"    ON e.id = json_extract(u.payload, '$.event') AND e.kind IN {MOVES} "
        "  JOIN leads l ON l.id = e.lead_id "
        "  WHERE u.seq > ? AND u.kind = 'undone' GROUP BY 1, 2, 3, 4, 5) AS back "
        "WHERE move_slots.slot = back.slot AND move_slots.rep = back.rep "
        "  AND move_slots.source = back.source AND move_slots.kind = back.kind "
        "  AND move_slots.reason = back.reason",
        (after,),
    )
