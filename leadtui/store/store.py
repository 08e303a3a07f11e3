"""The store: one SQLite file, an append-only event log, and the leads' projection."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import (
    AttemptOutcome,
    Channel,
    Event,
    EventKind,
    Lead,
    Rep,
    Role,
)
from leadtui.store import due, recording, rescoring, rows, syncing, undoing
from leadtui.store.for_planning import ForPlanning
from leadtui.store.for_reports import ForReports
from leadtui.store.reading import Reading
from leadtui.store.recording import Policy
from leadtui.store.rescoring import Rescored
from leadtui.store.serving import Serving
from leadtui.store.to_the_crm import ToTheCrm

if TYPE_CHECKING:  # the intake door's record and the wire's models are built on first use
    from leadtui.core.intake import Record, Summary
    from leadtui.core.wire import WireEvent, WireLead

SYSTEM = "system"


def agreement_mark(agreement: Agreement) -> str:
    """A short mark of an agreement's content, kept with each rescoring run: which
    agreement scored the file, and since when (a report of the new points' effect)."""
    return hashlib.sha256(agreement.model_dump_json().encode()).hexdigest()[:16]


class Store(Reading, ForReports, ForPlanning, Serving, ToTheCrm):
    """Reads and state changes over one database file.

    Every state change is one method that writes its event and the lead's new
    projection in a single transaction: both land, or neither does.
    """

    def __init__(self, path: Path | str, *, durable: bool = False) -> None:
        super().__init__(path, durable=durable)
        # What each change is held to: nothing until use() names the agreement and role.
        self.policy = Policy()

    # -- meta and reps --------------------------------------------------------

    def meta(self, key: str) -> str | None:
        found = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if found is None else str(found[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._writing() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def save_rep(self, rep: Rep) -> None:
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO reps(id, name, team, role, capacity, time_zone) "
                "VALUES (:id, :name, :team, :role, :capacity, :time_zone) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, team = excluded.team, "
                "role = excluded.role, capacity = excluded.capacity, "
                "time_zone = excluded.time_zone",
                rep.model_dump(mode="json"),
            )

    # -- bulk loading (import, demo) -------------------------------------------

    def bulk_insert(
        self, table: str, columns: Sequence[str], values: Iterable[Sequence[Any]]
    ) -> int:
        """Insert many rows in one transaction; for generators and importers."""
        if table not in ("leads", "activities", "events", "score_factors", "reps"):
            raise ValueError(f"no bulk loading into {table}")
        with self._writing() as conn:
            known = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            unknown = [name for name in columns if name not in known]
            if unknown:
                raise ValueError(f"{table} has no column {', '.join(map(repr, unknown))}")
            names = ", ".join(f'"{name}"' for name in columns)
            marks = ", ".join("?" for _ in columns)
            cursor = conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", values)
            return cursor.rowcount

    @contextmanager
    def in_bulk(self) -> Iterator[None]:
        """One transaction for many rows (bulk_insert inside it): the indexes and the
        log's counting triggers wait until the block ends, then the indexes are built
        once and the counts worked out over all the new rows (see store/bulk.py)."""
        from leadtui.store import bulk

        with self._writing() as conn:
            aside = bulk.set_aside(conn)
            yield
            bulk.put_back(conn, aside)

    def intake(
        self,
        records: Sequence[Record],
        *,
        actor: str,
        now: datetime,
        agreement: Agreement | None = None,
        whole_cards: bool = False,
        in_bulk: bool | None = None,
    ) -> Summary:
        """The one door for leads coming in, in one transaction (see store/intake.py):
        upserted, handed over, and under an `agreement` the leads scored and every open
        lead's deadline refreshed; without one, the records' own scores stand (the team
        server keeps marketing's). `in_bulk`: whether the new leads go in with the
        indexes set aside (None: when the intake is big against the file, see
        store/bulk.py); the file ends the same either way."""
        with self._writing() as conn:
            from leadtui.core.first_scores import FirstScores
            from leadtui.store import bulk, intake

            if in_bulk is None:
                in_bulk = bulk.worth_it(conn, len(records))
            landed = intake.land(
                conn,
                records,
                actor=actor,
                now=now,
                whole_cards=whole_cards,
                in_bulk=in_bulk,
                scores=None if agreement is None else FirstScores(agreement),
            )
            if landed.handed and all(e.kind is EventKind.BECAME_MQL for e in landed.handed):
                recording.hand_over_many(conn, landed.handed, self.policy)  # at once
            else:  # claims and moves after them: each in its turn
                self.record_many(landed.handed, guarded=False)
            summary = landed.summary
            if agreement is not None and landed.touched:
                rescored = self.rescore(
                    agreement, now, lead_ids=landed.touched, scored=landed.scored
                )
                summary.new_mqls = rescored.new_mqls
                self.refresh_due(agreement)
        return summary

    def lead_ids_by_key(self, keys: Sequence[str]) -> dict[str, int]:
        """Lead ids by external id or email, for importers that name leads either way."""
        from leadtui.store import intake

        return intake.lead_ids_by_key(self._conn, keys)

    def add_lead(self, lead: Lead) -> Lead:
        row = rows.lead_row(lead)
        row.pop("id")
        with self._writing() as conn:
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
            raise ValueError("record() takes a lead's event")
        with self._writing() as conn:
            recording.record(conn, event, self.policy, expected_version)
        return self.lead(event.lead_id)

    def use(self, agreement: Agreement, role: Role = Role.REP) -> None:
        """Act under the agreement: changes are checked by the lifecycle for `role`, and
        each one moves the lead's next SLA deadline. It is named once the file is open,
        not when it opens: the acting rep's role is read from the file's own reps."""
        self.policy = Policy.under(agreement, role)

    def refresh_due(self, agreement: Agreement) -> int:
        """Recompute every open lead's next SLA deadline (after bulk loads, or when the
        agreement changed); returns how many open leads there are."""
        with self._writing() as conn:
            return due.refresh(conn, agreement.sla, BusinessCalendar(agreement.sla))

    def rescore(
        self,
        agreement: Agreement,
        now: datetime,
        *,
        lead_ids: Collection[int] | None = None,
        scored: range = range(0),
    ) -> Rescored:
        """Score every lead (or just `lead_ids`) again, in one transaction; each lead that
        crosses the threshold gets its `became_mql` event, and the run a `rescored` one.
        `scored`: those of `lead_ids` the intake scored as they came in."""
        fingerprint = hashlib.sha256(agreement.model_dump_json().encode()).hexdigest()
        with self._writing() as conn:
            # Fit changes only with the agreement or a lead's fields (triggers forget the
            # fingerprint then); otherwise a full run need only let engagement decay.
            decay_only = lead_ids is None and self.meta("scored_with") == fingerprint
            result = rescoring.rescore(
                conn, agreement, now, lead_ids=lead_ids, decay_only=decay_only, scored=scored
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
                "agreement": agreement_mark(agreement),
            }
            if lead_ids is not None:
                summary["partial"] = True
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('scored_with', ?)",
                    (fingerprint,),
                )
            recording.append(
                conn,
                Event(
                    lead_id=None, kind=EventKind.RESCORED, actor="system", at=now, payload=summary
                ),
            )
        return result

    def record_many(self, events: Sequence[Event], *, guarded: bool = True) -> None:
        """Several lead events in one transaction: all of them land, or none. Imports
        pass guarded=False: history from another system is taken as it happened.

        Inside a caller's transaction they are written on it, with no savepoint of
        their own (in one, SQLite keeps every statement's journal until it ends, and
        each event takes longer than the last): a failure goes on to the caller, whose
        transaction rolls back whole, or the savepoint() it opened for them."""
        if self._depth:
            for event in events:
                recording.record(self._conn, event, self.policy, guarded=guarded)
            return
        with self._writing() as conn:
            for event in events:
                recording.record(conn, event, self.policy, guarded=guarded)

    def undo_last(self, rep: str, *, at: datetime, since: datetime | None = None) -> Lead:
        """Take back `rep`'s last action (an attempt, a claim, a disposition) with an
        `undone` event; the lead is projected again without it. Nothing is deleted.
        Refused when someone else changed the lead since, and (with `since`) when the
        action is older than that."""
        with self._writing() as conn:
            undo = undoing.take_back(conn, rep, at, since)
            recording.append(conn, undo)
            recording.refold(conn, undo.lead_id or 0, self.policy)
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
        found = self._conn.execute("SELECT id FROM leads WHERE uid = ?", (uid,)).fetchone()
        return None if found is None else self.lead(found[0])

    def owner_by_uid(self, uid: str) -> tuple[int, str | None] | None:
        """A lead's row id and owner, by its uid (None if it is not here)."""
        found = self._conn.execute("SELECT id, owner FROM leads WHERE uid = ?", (uid,)).fetchone()
        return None if found is None else (int(found[0]), found[1])

    def has_event(self, event_id: str) -> bool:
        return (
            self._conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
            is not None
        )

    def unsynced(self, limit: int = 500) -> list[WireEvent]:
        return syncing.unsynced(self._conn, limit)

    def waiting_to_sync(self) -> int:
        return syncing.waiting(self._conn)

    def mark_synced(self, ids: Sequence[str], at: datetime) -> None:
        with self._writing() as conn:
            syncing.mark_synced(conn, ids, at)

    def take_back_refused(self, ids: Sequence[str], at: datetime) -> None:
        with self._writing() as conn:
            syncing.take_back_refused(conn, self.policy, ids, at)

    def take_in(self, leads: Sequence[WireLead], events: Sequence[WireEvent], at: datetime) -> int:
        with self._writing() as conn:
            return syncing.take_in(conn, self.policy, leads, events, at)
