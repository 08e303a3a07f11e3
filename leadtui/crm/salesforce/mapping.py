"""What maps to what between a Salesforce Lead and a lead, and between leadtui's events and
Salesforce's Tasks and Lead statuses. Each default can be overridden in the settings'
[crm] table (fields, moves, outcomes).

Who wins when both sides changed: the Lead's fields are Salesforce's (a pull writes
what Salesforce says over what the lead had); the lead's stage, owner and log are
leadtui's (a pull never moves a lead a rep is working, and every disposition a rep
logged is pushed as a Task, whatever the Lead's status says by then). Salesforce's
Status and Rating are kept on the lead as custom fields, so a rep sees them. A Lead
first pulled past the hand-over (Working - Contacted, Qualified) comes in at that stage,
held by the rep its owner is, so nobody calls it again as a fresh MQL.

Qualify does not convert the Lead: conversion is not a field update (it makes an
Account, a Contact and perhaps an Opportunity, and needs the Convert Leads
permission). Qualify sets the Status to "Qualified" and leaves the conversion to the
account executive who takes the meeting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadtui.core import moments
from leadtui.core.intake import LeadRecord
from leadtui.core.models import AttemptOutcome, Channel, EventKind, Stage
from leadtui.core.to_the_crm import Outgoing
from leadtui.crm.salesforce import api
from leadtui.importing.crm_exports import where_it_stands

CUSTOM = "custom:"

# Lead field -> lead field, or `custom:NAME` for a custom field (or `mql_at`, for a
# date-time field the org keeps the hand-off in). FirstName and LastName make the name.
FIELDS: dict[str, str] = {
    "Email": "email",
    "Phone": "phone",
    "Title": "title",
    "Company": "company",
    "Website": "website",
    "City": "city",
    "State": "region",
    "Country": "country",
    "NumberOfEmployees": "employees",
    "AnnualRevenue": "revenue",
    "Industry": "industry",
    "LeadSource": "source",
    "Status": "custom:salesforce_status",
    "Rating": "custom:salesforce_rating",
}
NAME_PARTS = ("FirstName", "LastName")
MODIFIED = "SystemModstamp"  # not LastModifiedDate: integrations can set that one
HANDED = "LastModifiedDate"  # when a person last changed it: the hand-off, at best
OWNER = "OwnerId"
ALWAYS = ("Id", "IsConverted", "CreatedDate", HANDED, MODIFIED, OWNER, *NAME_PARTS)

# A move in leadtui -> the Lead fields it sets in Salesforce.
MOVES: dict[str, dict[str, str]] = {
    EventKind.ACCEPTED.value: {"Status": "Working - Contacted"},
    EventKind.QUALIFIED.value: {"Status": "Qualified"},
    EventKind.RETURNED_TO_NURTURE.value: {"Status": "Nurturing"},
    EventKind.DISQUALIFIED.value: {"Status": "Closed - Not Converted"},
}
# The moves after which the Lead is still sales': a pull goes on reading it.
STILL_SALES = (EventKind.ACCEPTED.value, EventKind.QUALIFIED.value)

# A call's outcome -> the Task's CallDisposition (free text in Salesforce).
OUTCOMES: dict[str, str] = {
    AttemptOutcome.CONNECTED.value: "Connected",
    AttemptOutcome.VOICEMAIL.value: "Left voicemail",
    AttemptOutcome.NO_ANSWER.value: "No answer",
    AttemptOutcome.WRONG_NUMBER.value: "Wrong number",
    AttemptOutcome.GATEKEEPER.value: "Left message with gatekeeper",
}


@dataclass(frozen=True)
class SalesforceMap:
    """The mapping in force: the defaults with the settings' overrides."""

    fields: dict[str, str] = field(default_factory=lambda: dict(FIELDS))
    moves: dict[str, dict[str, str]] = field(default_factory=lambda: dict(MOVES))
    outcomes: dict[str, str] = field(default_factory=lambda: dict(OUTCOMES))

    @classmethod
    def over_defaults(
        cls,
        fields: Mapping[str, str] | None = None,
        moves: Mapping[str, Mapping[str, str]] | None = None,
        outcomes: Mapping[str, str] | None = None,
    ) -> SalesforceMap:
        """The defaults, with each key the settings name replaced (an empty value
        leaves a field out)."""
        return cls(
            fields={k: v for k, v in (FIELDS | dict(fields or {})).items() if v},
            moves=MOVES | {kind: dict(props) for kind, props in (moves or {}).items()},
            outcomes={k: v for k, v in (OUTCOMES | dict(outcomes or {})).items() if v},
        )

    @property
    def asked(self) -> list[str]:
        """The Lead fields a pull asks for."""
        return sorted({*self.fields, *ALWAYS})

    def statuses_set(self) -> dict[str, str]:
        """The Lead Status each move sets (a move that sets none is left out)."""
        return {kind: fields["Status"] for kind, fields in self.moves.items() if "Status" in fields}


def record_of(
    lead: Mapping[str, Any], mapping: SalesforceMap, owner: str | None, rep: str | None = None
) -> LeadRecord:
    """A lead record of a Salesforce Lead handed to sales, with its owner's name kept,
    where its Status says it stands with sales, and (for one sales already works) the
    rep its owner is (ValidationError or ValueError when a value cannot be kept, naming
    it)."""
    stage = stage_of(str(lead.get("Status") or ""), mapping)
    values: dict[str, Any] = {"external_id": str(lead["Id"]), "stage": stage}
    if rep is not None and stage is not Stage.MQL:
        values["owner"] = rep
    custom: dict[str, str] = {"salesforce_owner": owner} if owner else {}
    name = " ".join(str(lead[part]) for part in NAME_PARTS if lead.get(part))
    if name:
        values["name"] = name
    mql_at: datetime | None = None
    for name_in_salesforce, target in mapping.fields.items():
        value = lead.get(name_in_salesforce)
        if value is None or str(value).strip() == "":
            continue
        text = str(value).strip()
        if target.startswith(CUSTOM):
            custom[target.removeprefix(CUSTOM)] = text
        elif target == "mql_at":
            mql_at = moment(text, name_in_salesforce)
        elif target == "employees":
            values[target] = _whole(value, name_in_salesforce)
        elif target == "revenue":
            values[target] = float(_whole(value, name_in_salesforce))
        else:
            values[target] = text
    values["created_at"] = moment(lead.get("CreatedDate"), "CreatedDate")
    values["mql_at"] = mql_at or moment(lead.get(HANDED), HANDED)
    return LeadRecord.model_validate(values | {"custom": custom or None})


def stage_of(status: str, mapping: SalesforceMap) -> Stage:
    """Where a Lead pulled at `status` stands with sales: the stage of the move that sets
    that status here (accepted, qualified), else what the status means by its words
    (Working: being worked; Qualified), else just handed over."""
    moved = {value: kind for kind, value in mapping.statuses_set().items()}
    if (kind := moved.get(status)) in _STAGE_OF_MOVE:
        return _STAGE_OF_MOVE[kind]
    return where_it_stands(None, status, None) or Stage.MQL


_STAGE_OF_MOVE = {
    EventKind.ACCEPTED.value: Stage.ACCEPTED,
    EventKind.QUALIFIED.value: Stage.QUALIFIED,
}


def moment(value: object, what: str) -> datetime | None:
    """A Salesforce time ('2026-11-17T09:00:00.000+0000'), bounded at the door."""
    if value is None or value == "":
        return None
    text = str(value)
    found = datetime.fromisoformat(
        re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace("Z", "+00:00"))
    )
    return moments.check(found, f"Salesforce's {what}")


def soql_moment(at: datetime) -> str:
    """A time as a SOQL date-time literal (unquoted, UTC)."""
    return at.astimezone(moments.EARLIEST.tzinfo).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{at.microsecond // 1000:03d}Z"
    )


def _whole(value: object, name: str) -> int:
    """A number as Salesforce answers it (450, 2.0E7, '1,500')."""
    if isinstance(value, int | float):
        return int(value)
    found = re.match(r"\s*([\d,]+)", str(value))
    if found is None:
        raise ValueError(f"{name} {value!r} is not a number")
    return int(found.group(1).replace(",", ""))


def task(outgoing: Outgoing, mapping: SalesforceMap, owner: str | None = None) -> dict[str, Any]:
    """The Task an attempt becomes (its external id is the event's UUID), assigned to the
    Salesforce user the rep is (`owner`; None: the integration user). TaskSubtype (Call,
    Email) is set on the first send only: Salesforce refuses to change it on an update,
    and a push sent again may be one."""
    payload = outgoing.payload
    channel = payload.get("channel", Channel.CALL.value)
    outcome = str(payload.get("outcome", ""))
    said = outcome.replace("_", " ") or "sent"
    body: dict[str, Any] = {
        "WhoId": outgoing.record,
        "ActivityDate": outgoing.at.date().isoformat(),
        "Status": "Completed",
        "Description": str(payload.get("note") or ""),
    }
    if owner:
        body["OwnerId"] = owner
    if channel == Channel.EMAIL.value:
        body["Subject"] = f"Email: {outgoing.lead_name} ({said})"
        subtype = "Email"
    else:
        body |= {"Subject": f"Call: {outgoing.lead_name} ({said})", "CallType": "Outbound"}
        if disposition := mapping.outcomes.get(outcome):
            body["CallDisposition"] = disposition[:255]
        subtype = "Call"
    if not outgoing.unsure:
        body["TaskSubtype"] = subtype
    return body


def in_batch(
    outgoing: Outgoing, mapping: SalesforceMap, owner: str | None = None
) -> dict[str, Any]:
    """The Task as one record of an sObject Collections upsert."""
    return (
        {"attributes": {"type": "Task"}}
        | task(outgoing, mapping, owner)
        | {api.EVENT_FIELD: outgoing.event_id}
    )
