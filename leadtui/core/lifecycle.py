"""Which changes a lead may go through, from where, by whom, with which reasons.

The projection says where a lead is; this module says what may happen next, and
when the answer is no, it says what is allowed instead.
"""

from __future__ import annotations

from leadtui.core.agreement import Agreement
from leadtui.core.models import (
    CALL_OUTCOMES,
    EMAIL_OUTCOMES,
    OPEN_STAGES,
    AttemptOutcome,
    Channel,
    Event,
    EventKind,
    Projection,
    Role,
    Stage,
)

CHECKLIST = ("decision_maker", "budget", "need", "timing")

# From which stages each change may start.
ALLOWED_FROM: dict[EventKind, frozenset[Stage]] = {
    EventKind.BECAME_MQL: frozenset({Stage.NURTURING, Stage.RETURNED_TO_NURTURE}),
    EventKind.CLAIMED: frozenset({Stage.MQL}),
    EventKind.ATTEMPT: frozenset({Stage.WORKING, Stage.ACCEPTED}),
    EventKind.ACCEPTED: frozenset({Stage.WORKING}),
    EventKind.QUALIFIED: frozenset({Stage.ACCEPTED}),
    EventKind.RETURNED_TO_NURTURE: OPEN_STAGES,
    EventKind.DISQUALIFIED: OPEN_STAGES,
    EventKind.SNOOZED: OPEN_STAGES,
    EventKind.REASSIGNED: OPEN_STAGES,
    EventKind.CLOSED: frozenset({Stage.QUALIFIED}),
}

# Changes only the lead's owner (or a team lead) may make, once someone owns it.
OWNER_ONLY = frozenset(
    {
        EventKind.ATTEMPT,
        EventKind.ACCEPTED,
        EventKind.QUALIFIED,
        EventKind.RETURNED_TO_NURTURE,
        EventKind.DISQUALIFIED,
        EventKind.SNOOZED,
    }
)

# A rep's own actions, which they may take back (undo) while nobody else acted since.
UNDOABLE = OWNER_ONLY | {EventKind.CLAIMED}

# What people do at their desk (the app, the CLI); on a rep's own file, these are the
# events the file checks for who makes them (see may_make).
AT_THE_DESK = UNDOABLE | {EventKind.REASSIGNED}

# Marketing's work (or a team lead's), never a rep's: what it says to a rep who tries.
MARKETINGS = {
    EventKind.BECAME_MQL: "handing a lead to sales is marketing's (or a team lead's), not a rep's",
    EventKind.RESCORED: "a lead's score is marketing's to set, not a rep's",
}

WORDS = {
    EventKind.BECAME_MQL: "hand to sales",
    EventKind.CLAIMED: "claim",
    EventKind.ATTEMPT: "log an attempt",
    EventKind.ACCEPTED: "accept",
    EventKind.QUALIFIED: "qualify",
    EventKind.RETURNED_TO_NURTURE: "return to nurture",
    EventKind.DISQUALIFIED: "disqualify",
    EventKind.SNOOZED: "snooze",
    EventKind.REASSIGNED: "reassign",
    EventKind.CLOSED: "close",
}


class TransitionRefused(Exception):
    """A change the lifecycle does not allow; the message says what is allowed."""


# What is offered instead to whom: a rep is not told of a team lead's or marketing's
# moves, and closing a deal (won, lost) is the account executive's, told by a file.
NOT_OFFERED = {
    Role.REP: frozenset({EventKind.BECAME_MQL, EventKind.REASSIGNED, EventKind.CLOSED}),
    Role.LEAD: frozenset({EventKind.CLOSED}),
}


def allowed(stage: Stage, role: Role | None = None) -> list[str]:
    """What can be done to a lead in `stage`, in words, in the order of the table (by
    someone in `role`: what they may offer at the desk; None: anything)."""
    held_back = NOT_OFFERED.get(role, frozenset()) if role is not None else frozenset()
    return [
        WORDS[kind]
        for kind, stages in ALLOWED_FROM.items()
        if stage in stages and kind not in held_back
    ]


def refusal(stage: Stage, kind: EventKind, role: Role = Role.REP) -> str | None:
    """Why a lead in `stage` cannot go through `kind`, in one sentence, or None when it
    may: asked before a picker opens, so nobody fills in a form for a refusal. What
    is offered instead is what `role` may do."""
    if kind not in ALLOWED_FROM or stage in ALLOWED_FROM[kind]:
        return None
    options = allowed(stage, role)
    instead = f"; you can {', '.join(options)}" if options else ""
    verb = "log an attempt on" if kind is EventKind.ATTEMPT else WORDS[kind]
    return f"cannot {verb} a lead that is {stage.value.replace('_', ' ')}{instead}"


def unheard(first_connect_at: object | None) -> str | None:
    """Why a rep may not qualify a lead nobody has spoken with, or None: the checklist
    is what the lead confirmed in a conversation (a call that got through, or an email
    answered). Asked at the desk; a CRM's or a file's word that a lead is qualified is
    not a rep's and stands."""
    if first_connect_at is None:
        return (
            "cannot qualify a lead nobody has spoken with yet: log a call that got "
            "through or an email answered first"
        )
    return None


def check(lead: Projection, event: Event, agreement: Agreement, role: Role = Role.REP) -> None:
    """Raise TransitionRefused unless `event` may happen to a lead in this state."""
    kind = event.kind
    if kind not in ALLOWED_FROM:
        return  # bookkeeping events (rescored) are not lifecycle moves
    if (why := refusal(lead.stage, kind, role)) is not None:
        raise TransitionRefused(why)
    if kind in AT_THE_DESK:
        may_make(role, lead, event)
    _check_payload(kind, event.payload, agreement)


def may_make(role: Role, lead: Projection, event: Event, taken: Event | None = None) -> None:
    """Raise TransitionRefused unless someone of `role`, acting as `event.actor`, may make
    `event` on the lead as it is now: the one rule of who may do what, for every kind
    (the README's table). A team lead (or marketing's account) may make any event; a
    rep works their own leads and the pool. `taken`: the step an `undone` event takes
    back. The team server asks this for every kind it is pushed; a rep's own file for
    what people do at the desk (its other events are its own machinery's)."""
    if role is Role.LEAD:
        return
    kind, rep, owner = event.kind, event.actor, lead.owner
    if kind in MARKETINGS:
        raise TransitionRefused(MARKETINGS[kind])
    if kind is EventKind.REASSIGNED:
        raise TransitionRefused("only a team lead can reassign leads")
    if kind is EventKind.CLAIMED and event.payload.get("rep", rep) != rep:
        raise TransitionRefused(
            "a rep claims a lead only for themselves; a team lead gives it to someone else"
        )
    if kind is EventKind.UNDONE:
        if taken is not None and taken.actor != rep:
            raise TransitionRefused(f"only {taken.actor} can take back their own step")
        if owner not in (None, rep):
            raise TransitionRefused(
                f"this lead is {owner}'s now; a team lead can take the step back"
            )
    if kind is EventKind.CLOSED and owner != rep:
        raise TransitionRefused(
            f"this lead is {owner}'s; only they or a team lead can close it"
            if owner
            else "nobody holds this lead; a team lead records how its deal closed"
        )
    # An unclaimed lead is everyone's: any rep may disqualify the obvious junk in the pool.
    if owner not in (None, rep):
        raise TransitionRefused(f"this lead is {owner}'s; ask a team lead to reassign it")


def _check_payload(kind: EventKind, payload: dict[str, object], agreement: Agreement) -> None:
    if kind is EventKind.ATTEMPT:
        channel = Channel(str(payload.get("channel")))
        outcome = AttemptOutcome(str(payload.get("outcome")))
        fitting = CALL_OUTCOMES if channel is Channel.CALL else EMAIL_OUTCOMES
        if outcome not in fitting:
            names = ", ".join(sorted(o.value.replace("_", "-") for o in fitting))
            article = "an" if channel is Channel.EMAIL else "a"
            given = outcome.value.replace("_", "-")
            raise TransitionRefused(f"{article} {channel.value} ends {names}, not {given}")
    elif kind in (EventKind.RETURNED_TO_NURTURE, EventKind.DISQUALIFIED):
        codes = (
            agreement.reasons.return_to_nurture
            if kind is EventKind.RETURNED_TO_NURTURE
            else agreement.reasons.disqualify
        )
        reason = payload.get("reason")
        if reason not in codes:
            raise TransitionRefused(
                f"{WORDS[kind]} needs a reason: one of {', '.join(codes)}"
                + (f" (not {reason!r})" if reason else "")
            )
    elif kind is EventKind.QUALIFIED:
        raw = payload.get("checklist")
        ticked = raw if isinstance(raw, dict) else {}
        missing = [item for item in CHECKLIST if ticked.get(item) is not True]
        if missing:
            items = ", ".join(item.replace("_", " ") for item in missing)
            raise TransitionRefused(f"qualify needs the checklist confirmed: {items}")
