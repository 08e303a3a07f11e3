"""The fake HubSpot's account data and rules, beside its routes (fake_hubspot.py): the
default lifecycle stages, lead statuses and call outcomes, HubSpot's error body, and how
a search's filters and sorts hold, as HubSpot's search docs describe them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.responses import JSONResponse, Response

STAGES = [
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
]
LEAD_STATUSES = [
    "NEW",
    "OPEN",
    "IN_PROGRESS",
    "OPEN_DEAL",
    "UNQUALIFIED",
    "ATTEMPTED_TO_CONTACT",
    "CONNECTED",
    "BAD_TIMING",
]
DISPOSITIONS = {
    "Busy": "9d9162e7-6cf3-4944-bf63-4dff82258764",
    "Connected": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
    "Left live message": "a4c4c377-d246-4b32-a13b-75a56a4cd0ff",
    "Left voicemail": "b2cf5968-551e-4856-9783-52b3da59a7d0",
    "No answer": "73a0d17f-1163-4015-bdd5-ec830791da20",
    "Wrong number": "17b47fee-58de-441e-a44c-c6300d46f273",
}
TIMES = {"createdate", "lastmodifieddate", "hs_timestamp"}
NUMBERS = {"hs_object_id"}
ALWAYS = ("createdate", "lastmodifieddate", "hs_object_id")


def millis(value: str) -> int:
    if value.isdigit():
        return int(value)
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


def iso(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def enumeration(name: str, values: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "label": name,
        "type": "enumeration",
        "options": [
            {"label": value.replace("_", " ").title(), "value": value, "displayOrder": n}
            for n, value in enumerate(values)
        ],
    }


def error(status: int, message: str, category: str) -> Response:
    return JSONResponse(
        {"status": "error", "message": message, "category": category, "correlationId": "fake"},
        status_code=status,
    )


def sort_key(value: str | None, name: str) -> tuple[int, Any]:
    if value is None:
        return (1, 0)
    if name in NUMBERS:
        return (0, int(value))
    return (0, millis(value) if name in TIMES else value)


def matches(props: dict[str, str], groups: list[dict[str, Any]]) -> bool:
    if not groups:
        return True
    return any(all(holds(props, f) for f in group.get("filters", [])) for group in groups)


def holds(props: dict[str, str], rule: dict[str, Any]) -> bool:
    name, operator = rule["propertyName"], rule["operator"]
    value = props.get(name)
    if operator == "HAS_PROPERTY":
        return bool(value)
    if operator == "NOT_HAS_PROPERTY":
        return not value
    if value is None or value == "":
        return operator == "NEQ"
    wanted = rule.get("value", "")
    if name in TIMES or name in NUMBERS:
        read = int if name in NUMBERS else millis
        left, right = read(value), read(str(wanted))
        compare = {
            "EQ": left == right,
            "NEQ": left != right,
            "GT": left > right,
            "GTE": left >= right,
            "LT": left < right,
            "LTE": left <= right,
        }
        return compare[operator]
    if operator == "EQ":
        return value.casefold() == str(wanted).casefold()
    if operator == "NEQ":
        return value.casefold() != str(wanted).casefold()
    if operator == "IN":
        return value in rule.get("values", [])
    raise ValueError(f"the fake does not know operator {operator}")
