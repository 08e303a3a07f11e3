"""What the team server keeps, behind one interface with two homes: a leadtui SQLite
file (`FileTeam`: one rep's machine, a small team) and PostgreSQL (`PostgresTeam`: a
floor of reps and marketing sending leads all day). The API speaks only to this
interface, and the same tests run against both homes.

Both keep the same rules: events are taken at most once (by their UUID), a batch
lands in one transaction with each refused event leaving no trace, a claim is a
compare-and-swap on the lead's version, and the change feed is ordered so that no
change is skipped however transactions interleave.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leadtui.core import lifecycle
from leadtui.core.agreement import Agreement
from leadtui.core.lifecycle import TransitionRefused
from leadtui.core.models import Event, EventKind, Lead, Projection, Rep, Role
from leadtui.core.projection import apply, refold
from leadtui.core.wire import Feed, HandedOff, HandOff, Pushed, Refusal, WireEvent
from leadtui.store.errors import Clash

__all__ = [
    "Caller",
    "Clash",
    "Held",
    "NoSuchLead",
    "PastTheEnd",
    "TeamStore",
    "Unavailable",
    "fold_in",
    "held",
    "refusal",
    "unknown_lead",
]

# What refuses a pushed event: the lifecycle, or a payload unfit for its kind (these
# are what checking and folding such a payload raise).
REFUSED = (TransitionRefused, KeyError, ValueError, TypeError, UnicodeError, OverflowError)


class NoSuchLead(LookupError):
    """No lead has that uid here."""


class Held(Exception):
    """A claim lost: the lead moved on (someone else holds it, or it changed since the
    claimant read it). The message names the holder (see `held`)."""


class PastTheEnd(Exception):
    """A feed cursor beyond the end of this server's log: the asker synced with another
    server (or this one was restored from an older copy). Answering as if all were
    read would let them skip what comes next, silently."""

    def __init__(self, since: int, end: int) -> None:
        super().__init__(
            f"this file last read the team's log up to {since}, but this server's log ends "
            f"at {end}: it is not the server this file synced with, or it was restored from "
            "an older copy. Nothing was changed; ask your team lead"
        )


class Unavailable(Exception):
    """The server's database failed; the message is for the server's log only."""


@dataclass(frozen=True)
class Caller:
    rep: str
    role: Role

    @property
    def lead(self) -> bool:
        return self.role is Role.LEAD


class TeamStore(Protocol):
    """The team server's storage. Every method is one transaction, safe to call from
    many threads at once."""

    where: str  # for the server's first line: a file, or a database without its password

    def caller(self, token: str) -> Caller | None:
        """Who holds this bearer token, or None."""

    def reps(self) -> list[Rep]: ...

    def changes(self, since: int, limit: int, viewer: str | None) -> Feed:
        """The events after cursor `since` that `viewer` may see (None: a team lead,
        everything), oldest first, with the leads they are about and the cursor to
        ask from next. PastTheEnd when `since` is beyond the log's end."""

    def push(self, events: Sequence[WireEvent], who: Caller) -> Pushed:
        """Take a batch: each event accepted, already here, or refused with the reason."""

    def claim(self, uid: str, who: Caller, version: int, at: datetime) -> Lead:
        """Give the lead to `who` if it is still at `version` and free (or theirs) and
        the lifecycle allows it; NoSuchLead or Held otherwise."""

    def hand_off(self, leads: Sequence[HandOff], actor: str) -> HandedOff:
        """Marketing's leads in (Clash: an external id another lead has)."""

    def add_rep(self, rep: Rep) -> str:
        """Add the rep (or keep the one there) and issue a new token, returned once."""

    def lead(self, uid: str) -> Lead | None: ...

    def events(self, uid: str) -> list[Event]:
        """The lead's events in the order the server took them."""

    def has_event(self, event_id: str) -> bool: ...

    def close(self) -> None: ...


def fold_in(
    current: Projection,
    event: Event,
    agreement: Agreement,
    who: Caller,
    history: Callable[[], Sequence[Event]],
    team: Collection[str],
) -> Projection:
    """The lead after `event`, if `who` may make it (lifecycle.may_make: the one rule of
    who may do what, asked first, for every kind) and the lifecycle allows it now
    (TransitionRefused if not; another of REFUSED if the payload does not fit the kind).
    A lead goes only to a rep on the `team`. An `undone` event takes back one earlier
    event on the lead: the lead is projected again from its log (`history`, oldest
    first)."""
    taken: Event | None = None  # the step an `undone` event takes back
    past: list[Event] = []
    if event.kind is EventKind.UNDONE:
        past = list(history())
        step = event.payload["event"]
        taken = next((known for known in past if known.id == step), None)
        if taken is None or taken.kind is EventKind.UNDONE:
            raise TransitionRefused("there is no such step on this lead to take back")
    lifecycle.may_make(who.role, current, event, taken)
    given: object = None
    if event.kind is EventKind.CLAIMED:
        given = event.payload.get("rep", event.actor)
    elif event.kind is EventKind.REASSIGNED:
        given = event.payload["to"]
    if given is not None and given not in team:
        raise TransitionRefused(f"there is no rep {str(given)[:64]!r} on the team")
    if event.kind is EventKind.UNDONE:
        return refold(current, [*past, event])
    lifecycle.check(current, event, agreement, who.role)
    return apply(current, event)


def held(uid: str, owner: str | None, version: int, who: Caller) -> Held:
    """A lost claim, in words that name the holder and never the lead's card: a rep may
    not see the card of a lead someone else holds."""
    if owner not in (None, who.rep):
        return Held(f"lead {uid} is held by {owner} now")
    return Held(f"lead {uid} changed since you read it: it is at version {version} now")


def refusal(wire: WireEvent, error: Exception, owner: str | None) -> Refusal:
    """Why an event was not taken (`error`: one of REFUSED), in one sentence for the rep."""
    if isinstance(error, TransitionRefused):
        holder = owner if owner not in (None, wire.actor) else None
        return Refusal(id=wire.id, lead=wire.lead, reason=str(error), holder=holder)
    reason = f"the {wire.kind.value} event's payload is not what that kind needs"
    return Refusal(id=wire.id, lead=wire.lead, reason=reason)


def unknown_lead(wire: WireEvent) -> Refusal:
    return Refusal(id=wire.id, lead=wire.lead, reason="no such lead here")
