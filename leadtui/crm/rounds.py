"""One round with the team's CRM: push what the reps logged on linked leads (oldest
first, each event once), then pull the leads the CRM changed since the last round,
through the one intake door.

Exactly once: a push is marked `sending` before its request goes out, and `done` with
what the CRM made when the answer comes. One still `sending` at the next round lost its
answer: the connector looks for it (by the event's UUID kept on the CRM's object)
before sending it again. A push the CRM refuses is kept `refused` with its reason and
not sent again. A connector that batches (Salesforce) gets each run of pushes it can
batch in one request, in the order they were logged. A failure that may pass (the CRM
is down, slow, or asks to wait) stops the round; everything not yet pushed waits in the
file for the next one.

The round's state is kept in the file's meta: the pull's cursor, the last error, the
budget the CRM last reported, and (after a DAILY limit) the moment the rounds resume.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from leadtui.core.agreement import Agreement
from leadtui.core.models import Event, EventKind, Stage
from leadtui.core.to_the_crm import Outgoing, PushState, Refused, worded
from leadtui.crm.connector import Batching, Connector, Pulled
from leadtui.crm.errors import CrmError, CrmPaused, DailyLimit
from leadtui.crm.errors import Refused as PushRefused
from leadtui.store import Store

BATCH = 100


def meta_key(crm: str, what: str) -> str:
    return f"crm.{crm}.{what}"


@dataclass
class CrmRound:
    pushed: int = 0
    already: int = 0  # made by an earlier round whose answer was lost: found, not doubled
    refused: list[Refused] = field(default_factory=list)
    imported: int = 0
    updated: int = 0
    new_mqls: int = 0
    rejected: list[str] = field(default_factory=list)
    waiting: int = 0


@dataclass
class CrmRounds:
    """Rounds of one file with one connector, under the agreement; `hold` is taken
    around each use of the store (the app's lock), never while waiting on the CRM."""

    store: Store
    connector: Connector
    agreement: Agreement
    hold: AbstractContextManager[object] | None = None
    # A create whose answer was lost is looked for once the CRM can see it (None: as
    # long as the connector says its CRM takes).
    settle: timedelta | None = None

    def __post_init__(self) -> None:
        self.crm = self.connector.name
        self.settled_after = self.connector.settle if self.settle is None else self.settle
        self.held: AbstractContextManager[object] = self.hold or nullcontext()

    def round(self, now: datetime, *, push: bool = True, pull: bool = True) -> CrmRound:
        done = CrmRound()
        self._check_paused(now)
        try:
            if push:
                self.push(now, done)
            if pull:
                self.pull(now, done)
        except DailyLimit as limit:
            limit.until = limit.resume_at(now)  # what the one who asked is told
            with self.held:
                self.store.set_meta(meta_key(self.crm, "paused_until"), limit.until.isoformat())
            self._failed(str(limit))
            raise
        except CrmError as error:
            self._failed(str(error))
            raise
        finally:
            self._keep_budget()
        with self.held:
            self.store.set_meta(meta_key(self.crm, "last_error"), "")
            self.store.set_meta(meta_key(self.crm, "last_round"), now.isoformat())
            done.waiting = self.store.crm_counts(self.crm).waiting
        return done

    def _check_paused(self, now: datetime) -> None:
        with self.held:
            until = self.store.meta(meta_key(self.crm, "paused_until")) or ""
        if until and (resume := datetime.fromisoformat(until)) > now:
            raise CrmPaused(
                f"the CRM rounds wait until {until[:16].replace('T', ' ')} UTC: "
                "the account's daily API limit was spent",
                resume,
            )

    def _failed(self, message: str) -> None:
        with self.held:
            self.store.set_meta(meta_key(self.crm, "last_error"), message)

    def _keep_budget(self) -> None:
        budget = self.connector.budget()
        with self.held:
            self.store.set_meta(meta_key(self.crm, "budget"), json.dumps(budget.__dict__))

    # -- push

    def push(self, now: datetime, done: CrmRound) -> None:
        skipped: set[str] = set()
        with self.held:
            names = {rep.id: rep.name for rep in self.store.reps()}
        while True:
            with self.held:
                owed = [
                    worded(one, self.agreement, names)
                    for one in self.store.owed_to_crm(self.crm, BATCH + len(skipped))
                    if one.event_id not in skipped
                ]
            if not owed:
                return
            run: list[Outgoing] = []  # pushes that go together in one batch
            for outgoing in owed:
                if outgoing.unsure:
                    if not self._settled(outgoing.event_id, now):
                        skipped.add(outgoing.event_id)
                        continue
                    made = self.connector.find(outgoing)
                    if made is not None:
                        self._mark(outgoing.event_id, PushState.DONE, now, made=made)
                        done.already += 1
                        continue
                if isinstance(self.connector, Batching) and self.connector.batchable(outgoing):
                    run.append(outgoing)
                    continue
                self._send_batch(run, now, done)
                run = []
                self._mark(outgoing.event_id, PushState.SENDING, now)
                try:
                    made = self.connector.push(outgoing)
                except PushRefused as refusal:
                    self._refused(outgoing, refusal, now, done)
                    continue
                self._mark(outgoing.event_id, PushState.DONE, now, made=made)
                done.pushed += 1
            self._send_batch(run, now, done)

    def _send_batch(self, run: list[Outgoing], now: datetime, done: CrmRound) -> None:
        """A run of pushes in one request, each marked with what became of it."""
        if not run or not isinstance(self.connector, Batching):
            return
        for outgoing in run:
            self._mark(outgoing.event_id, PushState.SENDING, now)
        answers = self.connector.push_many(run)
        for outgoing, answer in zip(run, answers, strict=True):
            if isinstance(answer, PushRefused):
                self._refused(outgoing, answer, now, done)
            else:
                self._mark(outgoing.event_id, PushState.DONE, now, made=answer)
                done.pushed += 1

    def _refused(
        self, outgoing: Outgoing, refusal: PushRefused, now: datetime, done: CrmRound
    ) -> None:
        self._mark(outgoing.event_id, PushState.REFUSED, now, reason=str(refusal))
        done.refused.append(
            Refused(
                outgoing.event_id,
                outgoing.kind.value,
                outgoing.lead_name,
                outgoing.at,
                str(refusal),
                outgoing.lead_id,
                str(outgoing.payload.get("channel", "")),
            )
        )

    def _settled(self, event_id: str, now: datetime) -> bool:
        with self.held:
            tried = self.store.crm_push_tried_at(event_id)
        return tried is None or now - tried >= self.settled_after

    def _mark(
        self,
        event_id: str,
        state: PushState,
        now: datetime,
        *,
        made: str | None = None,
        reason: str | None = None,
    ) -> None:
        with self.held:
            self.store.mark_pushed(self.crm, event_id, state, now, made=made, reason=reason)

    # -- pull

    def pull(self, now: datetime, done: CrmRound) -> None:
        with self.held:
            cursor = self.store.meta(meta_key(self.crm, "cursor"))
            reps = self.store.reps()
        for page in self.connector.pull(cursor or None, reps):
            with self.held:
                self._land(page, now, done)

    def _land(self, page: Pulled, now: datetime, done: CrmRound) -> None:
        """One page into the file, whole: the leads, their links, their owners, and
        the cursor after it."""
        done.rejected += page.rejected
        with self.store.transaction():
            if page.records:
                summary = self.store.intake(
                    page.records, actor=self.crm, now=now, agreement=self.agreement
                )
                done.imported += summary.imported
                done.updated += summary.updated
                done.new_mqls += len(summary.new_mqls)
                external = [record.external_id or "" for record in page.records]
                ids = self.store.lead_ids_by_key(external)
                self.store.link_to_crm(
                    self.crm, [(ids[key], key) for key in external if key in ids]
                )
                self._give_owners(page, ids, now)
            self.store.set_meta(meta_key(self.crm, "cursor"), page.cursor)

    def _give_owners(self, page: Pulled, ids: dict[str, int], now: datetime) -> None:
        """A lead the CRM handed to sales goes to its CRM owner's rep, while nobody in
        leadtui owns it (once a rep has it, leadtui's owner stands)."""
        given = []
        for record, rep in page.owners.items():
            lead_id = ids.get(record)
            if lead_id is None:
                continue
            lead = self.store.lead(lead_id)
            if lead.owner is None and lead.stage is Stage.MQL:
                given.append(
                    Event(
                        lead_id=lead_id,
                        kind=EventKind.REASSIGNED,
                        actor=self.crm,
                        at=now,
                        payload={"to": rep},
                    )
                )
        if given:
            self.store.record_many(given, guarded=False)
