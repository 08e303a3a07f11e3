"""A lead's timeline in words: what sales did (its events) and what the lead did (its
activities), newest first. The app's detail and `leadtui lead show` read the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from leadtui.core.agreement import Agreement
from leadtui.core.models import Activity, Event, EventKind


@dataclass(frozen=True)
class Entry:
    at: datetime
    words: str
    taken_back: bool = False  # an undo took it back (the log keeps both)
    by_the_lead: bool = False  # an activity of the lead's, not something sales did


def entries(
    events: Sequence[Event], activities: Sequence[Activity], agreement: Agreement, zone: tzinfo
) -> list[Entry]:
    """Everything that happened to the lead, newest first; undo and rescoring runs are
    not told (what they did is)."""
    labels = {rule.kind: rule.label for rule in agreement.engagement}
    labels |= {rule.kind: rule.label for rule in agreement.negative if rule.kind}
    taken_back = {str(e.payload.get("event")) for e in events if e.kind is EventKind.UNDONE}
    reasons = reason_words(agreement)
    found = [
        Entry(event.at, said(event, zone, reasons), taken_back=event.id in taken_back)
        for event in events
        if event.kind not in (EventKind.UNDONE, EventKind.RESCORED)
    ]
    for activity in activities:
        label = labels.get(activity.kind, activity.kind.replace("_", " "))
        detail = f" ({activity.detail})" if activity.detail else ""
        found.append(Entry(activity.at, label + detail, by_the_lead=True))
    # Newest first; of two in the same second, the one logged later first.
    newest_first = sorted(enumerate(found), key=lambda told: (told[1].at, told[0]), reverse=True)
    return [entry for _, entry in newest_first]


def reason_words(agreement: Agreement) -> dict[str, str]:
    """Each reason code of the agreement, as its label says it ('not_now' -> 'interested,
    but not this quarter'); a code it does not know reads as itself."""
    labels = agreement.reasons.return_to_nurture | agreement.reasons.disqualify
    return {code: label[:1].lower() + label[1:] for code, label in labels.items()}


def said(event: Event, zone: tzinfo, reasons: Mapping[str, str] | None = None) -> str:
    """One event in words: 'call: no answer, by dana: "try after 2pm"'; a move's reason
    in the agreement's words when `reasons` holds it."""
    payload = event.payload
    code = str(payload.get("reason", ""))
    reason = (reasons or {}).get(code, code)
    note = f': "{payload["note"]}"' if payload.get("note") else ""
    by = f", by {event.actor}"
    match event.kind:
        case EventKind.ATTEMPT:
            outcome = str(payload.get("outcome", "")).replace("_", " ")
            return f"{payload.get('channel', 'attempt')}: {outcome}{by}{note}"
        case EventKind.BECAME_MQL:
            if "score" in payload:
                return f"handed to sales at score {payload['score']}"
            return f"handed to sales{by}"  # by the source's word (a file, a CRM)
        case EventKind.CLAIMED:
            holder = payload.get("rep") or event.actor
            return f"claimed by {holder}" if holder == event.actor else f"claimed for {holder}{by}"
        case EventKind.RETURNED_TO_NURTURE:
            return f"returned to nurture ({reason}){by}{note}"
        case EventKind.DISQUALIFIED:
            return f"disqualified ({reason}){by}{note}"
        case EventKind.SNOOZED:
            until = datetime.fromisoformat(str(payload.get("until"))).astimezone(zone)
            return f"snoozed until {until:%a %d %b %H:%M}{by}"
        case EventKind.REASSIGNED:
            return f"reassigned to {payload.get('to') or 'nobody'}{by}"
        case EventKind.CLOSED:
            return f"deal {payload.get('outcome', 'closed')}"
        case _:
            return f"{event.kind.value.replace('_', ' ')}{by}{note}"
