"""A team moving from one file to PostgreSQL: the file's reps (with their tokens),
leads and log copied into an empty database, in one transaction.

Each event keeps its place in the feed (its position is the file's sequence number),
so the reps' files go on syncing from where they were, with the tokens they have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from leadtui.core.models import Projection
from leadtui.server.on_postgres import PostgresTeam
from leadtui.server.pg_schema import LEAD_COLUMNS
from leadtui.server.storage import Unavailable
from leadtui.store import Store

TIMES = {
    name for name, field in Projection.model_fields.items() if "datetime" in str(field.annotation)
} | {"created_at"}
REP_COLUMNS = ("id", "name", "team", "role", "capacity", "time_zone")
EVENT_COLUMNS = ("id", "lead_id", "kind", "actor", "at", "payload", "position")


class NotEmpty(Exception):
    """The database already holds a team."""


class NotATeamFile(Exception):
    """The file is not a team server's: a rep's own, say."""


@dataclass(frozen=True)
class Copied:
    reps: int
    tokens: int
    leads: int
    events: int


def copy_file(store: Store, team: PostgresTeam) -> Copied:
    try:
        with team.pool.connection() as conn, conn.transaction():
            return _copy(store, conn)
    except psycopg.Error as error:
        raise Unavailable(f"copying into {team.where} failed: {error}") from None


def _copy(source: Store, conn: psycopg.Connection[Any]) -> Copied:
    held = conn.execute("SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM reps)")
    leads, reps_there = held.fetchone() or (0, 0)
    if leads or reps_there:
        raise NotEmpty(
            f"the database already holds a team ({leads:,} leads, {reps_there} reps): "
            "copy into one without"
        )
    conn.execute("LOCK TABLE reps, tokens, leads, events, feed_head IN EXCLUSIVE MODE")
    if not source.keeps_tokens():
        raise NotATeamFile(
            "it holds no reps' tokens: copy the team server's file (the one leadtui serve "
            "--db serves), not a rep's own"
        )
    reps = list(source.rows_to_copy("reps", REP_COLUMNS))
    _copy_rows(conn, "reps", REP_COLUMNS, reps)
    tokens = list(source.rows_to_copy("server_tokens", ("rep", "digest")))
    _copy_rows(conn, "tokens", ("rep", "digest"), tokens)
    timed = [name in TIMES for name in LEAD_COLUMNS]
    leads = (
        tuple(
            _moment(value) if is_time else value for is_time, value in zip(timed, row, strict=True)
        )
        for row in source.rows_to_copy("leads", LEAD_COLUMNS)
    )
    lead_count = _copy_rows(conn, "leads", LEAD_COLUMNS, leads)
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('leads', 'id'), "
        "greatest((SELECT max(id) FROM leads), 1))"
    )
    events = (
        (row[0], row[1], row[2], row[3], _moment(row[4]), _json(row[5]), row[6])
        for row in source.rows_to_copy(
            "events", ("id", "lead_id", "kind", "actor", "at", "payload", "seq")
        )
    )
    event_count = _copy_rows(conn, "events", EVENT_COLUMNS, events)
    # The file's feed ends at its last seq, events about no lead (a rescoring's summary)
    # included: reps' cursors may stand there, so the next position comes after it.
    end = source.last_seq()
    conn.execute("UPDATE feed_head SET position = %s", (end,))
    return Copied(len(reps), len(tokens), lead_count, event_count)


def _copy_rows(
    conn: psycopg.Connection[Any], table: str, columns: tuple[str, ...], rows: Any
) -> int:
    count = 0
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _moment(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _json(text: str | None) -> str:
    return "{}" if not text else json.dumps(json.loads(text), ensure_ascii=False)
