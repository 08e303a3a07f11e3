"""A fake HubSpot for the connector's tests, written from HubSpot's public API docs (CRM
v3: contacts search, calls, emails, notes, associations on create, properties and their
groups, owners; the
calling dispositions; the account's daily API usage; the rate-limit headers and 429
bodies): served over real HTTP,
with faults on demand.

What it holds to, as the docs describe: a bearer token; search filters ANDed in a group
and groups ORed, sorted, at most 200 a page, `after` paging, and no paging past 10,000
results (a 400; `cap` makes that smaller for a test); enumerated properties refuse a
value they do not have; a lifecycle stage moves only forward unless it is cleared
first; a create needs `hs_timestamp`, and refuses a property the account does not have;
a deleted contact is a 404 and no association; a new call, email or note shows in
search only `search_lag` after it is made, a contact's change `contact_lag` after it
(on the fake's clock, `now`).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.crm.hubspot_parts import (
    ALWAYS,
    DISPOSITIONS,
    LEAD_STATUSES,
    STAGES,
    enumeration,
    error,
    iso,
    matches,
    millis,
    sort_key,
)

__all__ = ["DISPOSITIONS", "FakeHubSpot", "Fault", "iso", "millis", "too_many"]


@dataclass
class Fault:
    """What the next matching request meets: an answer instead of the real one
    (`status`, with `body`), or the real work done and its answer held `late`."""

    method: str
    path: str  # the request's path starts with this
    status: int = 0
    body: dict[str, Any] = field(default_factory=dict)
    late: float = 0.0


def too_many(policy: str) -> Fault:
    return Fault("", "", 429, {"status": "error", "errorType": "RATE_LIMIT", "policyName": policy})


class FakeHubSpot:
    def __init__(self, token: str = "pat-na1-fake", *, cap: int = 10_000) -> None:
        self.token = token
        self.cap = cap
        self.now = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
        self.ids = itertools.count(1001)
        self.contacts: dict[str, dict[str, str]] = {}
        self.deleted: set[str] = set()
        self.objects: dict[str, dict[str, dict[str, Any]]] = {
            "calls": {},
            "emails": {},
            "notes": {},
        }
        self.properties: dict[str, dict[str, dict[str, Any]]] = {
            "contacts": {
                "lifecyclestage": enumeration("lifecyclestage", STAGES),
                "hs_lead_status": enumeration("hs_lead_status", LEAD_STATUSES),
            },
            "calls": {},
            "emails": {},
            "notes": {},
        }
        self.groups = {
            "calls": ["callinformation"],
            "emails": ["emailinformation"],
            "notes": ["engagement", "noteinformation"],
        }
        self.owners: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.searches: list[dict[str, Any]] = []
        self.refused_paging = 0
        self.daily_left = 250_000
        # The account's day ends at its own midnight (US Eastern here), as
        # /account-info/v3/api-usage/daily/private-apps tells.
        self.resets_at = datetime(2026, 11, 18, 5, 0, tzinfo=UTC)
        # Engagements show in search only this long (on the fake's clock) after they
        # are made, as HubSpot's search lags its writes.
        self.search_lag = timedelta(0)
        self.contact_lag = timedelta(0)
        self.contact_searchable_at: dict[str, datetime] = {}
        # Called with each search's body once it is answered (to change the account
        # between two pages of a pull).
        self.after_search: list[Any] = []
        # The rolling window reported spent (X-HubSpot-RateLimit-Remaining 0) this
        # many more times.
        self.window_spent = 0
        self.app = self._routes()

    # -- the account, as a test sets it up

    def tick(self) -> str:
        self.now += timedelta(milliseconds=1500)
        return iso(int(self.now.timestamp() * 1000))

    def add_contact(self, **properties: str) -> str:
        contact_id = str(next(self.ids))
        stamp = self.tick()
        self.contacts[contact_id] = {
            "createdate": stamp,
            "lastmodifieddate": stamp,
            "hs_object_id": contact_id,
        } | properties
        self.contact_searchable_at[contact_id] = self.now + self.contact_lag
        return contact_id

    def change_contact(self, contact_id: str, **properties: str) -> None:
        self.contacts[contact_id] |= properties | {"lastmodifieddate": self.tick()}
        self.contact_searchable_at[contact_id] = self.now + self.contact_lag

    def add_owner(self, owner_id: str, first: str, last: str, email: str) -> None:
        self.owners.append({"id": owner_id, "firstName": first, "lastName": last, "email": email})

    def fail(self, method: str, path: str, fault: Fault) -> None:
        fault.method, fault.path = method, path
        self.faults.append(fault)

    def made_for(self, event_id: str) -> list[str]:
        """The calls, emails and notes that carry a leadtui event's id."""
        return [
            object_id
            for kind in self.objects.values()
            for object_id, found in kind.items()
            if found["properties"].get("leadtui_event_id") == event_id
        ]

    # -- HTTP

    def _routes(self) -> FastAPI:
        app = FastAPI()
        app.middleware("http")(self._gate)

        @app.get("/crm/v3/properties/{kind}/groups")
        def get_groups(kind: str) -> Response:
            names = self.groups.get(kind, [])
            return JSONResponse({"results": [{"name": n, "label": n.title()} for n in names]})

        @app.get("/crm/v3/properties/{kind}/{name}")
        def get_property(kind: str, name: str) -> Response:
            found = self.properties.get(kind, {}).get(name)
            if found is None:
                return error(404, f"Unable to find property {name} of {kind}", "OBJECT_NOT_FOUND")
            return JSONResponse(found)

        @app.post("/crm/v3/properties/{kind}")
        async def create_property(kind: str, request: Request) -> Response:
            body = await request.json()
            if body.get("name") in self.properties[kind]:
                return error(409, f"Property {body['name']} already exists", "CONFLICT")
            missing = [
                k for k in ("name", "label", "type", "fieldType", "groupName") if k not in body
            ]
            if missing:
                return error(400, f"missing {', '.join(missing)}", "VALIDATION_ERROR")
            self.properties[kind][body["name"]] = body | {"options": []}
            return JSONResponse(body, status_code=201)

        @app.get("/crm/v3/owners")
        def owners(limit: int = 100, after: str = "0") -> Response:
            start = int(after)
            page = self.owners[start : start + limit]
            more = start + limit < len(self.owners)
            paging = {"next": {"after": str(start + limit)}} if more else None
            return JSONResponse({"results": page} | ({"paging": paging} if paging else {}))

        @app.get("/account-info/v3/api-usage/daily/private-apps")
        def daily_usage() -> Response:
            used = 250_000 - self.daily_left
            stamp = self.resets_at.isoformat().replace("+00:00", "Z")
            return JSONResponse(
                {
                    "results": [
                        {
                            "name": "private-apps-api-calls-daily",
                            "usageLimit": 250_000,
                            "currentUsage": used,
                            "collectedAt": iso(int(self.now.timestamp() * 1000)),
                            "fetchStatus": "SUCCESS",
                            "resetsAt": stamp,
                        }
                    ]
                }
            )

        @app.get("/calling/v1/dispositions")
        def dispositions() -> Response:
            return JSONResponse([{"id": v, "label": k} for k, v in DISPOSITIONS.items()])

        @app.post("/crm/v3/objects/{kind}/search")
        async def search(kind: str, request: Request) -> Response:
            body = await request.json()
            self.searches.append(body)
            limit = int(body.get("limit", 10))
            after = int(body.get("after", 0))
            if limit > 200:
                return error(400, "limit must be at most 200", "VALIDATION_ERROR")
            if after >= self.cap:
                self.refused_paging += 1
                return error(400, f"paging past {self.cap} results", "VALIDATION_ERROR")
            found = [
                (object_id, props)
                for object_id, props in self._all(kind)
                if matches(props, body.get("filterGroups", []))
            ]
            for sort in reversed(body.get("sorts", [])):
                name = sort["propertyName"]
                found.sort(
                    key=lambda item, n=name: sort_key(item[1].get(n), n),
                    reverse=sort.get("direction") == "DESCENDING",
                )
            total = min(len(found), self.cap) if kind == "contacts" else len(found)
            page = found[after : after + limit]
            asked = set(body.get("properties", [])) | set(ALWAYS)
            results = [
                {"id": object_id, "properties": {k: v for k, v in props.items() if k in asked}}
                for object_id, props in page
            ]
            answer: dict[str, Any] = {"total": total, "results": results}
            if after + limit < len(found):
                answer["paging"] = {"next": {"after": str(after + limit)}}
            for then in list(self.after_search):
                then(body)
            return JSONResponse(answer)

        @app.patch("/crm/v3/objects/contacts/{contact_id}")
        async def update_contact(contact_id: str, request: Request) -> Response:
            if contact_id not in self.contacts or contact_id in self.deleted:
                return error(404, f"resource not found: contact {contact_id}", "OBJECT_NOT_FOUND")
            changes = (await request.json()).get("properties", {})
            contact = self.contacts[contact_id]
            for name, value in changes.items():
                options = self.properties["contacts"].get(name, {}).get("options")
                if value and options and value not in [o["value"] for o in options]:
                    return error(
                        400,
                        f"{value!r} was not one of the allowed options for {name}",
                        "VALIDATION_ERROR",
                    )
            for name, value in changes.items():
                before = contact.get(name, "")
                backwards = (
                    name == "lifecyclestage"
                    and value in STAGES
                    and before in STAGES
                    and STAGES.index(value) < STAGES.index(before)
                )
                if backwards:
                    continue  # only forward, unless cleared first
                contact[name] = value
            contact["lastmodifieddate"] = self.tick()
            self.contact_searchable_at[contact_id] = self.now + self.contact_lag
            return JSONResponse({"id": contact_id, "properties": contact})

        @app.post("/crm/v3/objects/{kind}")
        async def create(kind: str, request: Request) -> Response:
            body = await request.json()
            properties = body.get("properties", {})
            if "hs_timestamp" not in properties:
                return error(400, "hs_timestamp is required", "VALIDATION_ERROR")
            unknown = [
                name
                for name in properties
                if name.startswith("leadtui_") and name not in self.properties[kind]
            ]
            if unknown:
                return error(
                    400,
                    f"Property values were not valid: {unknown[0]} does not exist",
                    "VALIDATION_ERROR",
                )
            linked = []
            for association in body.get("associations", []):
                to = association["to"]["id"]
                if to not in self.contacts or to in self.deleted:
                    return error(
                        400,
                        f"One or more associations are invalid: contact {to}",
                        "VALIDATION_ERROR",
                    )
                linked.append((to, association["types"][0]["associationTypeId"]))
            object_id = str(next(self.ids))
            stamp = self.tick()
            self.objects[kind][object_id] = {
                "properties": properties
                | {"hs_object_id": object_id, "createdate": stamp, "lastmodifieddate": stamp},
                "associations": linked,
                "searchable_at": self.now + self.search_lag,
            }
            return JSONResponse(
                {"id": object_id, "properties": self.objects[kind][object_id]["properties"]},
                status_code=201,
            )

        return app

    def _all(self, kind: str) -> list[tuple[str, dict[str, str]]]:
        if kind == "contacts":
            return [
                (k, v)
                for k, v in self.contacts.items()
                if k not in self.deleted and self.contact_searchable_at.get(k, self.now) <= self.now
            ]
        return [
            (k, v["properties"])
            for k, v in self.objects[kind].items()
            if v["searchable_at"] <= self.now
        ]

    async def _gate(self, request: Request, call_next: Any) -> Response:
        self.requests.append((request.method, request.url.path))
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return error(401, "Authentication credentials not found.", "INVALID_AUTHENTICATION")
        fault = next(
            (
                f
                for f in self.faults
                if f.method == request.method and request.url.path.startswith(f.path)
            ),
            None,
        )
        if fault is not None:
            self.faults.remove(fault)
            if fault.status:
                return JSONResponse(fault.body, status_code=fault.status)
        self.daily_left -= 1
        answer: Response = await call_next(request)
        if fault is not None and fault.late:
            await asyncio.sleep(fault.late)  # committed; the answer comes too late
        answer.headers["X-HubSpot-RateLimit-Daily"] = "250000"
        answer.headers["X-HubSpot-RateLimit-Daily-Remaining"] = str(self.daily_left)
        answer.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000"
        answer.headers["X-HubSpot-RateLimit-Max"] = "190"
        answer.headers["X-HubSpot-RateLimit-Remaining"] = "0" if self.window_spent else "189"
        self.window_spent = max(0, self.window_spent - 1)
        return answer
