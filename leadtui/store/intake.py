"""The one door for leads coming in: plain records (core.intake) from a CSV file, the team
server's hand-off or a CRM, upserted, handed over, rescored and their deadlines
refreshed, in one transaction: all of it lands, or nothing does.

A record is matched by its uid when it has one (the team's own id: nothing else is
asked, and its external id must not be another lead's), else by external id, then
email. Records with the same key in one intake are one lead: the later ones update
what the first made.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any

from leadtui.core import collector
from leadtui.core.first_scores import FirstScores
from leadtui.core.intake import CONTACT_FIELDS, HANDED_OVER_FROM, Record, Summary, clash
from leadtui.core.models import Event, EventKind, Stage, new_uids
from leadtui.store import bulk, rows
from leadtui.store.errors import Clash

_STAGES = {stage.value: stage for stage in Stage}


@dataclass(frozen=True)
class Landed:
    """What `land` wrote: the counts, the leads it touched, the hand-overs still to
    record, with the claims and moves that follow them (the store records them, under its
    policy, in the same transaction), and the new leads it scored as they went in (only
    whether they cross the threshold is left to ask)."""

    summary: Summary
    touched: list[int]
    handed: list[Event]
    scored: range = range(0)


def land(
    conn: sqlite3.Connection,
    records: Sequence[Record],
    *,
    actor: str,
    now: datetime,
    whole_cards: bool = False,
    in_bulk: bool = False,
    scores: FirstScores | None = None,
) -> Landed:
    """The records upserted, inside the caller's transaction, and the `became_mql`
    events (by `actor`) of the leads they hand to sales. `whole_cards`: each record is
    its lead's whole card, and a field it leaves out is cleared (marketing's hand-off);
    otherwise such a field keeps what the lead has. `in_bulk`: the new leads go in
    with the indexes set aside (store/bulk.py). `scores`: the new leads go in scored
    under the agreement (core.first_scores), their factors with them. Clash: a record
    with a uid names an external id another lead has."""
    with collector.held_off():  # a row a record, and none holds a cycle
        return _land(conn, records, actor, now, whole_cards, in_bulk, scores)


def _land(
    conn: sqlite3.Connection,
    records: Sequence[Record],
    actor: str,
    now: datetime,
    whole_cards: bool,
    in_bulk: bool,
    scores: FirstScores | None,
) -> Landed:
    plan = _plan(conn, records, whole_cards)
    # The leads already here first (one may give up an external id a new lead takes),
    # then the new leads, then what later records say about those; each in the
    # records' order. In bulk, the indexes wait while the new leads go in.
    _update(conn, [(plan.targets[n], records[n]) for n in plan.updates_of_known], whole_cards)
    aside = bulk.set_aside(conn) if in_bulk else None
    fresh_ids = _insert(conn, plan.fresh, rows.epoch(now) or 0, scores)
    lead_ids = [fresh_ids[~target] if target < 0 else target for target in plan.targets]
    _update(conn, [(lead_ids[n], records[n]) for n in plan.updates_of_new], whole_cards)
    if aside is not None:
        bulk.put_back(conn, aside)
    handed = _hand_overs(conn, records, lead_ids, actor, now)
    updated = len(plan.updates_of_known) + len(plan.updates_of_new)
    handed_over = sum(event.kind is EventKind.BECAME_MQL for event in handed)
    summary = Summary(imported=len(fresh_ids), updated=updated, handed=handed_over)
    # A new lead a later record changed is scored again with the rest.
    scored = fresh_ids if scores is not None and not plan.updates_of_new else range(0)
    return Landed(summary, sorted(set(lead_ids)), handed, scored)


def lead_ids_by_key(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, int]:
    """Lead ids for keys that are an external id or an email (as given, or casefolded)."""
    found = _find(conn, (), keys, [key.casefold() for key in keys])
    by_external = {external_id: lead_id for external_id, (lead_id, _) in found.by_external.items()}
    return found.by_email | by_external


@dataclass
class _Plan:
    """Which records add a lead, which update one, and the lead each is about: a lead
    id, or ~n for the n-th added."""

    fresh: list[Record] = field(default_factory=list)
    # Indexes into the records: those updating a lead already here, and a new one.
    updates_of_known: list[int] = field(default_factory=list)
    updates_of_new: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)


def _plan(conn: sqlite3.Connection, records: Sequence[Record], whole_cards: bool) -> _Plan:
    found = _find(
        conn,
        [record.uid for record in records if record.uid],
        [record.external_id for record in records if record.external_id],
        [record.email for record in records if record.email and not record.uid],
    )
    # Who has each external id, as the intake goes: a record with a uid must not take
    # another lead's (Clash), and one that changes its lead's frees the old one.
    holders = {external_id: uid for external_id, (_, uid) in found.by_external.items()}
    held = {uid: external_id for uid, (_, external_id) in found.by_uid.items()}
    plan = _Plan()
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.uid:
            _check_holder(record, holders, held, whole_cards)
        key = record.key
        target = seen.get(key)
        if target is None:
            if record.uid:
                known = found.by_uid.get(record.uid)
                target = None if known is None else known[0]
            else:
                by_external = found.by_external.get(record.external_id or "")
                target = by_external[0] if by_external else found.by_email.get(record.email or "")
        if target is None:
            target = ~len(plan.fresh)
            plan.fresh.append(record)
        elif target < 0:
            plan.updates_of_new.append(index)
        else:
            plan.updates_of_known.append(index)
        seen[key] = target
        plan.targets.append(target)
    return plan


def _check_holder(
    record: Record, holders: dict[str, str], held: dict[str, str | None], whole_cards: bool
) -> None:
    assert record.uid is not None
    external_id = record.external_id
    if external_id is not None and (problem := clash(record, holders.get(external_id))):
        raise Clash(problem)
    if external_id is None and not whole_cards:
        return  # the lead keeps the external id it has
    before = held.get(record.uid)
    if before is not None and holders.get(before) == record.uid:
        del holders[before]
    held[record.uid] = external_id
    if external_id is not None:
        holders[external_id] = record.uid


@dataclass
class _Found:
    by_uid: dict[str, tuple[int, str | None]]  # uid -> (lead id, its external id)
    by_external: dict[str, tuple[int, str]]  # external id -> (lead id, its uid)
    by_email: dict[str, int]  # email -> the first lead with it


def _find(
    conn: sqlite3.Connection,
    uids: Iterable[str],
    external_ids: Iterable[str],
    emails: Iterable[str],
) -> _Found:
    """The leads already here for all the keys at once (a join, not a query per row)."""
    if conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is None:
        return _Found({}, {}, {})  # a new file: nothing to look for
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS intake_keys(kind TEXT, value TEXT)")
    conn.execute("DELETE FROM temp.intake_keys")
    for kind, values in (("u", uids), ("x", external_ids), ("e", emails)):
        conn.executemany(
            "INSERT INTO temp.intake_keys VALUES (?, ?)", ((kind, value) for value in values)
        )
    by_uid = {
        uid: (lead_id, external_id)
        for uid, lead_id, external_id in conn.execute(
            "SELECT l.uid, l.id, l.external_id FROM temp.intake_keys k "
            "JOIN leads l ON l.uid = k.value WHERE k.kind = 'u'"
        )
    }
    by_external = {
        external_id: (lead_id, uid)
        for external_id, lead_id, uid in conn.execute(
            "SELECT l.external_id, l.id, l.uid FROM temp.intake_keys k "
            "JOIN leads l ON l.external_id = k.value WHERE k.kind = 'x'"
        )
    }
    by_email = dict(
        conn.execute(
            "SELECT l.email, min(l.id) FROM temp.intake_keys k "
            "JOIN leads l ON l.email = k.value WHERE k.kind = 'e' GROUP BY l.email"
        ).fetchall()
    )
    conn.execute("DELETE FROM temp.intake_keys")
    return _Found(by_uid, by_external, by_email)


_NEW = [*CONTACT_FIELDS, "uid", "created_at", "custom", "score", "fit", "engagement"]
_contact = attrgetter(*CONTACT_FIELDS)  # a record's contact fields, in their order


def _insert(
    conn: sqlite3.Connection, records: Sequence[Record], now: int, scores: FirstScores | None
) -> range:
    """New leads (stage 'nurturing'), a part at a time, with their scores and factors
    under `scores` (else the records' own); returns their ids in order.

    The caller holds the write transaction, so the new ids are the next ones in turn.
    """
    if not records:
        return range(0)
    before = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    uids = new_uids(len(records))
    for start in range(0, len(records), _PART):
        part = records[start : start + _PART]
        if scores is None:
            given = [(r.score or 0, r.fit or 0, r.engagement or 0) for r in part]
        else:
            fits, factors = scores.scored(part, before + 1 + start)
            given = [(fit, fit, 0) for fit in fits]
        new_rows = [
            (
                *_contact(record),
                record.uid or next(uids),
                now if record.created_at is None else int(record.created_at.timestamp()),
                _custom(record),
                *three,
            )
            for record, three in zip(part, given, strict=True)
        ]
        _insert_rows(conn, new_rows)
        if scores is not None:  # the evidence as a rescoring writes it (SQLite writes a REAL)
            conn.executemany(
                "INSERT INTO score_factors(lead_id, position, factor_group, side, label, "
                "points, evidence) VALUES (?, ?, ?, ?, ?, ?, ? || coalesce(?, ''))",
                factors,
            )
    after = conn.execute("SELECT max(id) FROM leads").fetchone()[0]
    if after - before != len(records):
        raise RuntimeError("lead ids were not allocated in turn; is another writer active?")
    return range(before + 1, after + 1)


# New leads go in this many at a time: a part's rows and factors are made, then written.
_PART = 20_000


def _insert_rows(conn: sqlite3.Connection, new_rows: list[tuple[object, ...]]) -> None:
    """The leads' rows, in only the columns some row fills: a NULL is what the others get
    anyway, and binding a million of them costs more than writing the rest."""
    filled = [
        n
        for n, column in enumerate(zip(*new_rows, strict=True))
        if any(value is not None for value in column)
    ]
    conn.executemany(
        f"INSERT INTO leads({', '.join(_NEW[n] for n in filled)}) "
        f"VALUES ({', '.join('?' for _ in filled)})",
        new_rows if len(filled) == len(_NEW) else map(itemgetter(*filled), new_rows),
    )


def _update(
    conn: sqlite3.Connection, updates: Sequence[tuple[int, Record]], whole_cards: bool
) -> None:
    """Contact fields from the records: where a record has a value (or every one, for
    whole cards); custom fields merged. Stage, owner, score and the rest of the
    projection are never touched."""
    if not updates:
        return
    assignments = ", ".join(
        f"{name} = :{name}" if whole_cards else f"{name} = coalesce(:{name}, {name})"
        for name in CONTACT_FIELDS
    )
    conn.executemany(
        f"UPDATE leads SET {assignments}, "
        "custom = CASE WHEN :custom IS NULL THEN custom "
        "  ELSE json_patch(coalesce(custom, '{}'), :custom) END WHERE id = :id",
        (
            dict(zip(CONTACT_FIELDS, _contact(record), strict=True))
            | {"custom": _custom(record), "id": lead_id}
            for lead_id, record in updates
        ),
    )


def _custom(record: Record) -> str | None:
    return json.dumps(record.custom, ensure_ascii=False) if record.custom else None


def _hand_overs(
    conn: sqlite3.Connection,
    records: Sequence[Record],
    lead_ids: Sequence[int],
    actor: str,
    now: datetime,
) -> list[Event]:
    """A `became_mql` event for each lead the source handed to sales that is still with
    marketing (once a lead, however often its records say so), at the record's hand-off
    time (else its creation, else now); then, where the record says so, the claim by
    its owner and the move to its stage, at the same time (the source does not say
    when they happened). A lead that already stands where the record says is left."""
    asked = [
        (record, lead_id)
        for record, lead_id in zip(records, lead_ids, strict=True)
        if record.handed
    ]
    if not asked:
        return []
    stages: dict[int, Stage] = {}
    last_handed: dict[int, int | None] = {}
    for lead_id, stage, mql_at in conn.execute(
        "SELECT id, stage, mql_at FROM leads WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({lead_id for _, lead_id in asked})),),
    ):
        stages[lead_id], last_handed[lead_id] = _STAGES[stage], mql_at
    reps = {rep for (rep,) in conn.execute("SELECT id FROM reps")}
    events: list[Event] = []
    handed: set[int] = set()
    for record, lead_id in asked:
        stage = stages[lead_id]
        if lead_id in handed or stage not in HANDED_OVER_FROM or stage is record.stage:
            continue
        if _told_before(record, last_handed[lead_id]):
            continue
        handed.add(lead_id)
        payload: dict[str, Any] = record.scores or {"via": actor}
        at = record.mql_at or record.created_at or now
        events.append(
            Event(lead_id=lead_id, kind=EventKind.BECAME_MQL, actor=actor, at=at, payload=payload)
        )
        if record.owner in reps:  # an owner who is no rep here: the lead waits in the pool
            events.append(_event(lead_id, EventKind.CLAIMED, actor, at, {"rep": record.owner}))
        if record.stage in _MOVES:
            kind, then = _MOVES[record.stage]
            events.append(_event(lead_id, kind, actor, at, then))
    return events


def _told_before(record: Record, last_handed: int | None) -> bool:
    """The record's hand-off is one this lead already had (a file imported again after
    the rep returned the lead to nurture): it is not handed over a second time. A later
    hand-off time is a new hand-over."""
    return (
        record.mql_at is not None
        and last_handed is not None
        and int(record.mql_at.timestamp()) <= last_handed
    )


# The move that brings a handed-over lead to the stage its source says, and its payload:
# the reason a source gives is that it closed the lead itself (the reason codes are the
# agreement's, for what a rep decides).
_MOVES: dict[Stage, tuple[EventKind, dict[str, Any]]] = {
    Stage.ACCEPTED: (EventKind.ACCEPTED, {"note": "accepted in the CRM"}),
    Stage.QUALIFIED: (EventKind.QUALIFIED, {"checklist": {}, "note": "qualified in the CRM"}),
    Stage.RETURNED_TO_NURTURE: (
        EventKind.RETURNED_TO_NURTURE,
        {"reason": "closed_in_crm", "note": "returned to nurture in the CRM"},
    ),
    Stage.DISQUALIFIED: (
        EventKind.DISQUALIFIED,
        {"reason": "closed_in_crm", "note": "disqualified in the CRM"},
    ),
}


def _event(
    lead_id: int, kind: EventKind, actor: str, at: datetime, payload: dict[str, Any]
) -> Event:
    return Event(lead_id=lead_id, kind=kind, actor=actor, at=at, payload=dict(payload))
