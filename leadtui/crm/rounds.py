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
file for the next one. One push failing while the CRM answers the round's other
requests is a failure of that record, not of the CRM: it (and what was logged on its
lead after it, to keep their order) waits for the next round and the others and the
pull go on; a second failure with no answer between stops the round.

The round's state is kept in the file's meta: the pull's cursor, the last error, the
budget the CRM last reported, and (after a DAILY limit) the moment the rounds resume.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from leadtui.core.agreement import Agreement
from leadtui.core.models import Event, EventKind, Stage
from leadtui.core.to_the_crm import Outgoing, PushState, Refused, worded
from leadtui.crm.connector import Batching, Budget, Connector, Pulled
from leadtui.crm.errors import CrmDown, CrmError, CrmPaused, DailyLimit
from leadtui.crm.errors import Refused as PushRefused
from leadtui.store import Store

BATCH = 100
# How long a round's claim on a push holds when the round dies before letting go (a
# round that ends lets go at once): far longer than any one request takes.
LEASE = timedelta(minutes=5)
# A push that failed (the CRM down, or failing on it) this many times, in as many
# rounds, is kept as refused with the failure in words, so the others go on.
MOST_TRIES = 5


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
    sent_again: int = 0  # refused pushes owed again (--retry-refused)
    failed: int = 0  # pushes that failed while the CRM answered others: sent next round


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
    # The machine's clock, for the claims' leases (not the team's clock: a demo's is
    # frozen, and a lease is about a program still running).
    wall: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        self.holder = uuid.uuid4().hex
        self.crm = self.connector.name
        self.settled_after = self.connector.settle if self.settle is None else self.settle
        self.held: AbstractContextManager[object] = self.hold or nullcontext()
        self._failing: CrmDown | None = None  # a push's failure, no answer since
        self._held_back: set[str] = set()

    def round(
        self, now: datetime, *, push: bool = True, pull: bool = True, retry_refused: bool = False
    ) -> CrmRound:
        done = CrmRound()
        self._check_paused(now)
        if retry_refused:
            with self.held:
                done.sent_again = self.store.send_refused_again(self.crm)
        try:
            if push:
                self.push(now, done)
                answered = done.pushed or done.refused or done.already
                if self._failing is not None and not answered and not pull:
                    raise self._failing  # the CRM answered nothing else: it may be down
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
                "the account's API limit was spent",
                resume,
            )

    def _failed(self, message: str) -> None:
        with self.held:
            self.store.set_meta(meta_key(self.crm, "last_error"), message)

    def _keep_budget(self) -> None:
        """What the CRM last said of its limits; a round that asked it nothing leaves what
        an earlier one heard."""
        budget = self.connector.budget()
        if budget == Budget():
            return
        with self.held:
            self.store.set_meta(meta_key(self.crm, "budget"), json.dumps(budget.__dict__))

    # -- push

    def push(self, now: datetime, done: CrmRound) -> None:
        skipped: set[str] = set()
        self._failing = None
        self._held_back = set()  # records whose push failed: theirs wait, in order
        with self.held:
            names = {rep.id: rep.name for rep in self.store.reps()}
        try:
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
                for found in owed:
                    if found.record in self._held_back:  # behind its lead's failed push
                        skipped.add(found.event_id)
                        continue
                    outgoing = self._looked_for(found, now, done)
                    if outgoing is None:
                        skipped.add(found.event_id)
                        continue
                    if self._in_a_batch(outgoing):
                        run.append(outgoing)
                        continue
                    self._send_batch(run, now, done)
                    run = []
                    if not self._claim(outgoing, now):
                        skipped.add(outgoing.event_id)
                        continue
                    self._send_one(outgoing, now, done)
                self._send_batch(run, now, done)
                skipped.update(one.event_id for one in owed)
        finally:
            with self.held:
                self.store.let_go_of_pushes(self.holder)

    def _looked_for(self, outgoing: Outgoing, now: datetime, done: CrmRound) -> Outgoing | None:
        """The push to send, after looking for what an earlier send whose answer was lost
        made: None when there is nothing to send now (found made, or not looked for yet
        because the CRM cannot see it yet). One the CRM has not got is a first send."""
        if not outgoing.unsure:
            return outgoing
        if not self._settled(outgoing.event_id, now):
            return None
        made = self.connector.find(outgoing)
        if made is not None:
            self._mark(outgoing.event_id, PushState.DONE, now, made=made)
            done.already += 1
            return None
        return replace(outgoing, unsure=False)

    def _in_a_batch(self, outgoing: Outgoing) -> bool:
        """Whether it goes with others in one request: a push that failed before goes on
        its own, so one that keeps failing is found out without the others paying."""
        return (
            isinstance(self.connector, Batching)
            and self.connector.batchable(outgoing)
            and outgoing.tries == 0
        )

    def _claim(self, outgoing: Outgoing, now: datetime) -> bool:
        """This round's from now: another round at the same time leaves it alone."""
        with self.held:
            return self.store.claim_push(
                self.crm,
                outgoing.event_id,
                now,
                holder=self.holder,
                wall=self.wall(),
                lease=LEASE.total_seconds(),
            )

    def _send_one(self, outgoing: Outgoing, now: datetime, done: CrmRound) -> None:
        try:
            made = self.connector.push(outgoing)
        except PushRefused as refusal:
            self._refused(outgoing, refusal, now, done)
            return
        except CrmDown as failure:
            if outgoing.tries + 1 >= MOST_TRIES:
                self._refused(outgoing, self._given_up(failure), now, done)
                self._failing = None
                return
            if self._failing is not None:
                raise  # two in a row, nothing answered between: the CRM is down
            self._failing = failure  # this record's, unless the next request fails too
            self._held_back.add(outgoing.record)
            done.failed += 1
            return
        self._failing = None
        self._mark(outgoing.event_id, PushState.DONE, now, made=made)
        done.pushed += 1

    def _given_up(self, failure: CrmError) -> PushRefused:
        return PushRefused(
            f"tried {MOST_TRIES} times, it failed each time ({failure}); "
            "`leadtui crm push --retry-refused` sends it again"
        )

    def _send_batch(self, run: list[Outgoing], now: datetime, done: CrmRound) -> None:
        """A run of pushes in one request, each marked with what became of it."""
        if not run or not isinstance(self.connector, Batching):
            return
        claimed = [outgoing for outgoing in run if self._claim(outgoing, now)]
        if not claimed:
            return
        answers = self.connector.push_many(claimed)
        self._failing = None
        for outgoing, answer in zip(claimed, answers, strict=True):
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
