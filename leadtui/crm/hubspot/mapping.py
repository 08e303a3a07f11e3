"""What maps to what between a HubSpot contact and a lead, and between leadtui's events and
HubSpot's calls, emails and contact properties. Each default can be overridden in the
settings' [crm] table (fields, moves, outcomes).

Who wins when both sides changed: the contact's fields are HubSpot's (a pull writes what
HubSpot says over what the lead had); the lead's stage, owner and log are leadtui's (a
pull never moves a lead a rep is working, and every disposition a rep logged is pushed,
whatever HubSpot's stage says by then). HubSpot's own stage and lead status are kept on
the lead as custom fields, so a rep sees them.

A move's reason and note reach HubSpot as a note on the contact (a note engagement, on
the contact's timeline, keeping the event's UUID like calls and emails); `[crm]
move_notes = false` leaves notes out. A move's properties may also carry its words:
a value `{reason}` (the agreement's words for the reason), `{reason_code}` or `{note}`
is replaced by the move's own, e.g. `[crm.moves.disqualified] my_reason = "{reason}"`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from leadtui.core import moments
from leadtui.core.intake import LeadRecord
from leadtui.core.models import AttemptOutcome, Channel, EventKind
from leadtui.core.to_the_crm import BY, MOVE_WORDS, REASON_WORDS, Outgoing
from leadtui.crm.hubspot import api
from leadtui.importing.crm_exports import where_it_stands

CUSTOM = "custom:"

# HubSpot contact property -> lead field, or `custom:NAME` for a custom field. The first
# and last name make the lead's name; the hand-off date its mql_at.
FIELDS: dict[str, str] = {
    "email": "email",
    "phone": "phone",
    "jobtitle": "title",
    "company": "company",
    "website": "website",
    "city": "city",
    "state": "region",
    "country": "country",
    "numemployees": "employees",
    "annualrevenue": "revenue",
    "industry": "industry",
    "hs_analytics_source": "source",
    # What HubSpot counts of the contact's engagement: custom fields the agreement's
    # rules can name.
    "hs_analytics_num_page_views": "custom:hubspot_page_views",
    "hs_analytics_num_visits": "custom:hubspot_visits",
    "num_conversion_events": "custom:hubspot_conversions",
    "recent_conversion_event_name": "custom:hubspot_recent_conversion",
    "hs_email_click": "custom:hubspot_email_clicks",
    "hubspotscore": "custom:hubspot_score",
    "lifecyclestage": "custom:hubspot_lifecycle_stage",
    "hs_lead_status": "custom:hubspot_lead_status",
}
NAME_PARTS = ("firstname", "lastname")
MQL_DATE = "hs_lifecyclestage_marketingqualifiedlead_date"
MODIFIED = "lastmodifieddate"
OWNER = "hubspot_owner_id"
LEAD_STATUS = "hs_lead_status"
MQL = "marketingqualifiedlead"

# A move in leadtui -> the contact properties it sets in HubSpot.
MOVES: dict[str, dict[str, str]] = {
    EventKind.ACCEPTED.value: {"hs_lead_status": "IN_PROGRESS"},
    EventKind.QUALIFIED.value: {
        "lifecyclestage": "salesqualifiedlead",
        "hs_lead_status": "CONNECTED",
    },
    EventKind.RETURNED_TO_NURTURE.value: {"lifecyclestage": "lead", "hs_lead_status": "BAD_TIMING"},
    EventKind.DISQUALIFIED.value: {"lifecyclestage": "other", "hs_lead_status": "UNQUALIFIED"},
}

# A call's outcome -> the label of HubSpot's call outcome (disposition); its id is read
# from the account. An email's outcome sets the email's status and direction.
OUTCOMES: dict[str, str] = {
    AttemptOutcome.CONNECTED.value: "Connected",
    AttemptOutcome.VOICEMAIL.value: "Left voicemail",
    AttemptOutcome.NO_ANSWER.value: "No answer",
    AttemptOutcome.WRONG_NUMBER.value: "Wrong number",
    AttemptOutcome.GATEKEEPER.value: "Left live message",
}
EMAIL_STATUS = {AttemptOutcome.BOUNCED.value: "BOUNCED"}
EMAIL_DIRECTION = {AttemptOutcome.REPLIED.value: "INCOMING_EMAIL"}


@dataclass(frozen=True)
class HubSpotMap:
    """The mapping in force: the defaults with the settings' overrides."""

    fields: dict[str, str] = field(default_factory=lambda: dict(FIELDS))
    moves: dict[str, dict[str, str]] = field(default_factory=lambda: dict(MOVES))
    outcomes: dict[str, str] = field(default_factory=lambda: dict(OUTCOMES))
    notes: bool = True  # a move's reason and note as a note on the contact

    @classmethod
    def over_defaults(
        cls,
        fields: Mapping[str, str] | None = None,
        moves: Mapping[str, Mapping[str, str]] | None = None,
        outcomes: Mapping[str, str] | None = None,
        *,
        notes: bool = True,
    ) -> HubSpotMap:
        """The defaults, with each key the settings name replaced (an empty value
        leaves a property out)."""
        return cls(
            fields={k: v for k, v in (FIELDS | dict(fields or {})).items() if v},
            moves=MOVES | {kind: dict(props) for kind, props in (moves or {}).items()},
            outcomes={k: v for k, v in (OUTCOMES | dict(outcomes or {})).items() if v},
            notes=notes,
        )

    @property
    def asked(self) -> list[str]:
        """The contact properties a pull asks for."""
        return sorted(
            {*self.fields, *NAME_PARTS, MQL_DATE, MODIFIED, OWNER, LEAD_STATUS, "createdate"}
        )


def record_of(
    contact_id: str,
    properties: Mapping[str, str | None],
    mapping: HubSpotMap,
    owner: str | None = None,
    rep: str | None = None,
) -> LeadRecord:
    """A lead record of a contact that HubSpot handed to sales, with its HubSpot owner's
    name kept and the rep that owner is (`rep`, by id) as its owner; its lead status
    says where it stands with sales, as a HubSpot export's does (an MQL that is
    CONNECTED is being worked, an UNQUALIFIED one was disqualified), so a first pull does
    not put back in the queue what sales already worked in HubSpot (ValidationError or
    ValueError when a value cannot be kept, naming it)."""
    values: dict[str, Any] = {"external_id": contact_id}
    custom: dict[str, str] = {"hubspot_owner": owner} if owner else {}
    name = " ".join(filter(None, (properties.get(part) for part in NAME_PARTS)))
    if name:
        values["name"] = name
    for prop, target in mapping.fields.items():
        value = (properties.get(prop) or "").strip()
        if not value:
            continue
        if target.startswith(CUSTOM):
            custom[target.removeprefix(CUSTOM)] = value
        elif target == "employees":
            values[target] = _whole(value, prop)
        elif target == "revenue":
            values[target] = float(_whole(value, prop))
        elif target in ("mql_at", "created_at"):
            values[target] = moment(value, prop)
        else:
            values[target] = value
    # A date the settings map wins over HubSpot's own.
    values.setdefault("created_at", moment(properties.get("createdate"), "createdate"))
    values.setdefault(
        "mql_at",
        moment(properties.get(MQL_DATE), MQL_DATE) or moment(properties.get(MODIFIED), MODIFIED),
    )
    # Every contact pulled is at the account's MQL stage (whatever the account calls
    # it): its lead status alone says how far sales took it.
    values["stage"] = where_it_stands(MQL, properties.get(LEAD_STATUS), None)
    values["owner"] = rep
    return LeadRecord.model_validate(values | {"custom": custom or None})


def moment(value: str | None, what: str) -> datetime | None:
    """A HubSpot time (ISO 8601, or epoch milliseconds), bounded at the door."""
    if not value:
        return None
    if value.isdigit():
        found = datetime.fromtimestamp(int(value) / 1000, tz=moments.EARLIEST.tzinfo)
    else:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moments.check(found, f"HubSpot's {what}")


def millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _whole(value: str, prop: str) -> int:
    """A count as HubSpot writes it: '450', '1,500', a band such as '100-500' or
    '1000+' (its lower end: the least the company is)."""
    found = re.match(r"\s*([\d,]+)", value)
    if found is None:
        raise ValueError(f"{prop} {value!r} is not a number")
    return int(found.group(1).replace(",", ""))


def engagement(
    outgoing: Outgoing, dispositions: Mapping[str, str], mapping: HubSpotMap
) -> tuple[str, dict[str, Any]]:
    """The call or email to create for an attempt: its kind and its body."""
    payload = outgoing.payload
    channel = payload.get("channel", Channel.CALL.value)
    outcome = str(payload.get("outcome", ""))
    note = str(payload.get("note") or "")
    when = outgoing.at.isoformat().replace("+00:00", "Z")
    properties: dict[str, Any] = {"hs_timestamp": when, api.EVENT_PROPERTY: outgoing.event_id}
    if channel == Channel.EMAIL.value:
        kind, association = "emails", api.EMAIL_TO_CONTACT
        properties |= {
            "hs_email_direction": EMAIL_DIRECTION.get(outcome, "EMAIL"),
            "hs_email_status": EMAIL_STATUS.get(outcome, "SENT"),
            "hs_email_subject": f"Email to {outgoing.lead_name} ({_words(outcome)})",
            "hs_email_text": note,
        }
    else:
        kind, association = "calls", api.CALL_TO_CONTACT
        properties |= {
            "hs_call_title": f"Call with {outgoing.lead_name}",
            "hs_call_body": note,
            "hs_call_direction": "OUTBOUND",
            "hs_call_status": "COMPLETED",
        }
        label = mapping.outcomes.get(outcome, "")
        if disposition := dispositions.get(label.casefold()):
            properties["hs_call_disposition"] = disposition
    body = {
        "properties": properties,
        "associations": [
            {
                "to": {"id": outgoing.record},
                "types": [
                    {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": association}
                ],
            }
        ],
    }
    return kind, body


def move_properties(outgoing: Outgoing, mapping: HubSpotMap) -> dict[str, str]:
    """The contact properties a move sets, with `{reason}`, `{reason_code}` and `{note}`
    in a value replaced by the move's own words."""
    payload = outgoing.payload
    words = {
        "{reason}": str(payload.get(REASON_WORDS) or payload.get("reason") or ""),
        "{reason_code}": str(payload.get("reason") or ""),
        "{note}": str(payload.get("note") or ""),
    }
    properties = {}
    for name, value in mapping.moves.get(outgoing.kind.value, {}).items():
        for placeholder, said in words.items():
            value = value.replace(placeholder, said)
        properties[name] = value
    return properties


def move_note(outgoing: Outgoing, mapping: HubSpotMap) -> dict[str, Any] | None:
    """The note to make on the contact for a move: who moved it, why (the reason as the
    agreement words it, and its code), the qualify checklist and the rep's note. None
    for a move that says nothing more than its status (an accept without a note)."""
    if not mapping.notes or outgoing.kind is EventKind.ATTEMPT:
        return None
    payload = outgoing.payload
    reason = str(payload.get("reason") or "")
    note = str(payload.get("note") or "").strip()
    checklist = payload.get("checklist")
    if not (reason or note or checklist):
        return None
    move = MOVE_WORDS.get(outgoing.kind.value, outgoing.kind.value).removeprefix("the ")
    head = f"{move.capitalize()} in leadtui by {payload.get(BY) or outgoing.actor}"
    if reason:
        head += f": {payload.get(REASON_WORDS) or reason} (reason code {reason})"
    lines = [head]
    if isinstance(checklist, dict) and checklist:
        confirmed = [_words(k) for k, v in checklist.items() if v]
        missing = [_words(k) for k, v in checklist.items() if not v]
        lines.append("Confirmed: " + (", ".join(confirmed) or "nothing"))
        if missing:
            lines.append("Not confirmed: " + ", ".join(missing))
    if note:
        lines.append(f"Note: {note}")
    when = outgoing.at.isoformat().replace("+00:00", "Z")
    return {
        "properties": {
            "hs_timestamp": when,
            # HubSpot shows a note's body as HTML: the rep's words are escaped.
            "hs_note_body": "".join(f"<p>{html.escape(line)}</p>" for line in lines),
            api.EVENT_PROPERTY: outgoing.event_id,
        },
        "associations": [
            {
                "to": {"id": outgoing.record},
                "types": [
                    {
                        "associationCategory": "HUBSPOT_DEFINED",
                        "associationTypeId": api.NOTE_TO_CONTACT,
                    }
                ],
            }
        ],
    }


def _words(outcome: str) -> str:
    return outcome.replace("_", " ") or "sent"


__all__ = ["CUSTOM", "FIELDS", "MOVES", "OUTCOMES", "HubSpotMap", "ValidationError", "record_of"]
