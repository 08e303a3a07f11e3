"""What the fake Salesforce holds to, apart from its routes: the org's lead statuses and
the fields of its Lead and Task, a fault set up by a test, and errors worded as
Salesforce's REST API words them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.responses import JSONResponse, Response

DATA = "/services/data/v63.0"
EVENT_FIELD = "leadtui_Event_Id__c"
STATUSES = [
    # ApiName, IsDefault, IsConverted: the defaults of a new org, with the two most
    # teams add (an MQL status, and one for a lead sales qualified).
    ("Open - Not Contacted", True, False),
    ("MQL", False, False),
    ("Working - Contacted", False, False),
    ("Qualified", False, False),
    ("Nurturing", False, False),
    ("Closed - Converted", False, True),
    ("Closed - Not Converted", False, False),
]
TASK_FIELDS = set(
    "Id WhoId Subject Description ActivityDate Status TaskSubtype CallType CallDisposition "
    f"CallDurationInSeconds OwnerId {EVENT_FIELD}".split()
)
LEAD_FIELDS = set(
    [
        "Id",
        "FirstName",
        "LastName",
        "Name",
        "Title",
        "Company",
        "Email",
        "Phone",
        "Website",
        "City",
        "State",
        "Country",
        "NumberOfEmployees",
        "AnnualRevenue",
        "Industry",
        "LeadSource",
        "Status",
        "Rating",
        "OwnerId",
        "IsConverted",
        "ConvertedDate",
        "CreatedDate",
        "LastModifiedDate",
        "SystemModstamp",
        "Description",
    ]
)
SUBTYPES = ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")

# A validation rule: given the object's kind and the record as it would be saved, the
# rule's error message when it refuses, else None.
Rule = Callable[[str, dict[str, Any]], str | None]


@dataclass
class Fault:
    """What the next matching request meets: an answer instead of the real one
    (`status`, with `body`), or the real work done and its answer held `late`; and
    first, `then` (the org's sessions expire, a proxy is told to drop the answer)."""

    method: str
    path: str  # the request's path starts with this
    status: int = 0
    body: Any = None
    late: float = 0.0
    then: Callable[[], None] | None = None  # done as the request arrives (sessions expire)


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"


def with_type(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    url = f"{DATA}/sobjects/{kind}/{row.get('Id', '')}"
    return {"attributes": {"type": kind, "url": url}} | row


def failed(code: str, message: str, fields: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": None,
        "success": False,
        "errors": [{"statusCode": code, "message": message, "fields": fields or []}],
    }


def error(status: int, code: str, message: str, fields: list[str] | None = None) -> Response:
    return JSONResponse(
        [{"message": message, "errorCode": code, "fields": fields or []}], status_code=status
    )
