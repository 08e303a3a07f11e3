"""The team server's storage in one leadtui SQLite file, behind one lock (SQLite has
one writer anyway): the change feed is the log's own order."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial

from leadtui.core.agreement import Agreement
from leadtui.core.models import Event, EventKind, Lead, Rep, Role
from leadtui.core.wire import Feed, HandedOff, HandOff, Pushed, WireEvent
from leadtui.server import tokens
from leadtui.server.storage import (
    REFUSED,
    Caller,
    Held,
    NoSuchLead,
    PastTheEnd,
    fold_in,
    held,
    refusal,
    unknown_lead,
)
from leadtui.store import Store
from leadtui.store.errors import VersionConflict


class FileTeam:
    def __init__(self, store: Store, agreement: Agreement) -> None:
        self.store = store
        self.agreement = agreement
        self.where = str(store.path)
        self.lock = threading.Lock()

    @contextmanager
    def _held(self) -> Iterator[Store]:
        with self.lock:
            yield self.store

    def caller(self, token: str) -> Caller | None:
        with self._held() as store:
            rep = tokens.rep_of(store, token)
            if rep is None:
                return None
            roles = {known.id: known.role for known in store.reps()}
        return Caller(rep, roles.get(rep, Role.REP))

    def reps(self) -> list[Rep]:
        with self._held() as store:
            return store.reps()

    def changes(self, since: int, limit: int, viewer: str | None) -> Feed:
        with self._held() as store:
            if since > (last := store.last_seq()):
                raise PastTheEnd(since, last)
            return store.feed(since, limit, viewer)

    def push(self, events: Sequence[WireEvent], who: Caller) -> Pushed:
        result = Pushed()
        with self._held() as store, store.transaction():  # one commit for the batch
            team = {rep.id for rep in store.reps()}
            for event in events:
                self._take(store, who, event, result, team)
        return result

    def _take(
        self, store: Store, who: Caller, wire: WireEvent, into: Pushed, team: set[str]
    ) -> None:
        """One pushed event: already here, applied now, or refused with the reason."""
        if store.has_event(wire.id):
            into.duplicates.append(wire.id)
            return
        found = store.owner_by_uid(wire.lead)
        if found is None:
            into.refused.append(unknown_lead(wire))
            return
        lead_id, owner = found
        event = Event(
            id=wire.id,
            lead_id=lead_id,
            kind=wire.kind,
            actor=wire.actor,
            at=wire.at,
            payload=wire.payload,
        )
        try:
            self._apply(store, who, event, team)
        except REFUSED as error:
            into.refused.append(refusal(wire, error, owner))
            return
        into.accepted.append(wire.id)

    def _apply(self, store: Store, who: Caller, event: Event, team: set[str]) -> None:
        """Check and write one event inside the batch's transaction; a refused one
        leaves no trace (its savepoint is rolled back)."""
        with store.savepoint():
            lead = store.projection(event.lead_id or 0)
            history = partial(store.events, event.lead_id or 0)
            fold_in(lead, event, self.agreement, who, history, team)
            store.record_many([event], guarded=False)

    def claim(self, uid: str, who: Caller, version: int, at: datetime) -> Lead:
        with self._held() as store:
            lead = store.lead_by_uid(uid)
            if lead is None or lead.id is None:
                raise NoSuchLead(f"there is no lead {uid}")
            if lead.owner not in (None, who.rep) or lead.version != version:
                raise held(uid, lead.owner, lead.version, who)
            event = Event(
                lead_id=lead.id,
                kind=EventKind.CLAIMED,
                actor=who.rep,
                at=at,
                payload={"rep": who.rep},
            )
            try:
                team = {rep.id for rep in store.reps()}
                fold_in(lead.projection, event, self.agreement, who, list, team)
                return store.record(event, expected_version=lead.version)
            except REFUSED as error:
                raise Held(f"{lead.name}: {error}") from None
            except VersionConflict as conflict:
                raise held(uid, conflict.owner, conflict.actual, who) from None

    def hand_off(self, leads: Sequence[HandOff], actor: str) -> HandedOff:
        """Through the file's one intake door: whole cards, marketing's scores kept."""
        records = [lead.record() for lead in leads]
        with self._held() as store:
            taken = store.intake(records, actor=actor, now=datetime.now(UTC), whole_cards=True)
        return HandedOff.of(taken)

    def add_rep(self, rep: Rep) -> str:
        with self._held() as store:
            if rep.id not in {known.id for known in store.reps()}:
                store.save_rep(rep)
            return tokens.issue(store, rep.id)

    def lead(self, uid: str) -> Lead | None:
        with self._held() as store:
            return store.lead_by_uid(uid)

    def events(self, uid: str) -> list[Event]:
        with self._held() as store:
            found = store.owner_by_uid(uid)
            return [] if found is None else store.events(found[0])

    def has_event(self, event_id: str) -> bool:
        with self._held() as store:
            return store.has_event(event_id)

    def close(self) -> None:
        with self._held() as store:
            store.close()
