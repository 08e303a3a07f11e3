"""What leadtui owes the CRM a team keeps its leads in: each rep's attempt and move on a
lead linked to a CRM record, as the store hands it to a connector, and what became of it.

A push is `sending` from just before its request goes out until the CRM's answer is
kept: a push still `sending` when a round starts is one whose answer was lost, so the
connector looks for what it may have made before it makes it again. A push the CRM
refused (the record was deleted, a validation rule) is `refused`, with the CRM's
reason in words, and is never sent again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from leadtui.core.agreement import Agreement
from leadtui.core.models import EventKind

# What a rep does that the CRM should hear of: attempts, and the moves of the lifecycle.
# Claims, snoozes and reassignments stay in leadtui (the CRM's owner is its own).
PUSHED_KINDS = (
    EventKind.ATTEMPT,
    EventKind.ACCEPTED,
    EventKind.QUALIFIED,
    EventKind.RETURNED_TO_NURTURE,
    EventKind.DISQUALIFIED,
)


class PushState(StrEnum):
    SENDING = "sending"  # asked, answer not kept (yet): look before asking again
    DONE = "done"
    REFUSED = "refused"


@dataclass(frozen=True)
class Outgoing:
    """One event to push: the event as logged, and the CRM record of its lead."""

    event_id: str
    kind: EventKind
    actor: str
    at: datetime
    payload: dict[str, Any]
    record: str  # the CRM's id of the lead's record (a HubSpot contact, a Salesforce Lead)
    lead_name: str
    unsure: bool  # sent before, and its answer was lost
    tries: int
    lead_id: int = 0  # the lead's row in this file


@dataclass(frozen=True)
class Refused:
    """A push the CRM would not take, kept with its reason for the rep."""

    event_id: str
    kind: str
    lead_name: str
    at: datetime
    reason: str
    lead_id: int = 0
    channel: str = ""  # an attempt's: call or email

    @property
    def what(self) -> str:
        """What was refused, in words: 'the call', 'the return to nurture'."""
        if self.kind == EventKind.ATTEMPT.value:
            return f"the {self.channel or 'attempt'}"
        return MOVE_WORDS.get(self.kind, f"the {self.kind.replace('_', ' ')}")


MOVE_WORDS = {
    EventKind.ACCEPTED.value: "the acceptance",
    EventKind.QUALIFIED.value: "the qualification",
    EventKind.RETURNED_TO_NURTURE.value: "the return to nurture",
    EventKind.DISQUALIFIED.value: "the disqualification",
}

# Keys a round adds to an outgoing event's payload for the CRM's sake (see `worded`).
REASON_WORDS = "reason_words"
BY = "by"


def worded(outgoing: Outgoing, agreement: Agreement, names: dict[str, str]) -> Outgoing:
    """The event with what a person reads in the CRM added to its payload: the move's
    reason as the agreement words it, and the acting rep's name."""
    payload = dict(outgoing.payload)
    payload[BY] = names.get(outgoing.actor, outgoing.actor)
    reason = payload.get("reason")
    if isinstance(reason, str) and reason:
        reasons = agreement.reasons
        codes = (
            reasons.disqualify
            if outgoing.kind is EventKind.DISQUALIFIED
            else reasons.return_to_nurture
        )
        payload[REASON_WORDS] = codes.get(reason, reason.replace("_", " "))
    return replace(outgoing, payload=payload)


@dataclass(frozen=True)
class CrmCounts:
    """Where a file stands with its CRM: pushes waiting (of which unsure), refused,
    done, and the leads linked to a CRM record."""

    waiting: int
    unsure: int
    refused: int
    done: int
    linked: int
