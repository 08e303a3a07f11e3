"""The store: one SQLite file, an append-only event log, and the leads' projection."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadtui.core import lifecycle, moments
from leadtui.core.agreement import Agreement, SlaTerms
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.intake import LeadRecord, Summary
from leadtui.core.models import (
    AttemptOutcome,
    Channel,
    Event,
    EventKind,
    Lead,
    Projection,
    Rep,
    Role,
)
from leadtui.core.projection import apply
from leadtui.core.wire import WireEvent, WireLead
from leadtui.store import due, intake, queries, rescoring, rows, schema, syncing, undoing
from leadtui.store.errors import (
    StoreError,
    UnknownLead,
    VersionConflict,
    translate,
)
from leadtui.store.reading import Reading
from leadtui.store.rescoring import Rescored

if TYPE_CHECKING:
    import sqlite_utils

SYSTEM = "system"


class Store(Reading):
    """Reads and state changes over one database file.

    Every state change is one method that writes its event and the lead's new
    projection in a single transaction: both land, or neither does.
    """

    def __init__(self, path: Path | str, *, durable: bool = False) -> None:
        self.path = Path(path)
        # Checks a change against the lead as it is, inside the change's transaction
        # (the app and the CLI set it to the lifecycle's rules); raising refuses it.
        self.guard: Callable[[Projection, Event], None] | None = None
        # With the agreement's SLA known, each change also moves the lead's next deadline.
        self.sla: tuple[SlaTerms, BusinessCalendar] | None = None
        self._depth = 0  # transactions open: the outermost is BEGIN, the rest savepoints
        try:
            self.conn = schema.connect(self.path)
            self.conn.execute("PRAGMA busy_timeout = 5000")
            schema.schema_version(self.conn)  # refuse a foreign file before writing to it
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            # Rescoring sorts and groups millions of rows: keep that work in memory.
            self.conn.execute("PRAGMA temp_store = MEMORY")
            self.conn.execute("PRAGMA cache_size = -65536")
            schema.migrate(self.conn)
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        except StoreError:
            self.conn.close()
            raise

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for bulk inserts and table helpers;
        imported on first use, so opening the app does not pay for it."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def limit_cache(self, megabytes: int) -> None:
        """Keep fewer pages in this process: a reader of one page at a time gains
        little from a big cache (the OS caches the file), and a long-running app
        should stay small."""
        self.conn.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; a failure anywhere inside rolls all of it back. Inside
        another one it is a savepoint: a whole import (its leads, their hand-overs,
        the rescoring) lands as one, or nothing of it does."""
        if self._depth:
            yield from self._savepoint()
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as failure:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(failure, sqlite3.Error):
                raise translate(failure, self.path) from None
            raise
        finally:
            self._depth = 0

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        name = f"inner_{self._depth}"
        self.conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.conn
        except BaseException as failure:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            if isinstance(failure, sqlite3.Error):
                raise translate(failure, self.path) from None
            raise
        else:
            self.conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    # -- meta and reps --------------------------------------------------------

    def meta(self, key: str) -> str | None:
        found = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if found is None else str(found[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def save_rep(self, rep: Rep) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO reps(id, name, team, role, capacity, time_zone) "
                "VALUES (:id, :name, :team, :role, :capacity, :time_zone) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, team = excluded.team, "
                "role = excluded.role, capacity = excluded.capacity, "
                "time_zone = excluded.time_zone",
                rep.model_dump(mode="json"),
            )

    def reps(self) -> list[Rep]:
        cursor = self.conn.execute("SELECT * FROM reps ORDER BY name")
        return [rows.rep_from_row(row) for row in rows.dict_rows(cursor)]

    # -- bulk loading (import, demo) -------------------------------------------

    def bulk_insert(
        self, table: str, columns: Sequence[str], values: Iterable[Sequence[Any]]
    ) -> int:
        """Insert many rows in one transaction; for generators and importers."""
        if table not in ("leads", "activities", "events", "score_factors", "reps"):
            raise ValueError(f"no bulk loading into {table}")
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        with self.transaction() as conn:
            cursor = conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", values)
            return cursor.rowcount

    def intake(
        self,
        records: Sequence[LeadRecord],
        *,
        actor: str,
        now: datetime,
        agreement: Agreement | None = None,
        whole_cards: bool = False,
    ) -> Summary:
        """The one door for leads coming in, in one transaction (see store/intake.py):
        upserted, handed over, scored under `agreement` and their deadlines refreshed."""
        return intake.take(
            self, records, actor=actor, now=now, agreement=agreement, whole_cards=whole_cards
        )

    def lead_ids_by_key(self, keys: Sequence[str]) -> dict[str, int]:
        """Lead ids by external id or email, for importers that name leads either way."""
        return intake.lead_ids_by_key(self.conn, keys)

    def add_lead(self, lead: Lead) -> Lead:
        row = rows.lead_row(lead)
        row.pop("id")
        with self.transaction() as conn:
            names = ", ".join(row)
            marks = ", ".join(f":{name}" for name in row)
            cursor = conn.execute(f"INSERT INTO leads({names}) VALUES ({marks})", row)
        return self.lead(int(cursor.lastrowid or 0))

    # -- state changes: one event and its projection, one transaction -----------

    def record(self, event: Event, *, expected_version: int | None = None) -> Lead:
        """Append `event` and fold it into its lead's projection, atomically.

        With `expected_version`, the change is a compare-and-swap: if the lead
        moved on since the caller read it, nothing is written and
        VersionConflict says who holds it now.
        """
        if event.lead_id is None:
            raise ValueError("record() takes a lead's event; use record_summary() for the rest")
        with self.transaction() as conn:
            self._record_in(conn, event, expected_version)
        return self.lead(event.lead_id)

    def _record_in(
        self,
        conn: sqlite3.Connection,
        event: Event,
        expected_version: int | None = None,
        *,
        guarded: bool = True,
    ) -> None:
        """The body of record(), for callers already inside a transaction."""
        assert event.lead_id is not None
        current = queries.projection(conn, event.lead_id)
        if current is None:
            raise UnknownLead(f"there is no lead {event.lead_id}")
        if expected_version is not None and current.version != expected_version:
            raise VersionConflict(event.lead_id, expected_version, current.version, current.owner)
        if guarded and self.guard is not None:
            self.guard(current, event)
        self._append(conn, event)
        if event.kind is EventKind.UNDONE:  # a step taken back: project the lead from its log
            undoing.refold(conn, event.lead_id)
            if self.sla is not None:
                due.refresh(conn, *self.sla, lead_ids=[event.lead_id])
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
        if self.sla is not None:
            due.refresh(conn, *self.sla, lead_ids=[event.lead_id])

    def use(self, agreement: Agreement, role: Role = Role.REP) -> None:
        """Act under the agreement: changes are checked by the lifecycle for `role`, and
        each one moves the lead's next SLA deadline."""
        self.guard = lambda lead, event: lifecycle.check(lead, event, agreement, role)
        self.sla = (agreement.sla, BusinessCalendar(agreement.sla))

    def refresh_due(self, agreement: Agreement) -> int:
        """Recompute every open lead's next SLA deadline (after bulk loads, or when the
        agreement changed); returns how many open leads there are."""
        with self.transaction() as conn:
            return due.refresh(conn, agreement.sla, BusinessCalendar(agreement.sla))

    def rescore(
        self, agreement: Agreement, now: datetime, *, lead_ids: Collection[int] | None = None
    ) -> Rescored:
        """Score every lead (or just `lead_ids`) again, in one transaction; each lead that
        crosses the threshold gets its `became_mql` event, and the run a `rescored` one."""
        fingerprint = hashlib.sha256(agreement.model_dump_json().encode()).hexdigest()
        with self.transaction() as conn:
            # Fit changes only with the agreement or a lead's fields (triggers forget the
            # fingerprint then); otherwise a full run need only let engagement decay.
            decay_only = lead_ids is None and self.meta("scored_with") == fingerprint
            result = rescoring.rescore(
                conn, agreement, now, lead_ids=lead_ids, decay_only=decay_only
            )
            # New MQLs owe a first touch; a full run under a changed agreement moves all.
            calendar = BusinessCalendar(agreement.sla)
            everyone = lead_ids is None and not decay_only
            due.refresh(
                conn, agreement.sla, calendar, lead_ids=None if everyone else result.new_mqls
            )
            summary: dict[str, object] = {
                "leads": result.leads,
                "became_mql": len(result.new_mqls),
                "decay_only": decay_only,
            }
            if lead_ids is not None:
                summary["partial"] = True
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('scored_with', ?)",
                    (fingerprint,),
                )
            self._append(
                conn,
                Event(
                    lead_id=None, kind=EventKind.RESCORED, actor="system", at=now, payload=summary
                ),
            )
        return result

    def record_summary(self, event: Event) -> None:
        """Append an event about no single lead, such as a rescoring run."""
        if event.lead_id is not None:
            raise ValueError("record_summary() takes events about no single lead")
        with self.transaction() as conn:
            self._append(conn, event)

    def record_many(self, events: Sequence[Event], *, guarded: bool = True) -> None:
        """Several lead events in one transaction: all of them land, or none. Imports
        pass guarded=False: history from another system is taken as it happened."""
        with self.transaction() as conn:
            for event in events:
                self._record_in(conn, event, guarded=guarded)

    def undo_last(self, rep: str, *, at: datetime) -> Lead:
        """Take back `rep`'s last action (an attempt, a claim, a disposition) with an
        `undone` event; the lead is projected again without it. Nothing is deleted.
        Refused when someone else changed the lead since."""
        with self.transaction() as conn:
            undo = undoing.take_back(conn, rep, at)
            self._append(conn, undo)
            undoing.refold(conn, undo.lead_id or 0)
            if self.sla is not None:
                due.refresh(conn, *self.sla, lead_ids=[undo.lead_id or 0])
        return self.lead(undo.lead_id or 0)

    def became_mql(
        self, lead_id: int, *, at: datetime, score: int, fit: int, engagement: int
    ) -> Lead:
        payload = {"score": score, "fit": fit, "engagement": engagement}
        return self._change(lead_id, EventKind.BECAME_MQL, SYSTEM, at, payload)

    def claim(self, lead_id: int, rep: str, *, at: datetime, expected_version: int) -> Lead:
        return self._change(
            lead_id, EventKind.CLAIMED, rep, at, {"rep": rep}, expected_version=expected_version
        )

    def log_attempt(
        self,
        lead_id: int,
        rep: str,
        *,
        at: datetime,
        channel: Channel,
        outcome: AttemptOutcome,
        note: str = "",
    ) -> Lead:
        payload = {"channel": channel.value, "outcome": outcome.value, "note": note}
        return self._change(lead_id, EventKind.ATTEMPT, rep, at, payload)

    def accept(self, lead_id: int, rep: str, *, at: datetime, note: str = "") -> Lead:
        return self._change(lead_id, EventKind.ACCEPTED, rep, at, {"note": note})

    def qualify(
        self, lead_id: int, rep: str, *, at: datetime, checklist: dict[str, bool], note: str = ""
    ) -> Lead:
        payload = {"checklist": checklist, "note": note}
        return self._change(lead_id, EventKind.QUALIFIED, rep, at, payload)

    def return_to_nurture(
        self, lead_id: int, rep: str, *, at: datetime, reason: str, note: str = ""
    ) -> Lead:
        payload = {"reason": reason, "note": note}
        return self._change(lead_id, EventKind.RETURNED_TO_NURTURE, rep, at, payload)

    def disqualify(
        self, lead_id: int, rep: str, *, at: datetime, reason: str, note: str = ""
    ) -> Lead:
        payload = {"reason": reason, "note": note}
        return self._change(lead_id, EventKind.DISQUALIFIED, rep, at, payload)

    def snooze(self, lead_id: int, rep: str, *, at: datetime, until: datetime) -> Lead:
        return self._change(lead_id, EventKind.SNOOZED, rep, at, {"until": until.isoformat()})

    def reassign(self, lead_id: int, by: str, *, at: datetime, to: str | None) -> Lead:
        return self._change(lead_id, EventKind.REASSIGNED, by, at, {"to": to})

    def close_deal(self, lead_id: int, actor: str, *, at: datetime, outcome: str) -> Lead:
        """The deal this lead became was won or lost."""
        if outcome not in ("won", "lost"):
            raise ValueError(f"outcome must be won or lost, not {outcome!r}")
        return self._change(lead_id, EventKind.CLOSED, actor, at, {"outcome": outcome})

    def _change(
        self,
        lead_id: int,
        kind: EventKind,
        actor: str,
        at: datetime,
        payload: dict[str, Any],
        *,
        expected_version: int | None = None,
    ) -> Lead:
        event = Event(lead_id=lead_id, kind=kind, actor=actor, at=at, payload=payload)
        return self.record(event, expected_version=expected_version)

    # -- sync: events and leads by their global ids (see syncing) ---------------

    def lead_by_uid(self, uid: str) -> Lead | None:
        found = self.conn.execute("SELECT id FROM leads WHERE uid = ?", (uid,)).fetchone()
        return None if found is None else self.lead(found[0])

    def owner_by_uid(self, uid: str) -> tuple[int, str | None] | None:
        """A lead's row id and owner, by its uid (None if it is not here)."""
        found = self.conn.execute("SELECT id, owner FROM leads WHERE uid = ?", (uid,)).fetchone()
        return None if found is None else (int(found[0]), found[1])

    def has_event(self, event_id: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
            is not None
        )

    def unsynced(self, limit: int = 500) -> list[WireEvent]:
        return syncing.unsynced(self.conn, limit)

    def waiting_to_sync(self) -> int:
        return syncing.waiting(self.conn)

    def mark_synced(self, ids: Sequence[str], at: datetime) -> None:
        with self.transaction() as conn:
            syncing.mark_synced(conn, ids, at)

    def take_back_refused(self, ids: Sequence[str], at: datetime) -> None:
        syncing.take_back_refused(self, ids, at)

    def take_in(self, leads: Sequence[WireLead], events: Sequence[WireEvent], at: datetime) -> int:
        return syncing.take_in(self, leads, events, at)

    def _append(self, conn: sqlite3.Connection, event: Event) -> None:
        moments.check(event.at, f"the {event.kind.value} event's time")  # the last door
        conn.execute(
            "INSERT INTO events(id, lead_id, kind, actor, at, payload, synced_at) "
            "VALUES (:id, :lead_id, :kind, :actor, :at, :payload, :synced_at)",
            rows.event_row(event),
        )
