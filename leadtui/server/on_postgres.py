"""The team server's storage on PostgreSQL (extra `postgres`: psycopg 3 and its pool),
for a floor of reps syncing at once.

Many requests run side by side, one pooled connection each. A push locks the rows of
the leads it touches (in id order, so two pushes never wait on each other in a
circle), takes each event at most once (`ON CONFLICT DO NOTHING` on its UUID) and
publishes what it took to the feed just before it commits (see pg_schema). A claim
is a compare-and-swap on the lead's version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import partial, wraps
from typing import ParamSpec, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from leadtui.core.agreement import Agreement
from leadtui.core.models import CONTACT_FIELDS, Event, EventKind, Lead, Projection, Rep, Role
from leadtui.core.wire import Feed, HandedOff, HandOff, Pushed, WireEvent, WireLead, cut_long_text
from leadtui.server import pg_log, pg_schema, tokens
from leadtui.server.pg_hand_off import hand_off
from leadtui.server.pg_schema import PROJECTION
from leadtui.server.storage import (
    REFUSED,
    Caller,
    Held,
    NoSuchLead,
    PastTheEnd,
    Unavailable,
    fold_in,
    held,
    refusal,
    unknown_lead,
)
from leadtui.store.visibility import card_seen, event_seen

P = ParamSpec("P")
T = TypeVar("T")
Connection = pg_log.Connection


def _unavailable(method: Callable[P, T]) -> Callable[P, T]:
    """A database that is down, full or refusing becomes Unavailable (a 503)."""

    @wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except (psycopg.Error, PoolTimeout) as error:
            raise Unavailable(f"{type(error).__name__}: {error}") from None

    return guarded


def shown(url: str) -> str:
    """The database's address without its password, for logs and the first line."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(an address that does not parse)"
    parts.pop("password", None)
    host, port, name = parts.get("host", "localhost"), parts.get("port"), parts.get("dbname")
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"postgresql://{user}{host}{':' + str(port) if port else ''}/{name or ''}"


class PostgresTeam:
    def __init__(
        self, url: str, agreement: Agreement, *, pool_size: int = 10, wait: float = 10.0
    ) -> None:
        self.agreement = agreement
        self.where = shown(url)
        try:
            given = conninfo_to_dict(url).get("options") or ""
            conninfo = make_conninfo(url, options=f"{given} -c timezone=UTC".strip())
        except psycopg.ProgrammingError as error:
            raise Unavailable(f"{self.where}: {error}") from None
        # Each connection is checked as it leaves the pool: after the database restarts,
        # a dead one is replaced instead of failing a request.
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max(pool_size, 1),
            open=False,
            kwargs={"autocommit": True},
            name="leadtui",
            check=ConnectionPool.check_connection,
            timeout=5.0,  # a request waits at most this for a connection, then gets a 503
        )
        try:
            # One plain connection first: a database that is down or refuses says why,
            # at once, before the pool would retry it in the background.
            with psycopg.connect(
                conninfo, autocommit=True, connect_timeout=max(int(wait), 1)
            ) as conn:
                pg_schema.migrate(conn)
            self.pool.open(wait=True, timeout=wait)
        except (psycopg.Error, PoolTimeout) as error:
            self.pool.close()
            raise Unavailable(f"cannot use {self.where}: {pg_log.first_line(error)}") from None
        except pg_schema.TooNew:
            self.pool.close()
            raise

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.pool.connection() as conn, conn.transaction():
            yield conn

    # -- who is asking ------------------------------------------------------------

    @_unavailable
    def caller(self, token: str) -> Caller | None:
        with self.pool.connection() as conn:
            found = conn.execute(
                "SELECT t.rep, r.role FROM tokens t JOIN reps r ON r.id = t.rep "
                "WHERE t.digest = %s",
                (tokens.digest(token),),
            ).fetchone()
        return None if found is None else Caller(found[0], Role(found[1]))

    @_unavailable
    def reps(self) -> list[Rep]:
        with self.pool.connection() as conn:
            return _reps(conn)

    @_unavailable
    def add_rep(self, rep: Rep) -> str:
        token = tokens.new()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO reps (id, name, team, role, capacity, time_zone) "
                "VALUES (%(id)s, %(name)s, %(team)s, %(role)s, %(capacity)s, %(time_zone)s) "
                "ON CONFLICT (id) DO NOTHING",
                rep.model_dump(mode="json"),
            )
            conn.execute(
                "INSERT INTO tokens (rep, digest) VALUES (%s, %s) "
                "ON CONFLICT (rep) DO UPDATE SET digest = excluded.digest",
                (rep.id, tokens.digest(token)),
            )
        return token

    # -- the feed -------------------------------------------------------------------

    @_unavailable
    def changes(self, since: int, limit: int, viewer: str | None) -> Feed:
        seen = "" if viewer is None else f"AND {event_seen('l.owner', 'e.kind', '%(rep)s')}"
        with self._transaction() as conn:  # one snapshot: the head read with the page
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            head = pg_log.one(conn.execute("SELECT position FROM feed_head"))
            if since > head:
                raise PastTheEnd(since, head)
            found = conn.execute(
                "SELECT e.position, e.id, l.uid, e.kind, e.actor, e.at, e.payload, e.lead_id "
                "FROM events e JOIN leads l ON l.id = e.lead_id "
                f"WHERE e.position > %(since)s {seen} ORDER BY e.position LIMIT %(limit)s",
                {"since": since, "rep": viewer, "limit": limit + 1},
            ).fetchall()
            more = len(found) > limit
            found = found[:limit]
            leads = _cards(conn, sorted({row[7] for row in found}), viewer)
            reps = _reps(conn)
        events = [
            WireEvent(
                id=row[1],
                lead=row[2],
                kind=row[3],
                actor=row[4],
                at=row[5],
                payload=cut_long_text(row[6]),
            )
            for row in found
        ]
        end = found[-1][0] if more else max(since, head)
        return Feed(events=events, leads=leads, reps=reps, next=end, more=more)

    # -- writes -----------------------------------------------------------------------

    @_unavailable
    def push(self, events: Sequence[WireEvent], who: Caller) -> Pushed:
        result = Pushed()
        with self._transaction() as conn:
            leads = _locked(conn, sorted({wire.lead for wire in events}))
            known = _known(conn, [wire.id for wire in events])
            team = _team(conn)
            taken: list[int] = []
            for wire in events:
                if wire.id in known:
                    result.duplicates.append(wire.id)
                    continue
                if wire.lead not in leads:
                    result.refused.append(unknown_lead(wire))
                    continue
                lead_id, current = leads[wire.lead]
                event = Event(
                    id=wire.id,
                    lead_id=lead_id,
                    kind=wire.kind,
                    actor=wire.actor,
                    at=wire.at,
                    payload=wire.payload,
                )
                try:
                    history = partial(pg_log.history, conn, lead_id)
                    after = fold_in(current, event, self.agreement, who, history, team)
                    seq = pg_log.write(conn, event, current, after)
                except REFUSED as error:
                    result.refused.append(refusal(wire, error, current.owner))
                    continue
                known.add(wire.id)
                if seq is None:  # a push of the same event, committed while this one waited
                    result.duplicates.append(wire.id)
                    continue
                leads[wire.lead] = (lead_id, after)
                taken.append(seq)
                result.accepted.append(wire.id)
            pg_log.publish(conn, taken)
        return result

    @_unavailable
    def claim(self, uid: str, who: Caller, version: int, at: datetime) -> Lead:
        with self._transaction() as conn:
            found = conn.execute(
                f"SELECT id, name, {PROJECTION} FROM leads WHERE uid = %s", (uid,)
            ).fetchone()
            if found is None:
                raise NoSuchLead(f"there is no lead {uid}")
            lead_id, name, current = found[0], found[1] or uid, pg_log.projection_of(found[2:])
            if current.owner not in (None, who.rep) or current.version != version:
                raise held(uid, current.owner, current.version, who)
            event = Event(
                lead_id=lead_id,
                kind=EventKind.CLAIMED,
                actor=who.rep,
                at=at,
                payload={"rep": who.rep},
            )
            team = _team(conn)
            try:
                after = fold_in(current, event, self.agreement, who, list, team)
            except REFUSED as error:
                raise Held(f"{name}: {error}") from None
            # The compare-and-swap: the row changes only if it is still at `version`.
            seq = pg_log.write(conn, event, current, after, expected=version)
            if seq is None:  # another claim committed first: say whose it is now
                now = conn.execute(
                    "SELECT owner, version FROM leads WHERE id = %s", (lead_id,)
                ).fetchone()
                assert now is not None
                raise held(uid, now[0], now[1], who)
            pg_log.publish(conn, [seq])
            claimed = _lead(conn, uid)  # as committed with the claim, not read after
        assert claimed is not None
        return claimed

    @_unavailable
    def hand_off(self, leads: Sequence[HandOff], actor: str) -> HandedOff:
        records = [lead.record() for lead in leads]
        with self._transaction() as conn:
            taken, handed = hand_off(conn, records, actor)
            pg_log.publish(conn, handed)
        return HandedOff.of(taken)

    # -- reads for the server's own checks ------------------------------------------

    @_unavailable
    def lead(self, uid: str) -> Lead | None:
        with self.pool.connection() as conn:
            return _lead(conn, uid)

    @_unavailable
    def events(self, uid: str) -> list[Event]:
        with self.pool.connection() as conn:
            found = conn.execute("SELECT id FROM leads WHERE uid = %s", (uid,)).fetchone()
            return [] if found is None else pg_log.history(conn, found[0])

    @_unavailable
    def has_event(self, event_id: str) -> bool:
        with self.pool.connection() as conn:
            return bool(_known(conn, [event_id]))

    def close(self) -> None:
        self.pool.close()


def _reps(conn: Connection) -> list[Rep]:
    names = ("id", "name", "team", "role", "capacity", "time_zone")
    cursor = conn.execute(f"SELECT {', '.join(names)} FROM reps ORDER BY name")
    return [Rep.model_validate(dict(zip(names, row, strict=True))) for row in cursor]


def _team(conn: Connection) -> set[str]:
    """The reps' ids: whom a lead may go to."""
    return {row[0] for row in conn.execute("SELECT id FROM reps")}


def _lead(conn: Connection, uid: str) -> Lead | None:
    cursor = conn.cursor(row_factory=dict_row)
    row = cursor.execute("SELECT * FROM leads WHERE uid = %s", (uid,)).fetchone()
    return None if row is None else Lead.model_validate(pg_log.present(row))


def _locked(conn: Connection, uids: Sequence[str]) -> dict[str, tuple[int, Projection]]:
    """The batch's leads by uid, their rows locked until commit, taken in id order."""
    cursor = conn.execute(
        f"SELECT uid, id, {PROJECTION} FROM leads WHERE uid = ANY(%s) ORDER BY id FOR UPDATE",
        (list(uids),),
    )
    return {row[0]: (row[1], pg_log.projection_of(row[2:])) for row in cursor}


def _known(conn: Connection, ids: Sequence[str]) -> set[str]:
    cursor = conn.execute("SELECT id FROM events WHERE id = ANY(%s)", (list(ids),))
    return {row[0] for row in cursor}


def _cards(conn: Connection, lead_ids: Sequence[int], viewer: str | None) -> list[WireLead]:
    """The leads' cards; for a rep, only of their own and unassigned leads."""
    if not lead_ids:
        return []
    mine = "" if viewer is None else f" AND {card_seen('owner', '%(rep)s')}"
    names = ("uid", "created_at", "score", "fit", "engagement", *CONTACT_FIELDS)
    cursor = conn.execute(
        f"SELECT {', '.join(names)} FROM leads WHERE id = ANY(%(ids)s){mine}",
        {"ids": list(lead_ids), "rep": viewer},
    )
    return [WireLead.kept(dict(zip(names, row, strict=True))) for row in cursor]
