"""How one event changes a lead's projection; the store and the demo both fold with this."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from leadtui.core.models import (
    AttemptOutcome,
    Channel,
    Event,
    EventKind,
    Projection,
    Stage,
    utc,
)

_STAGE_AFTER = {
    EventKind.ACCEPTED: Stage.ACCEPTED,
    EventKind.QUALIFIED: Stage.QUALIFIED,
    EventKind.RETURNED_TO_NURTURE: Stage.RETURNED_TO_NURTURE,
    EventKind.DISQUALIFIED: Stage.DISQUALIFIED,
}


def apply(projection: Projection, event: Event) -> Projection:
    """The projection after `event`; mechanical: whether it is allowed is lifecycle's call."""
    changes: dict[str, Any] = {"version": projection.version + 1}
    at = event.at
    payload = event.payload
    kind = event.kind

    if kind is EventKind.BECAME_MQL:
        # A new hand-off starts a new clock: the last round's owner, touches, attempts
        # and moves belong to that round (they stay in the log).
        changes.update(
            stage=Stage.MQL,
            mql_at=at,
            stage_changed_at=at,
            owner=None,
            claimed_at=None,
            first_touch_at=None,
            first_connect_at=None,
            last_attempt_at=None,
            calls=0,
            emails=0,
            snoozed_until=None,
            closed_at=None,
            accepted_at=None,
            qualified_at=None,
            mql_score=payload.get("score"),
            marketing_qualified_at=_moment(payload.get("qualified_at")),
        )
        changes.update(_scores(payload))
    elif kind is EventKind.CLAIMED:
        changes.update(owner=payload.get("rep", event.actor), claimed_at=at)
        if projection.stage is Stage.MQL:
            changes.update(stage=Stage.WORKING, stage_changed_at=at)
    elif kind is EventKind.ATTEMPT:
        changes.update(_attempt(projection, event))
    elif kind in _STAGE_AFTER:
        changes.update(stage=_STAGE_AFTER[kind], stage_changed_at=at)
        if kind is EventKind.ACCEPTED and projection.accepted_at is None:
            changes.update(accepted_at=at)
        elif kind is EventKind.QUALIFIED and projection.qualified_at is None:
            changes.update(qualified_at=at)
    elif kind is EventKind.CLOSED:
        won = payload.get("outcome") == "won"
        changes.update(stage=Stage.WON if won else Stage.LOST, stage_changed_at=at, closed_at=at)
    elif kind is EventKind.SNOOZED:
        changes.update(snoozed_until=_moment(payload.get("until")))
    elif kind is EventKind.REASSIGNED:
        changes.update(owner=payload.get("to"))
    elif kind is EventKind.RESCORED:
        changes.update(_scores(payload))
    return projection.model_copy(update=changes)


def fold(events: Iterable[Event], start: Projection | None = None) -> Projection:
    """Replay a lead's events, oldest first; an event taken back by an `undone` event
    counts as if it never happened, though both stay in the log."""
    history = list(events)
    taken_back = {e.payload.get("event") for e in history if e.kind is EventKind.UNDONE}
    projection = start or Projection()
    for event in history:
        if event.id in taken_back:
            continue
        projection = apply(projection, event)
    return projection


def _moment(value: object) -> datetime | None:
    """A time from a payload (ISO text once it went through JSON, or Unix seconds), in UTC."""
    if value is None or isinstance(value, datetime):
        return None if value is None else utc(value)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return utc(datetime.fromisoformat(str(value)))


def _scores(payload: dict[str, Any]) -> dict[str, Any]:
    return {name: int(payload[name]) for name in ("score", "fit", "engagement") if name in payload}


def _attempt(projection: Projection, event: Event) -> dict[str, Any]:
    channel = Channel(event.payload["channel"])
    outcome = AttemptOutcome(event.payload["outcome"])
    changes: dict[str, Any] = {"last_attempt_at": event.at}
    if channel is Channel.CALL:
        changes["calls"] = projection.calls + 1
    else:
        changes["emails"] = projection.emails + 1
    if projection.first_touch_at is None:
        changes["first_touch_at"] = event.at
    if outcome.is_connect and projection.first_connect_at is None:
        changes["first_connect_at"] = event.at
    return changes


def refold(current: Projection, history: Iterable[Event]) -> Projection:
    """The lead projected again from its whole log (after an undo). Its scores are
    rescoring's and stay; its version moves on."""
    return fold(history).model_copy(
        update={
            "score": current.score,
            "fit": current.fit,
            "engagement": current.engagement,
            "version": current.version + 1,
        }
    )
