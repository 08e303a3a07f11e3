"""A fake Salesforce org for the connector's tests, written from Salesforce's public REST
API docs (OAuth 2.0 client credentials, query and nextRecordsUrl, sObject describe,
upsert by external id alone and in sObject Collections, record update alone and in
sObject Collections; errors as a list
of {message, errorCode}; the Sforce-Limit-Info header): served over real HTTP, with
faults on demand.

What it holds to, as the docs describe: a session from the token endpoint, refused
with 401 INVALID_SESSION_ID once expired; queries in batches (`batch`) with a
`nextRecordsUrl`; an upsert on an External ID field makes a record once and updates it
after; TaskSubtype is set on create only; WhoId must name a Lead that exists; a
restricted picklist (Lead Status) refuses a value it does not have; a converted Lead
is not updated; a Task's OwnerId must name a user; validation rules refuse with
FIELD_CUSTOM_VALIDATION_EXCEPTION; an org's total API requests in 24 hours are limited
(REQUEST_LIMIT_EXCEEDED).
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.crm.salesforce_parts import (
    DATA,
    EVENT_FIELD,
    LEAD_FIELDS,
    STATUSES,
    SUBTYPES,
    TASK_FIELDS,
    Fault,
    Rule,
    error,
    failed,
    stamp,
    with_type,
)
from tests.crm.soql import SoqlError, parse


class FakeSalesforce:
    def __init__(
        self,
        client_id: str = "3MVG9fake.consumer.key",
        client_secret: str = "fake-consumer-secret",
        *,
        batch: int = 2000,
        api_limit: int = 100_000,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.batch = batch
        self.api_limit = api_limit
        self.api_used = 0
        self.now = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
        self.numbers = itertools.count(1)
        self.sessions: set[str] = set()
        self.tokens_given = 0
        self.leads: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()
        self.tasks: dict[str, dict[str, Any]] = {}
        self.users: list[dict[str, Any]] = []
        self.rules: list[Rule] = []
        self.event_field = True  # the admin created the External ID field on Task
        self.locators: dict[str, list[dict[str, Any]]] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.queries: list[str] = []  # the SOQL asked, in order
        self.app = self._routes()

    # -- the org, as a test sets it up

    def tick(self) -> str:
        self.now += timedelta(milliseconds=1500)
        return stamp(self.now)

    def new_id(self, prefix: str) -> str:
        return f"{prefix[:3]}5g{next(self.numbers):010d}AAA"  # 18 characters, as Salesforce's

    def add_lead(self, **fields: Any) -> str:
        lead_id = self.new_id("00Q5g00000")
        at = self.tick()
        self.leads[lead_id] = {
            "Id": lead_id,
            "IsConverted": False,
            "Status": "Open - Not Contacted",
            "CreatedDate": at,
            "LastModifiedDate": at,
            "SystemModstamp": at,
        } | fields
        return lead_id

    def change_lead(self, lead_id: str, **fields: Any) -> None:
        at = self.tick()
        self.leads[lead_id] |= fields | {"LastModifiedDate": at, "SystemModstamp": at}

    def add_user(self, user_id: str, name: str, email: str) -> None:
        self.users.append({"Id": user_id, "Name": name, "Email": email, "IsActive": True})

    def expire_sessions(self) -> None:
        self.sessions.clear()

    def fail(self, method: str, path: str, fault: Fault) -> None:
        fault.method, fault.path = method, path
        self.faults.append(fault)

    def tasks_for(self, event_id: str) -> list[str]:
        return [k for k, task in self.tasks.items() if task.get(EVENT_FIELD) == event_id]

    # -- HTTP

    def _routes(self) -> FastAPI:
        app = FastAPI()
        app.middleware("http")(self._gate)

        @app.post("/services/oauth2/token")
        async def token(request: Request) -> Response:
            # The form by hand: the fake needs no multipart parser for a urlencoded body.
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            if form.get("grant_type") != "client_credentials":
                return JSONResponse(
                    {
                        "error": "unsupported_grant_type",
                        "error_description": "grant type not supported",
                    },
                    status_code=400,
                )
            if (form.get("client_id"), form.get("client_secret")) != (
                self.client_id,
                self.client_secret,
            ):
                return JSONResponse(
                    {"error": "invalid_client", "error_description": "invalid client credentials"},
                    status_code=400,
                )
            self.tokens_given += 1
            session = f"00D5g000000fake!AQ{self.tokens_given:04d}"
            self.sessions.add(session)
            base = str(request.base_url).rstrip("/")
            return JSONResponse(
                {
                    "access_token": session,
                    "instance_url": base,
                    "id": f"{base}/id/00D5g000000fake/0055g000000api",
                    "token_type": "Bearer",
                    "issued_at": str(int(self.now.timestamp() * 1000)),
                    "signature": "fake",
                }
            )

        @app.get(DATA + "/sobjects/{kind}/describe")
        def describe(kind: str) -> Response:
            if kind != "Task":
                return error(404, "NOT_FOUND", f"The requested resource does not exist: {kind}")
            fields = [{"name": name, "type": "string", "externalId": False} for name in TASK_FIELDS]
            if not self.event_field:
                fields = [f for f in fields if f["name"] != EVENT_FIELD]
            else:
                fields = [
                    f | ({"externalId": True, "unique": True} if f["name"] == EVENT_FIELD else {})
                    for f in fields
                ]
            return JSONResponse({"name": "Task", "fields": fields})

        @app.get(DATA + "/query")
        def query(q: str) -> Response:
            self.queries.append(q)
            try:
                soql = parse(q)
            except SoqlError as refused:
                return error(400, "MALFORMED_QUERY", str(refused))
            rows = self._rows(soql.sobject)
            if rows is None:
                return error(
                    400, "INVALID_TYPE", f"sObject type '{soql.sobject}' is not supported."
                )
            known = {"Lead": LEAD_FIELDS, "Task": TASK_FIELDS}.get(soql.sobject)
            unknown = [f for f in soql.fields if known is not None and f not in known]
            if unknown:
                return error(400, "INVALID_FIELD", f"No such column '{unknown[0]}'")
            found = [with_type(soql.sobject, row) for row in soql.run(rows)]
            return self._page(found, 0, self.new_id("01g5g00000"))

        @app.get(DATA + "/query/{locator}")
        def more(locator: str) -> Response:
            name, _, offset = locator.rpartition("-")
            if name not in self.locators:
                return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
            return self._page(self.locators[name], int(offset), name)

        @app.get(DATA + "/sobjects/Task/" + EVENT_FIELD + "/{value}")
        def task_by_event(value: str) -> Response:
            found = self.tasks_for(value)
            if not found:
                return error(404, "NOT_FOUND", "The requested resource does not exist")
            return JSONResponse(with_type("Task", self.tasks[found[0]]))

        @app.patch(DATA + "/sobjects/Task/" + EVENT_FIELD + "/{value}")
        async def upsert_task(value: str, request: Request) -> Response:
            answer = self._upsert_task(value, await request.json())
            if not answer["success"]:
                first = answer["errors"][0]
                return error(400, first["statusCode"], first["message"], first["fields"])
            return JSONResponse(answer, status_code=201 if answer["created"] else 200)

        @app.patch(DATA + "/composite/sobjects/Task/" + EVENT_FIELD)
        async def upsert_tasks(request: Request) -> Response:
            body = await request.json()
            records = body.get("records", [])
            if len(records) > 200:
                return error(
                    400,
                    "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call",
                )
            results = []
            for record in records:
                if record.get("attributes", {}).get("type") != "Task":
                    return error(400, "INVALID_TYPE", "each record needs attributes.type Task")
                fields = {k: v for k, v in record.items() if k != "attributes"}
                value = fields.pop(EVENT_FIELD, None)
                if not value:
                    results.append(failed("MISSING_ARGUMENT", f"{EVENT_FIELD} not specified"))
                    continue
                results.append(self._upsert_task(value, fields))
            return JSONResponse(results)

        @app.patch(DATA + "/sobjects/Lead/{lead_id}")
        async def update_lead(lead_id: str, request: Request) -> Response:
            answer = self._update_lead(lead_id, await request.json())
            if not answer["success"]:
                first = answer["errors"][0]
                status = 404 if first["statusCode"] in ("ENTITY_IS_DELETED", "NOT_FOUND") else 400
                return error(status, first["statusCode"], first["message"], first["fields"])
            return Response(status_code=204)

        @app.patch(DATA + "/composite/sobjects")
        async def update_records(request: Request) -> Response:
            records = (await request.json()).get("records", [])
            if len(records) > 200:
                return error(400, "EXCEEDED_ID_LIMIT", "record limit reached")
            ids = [record.get("id") for record in records]
            if len(set(ids)) != len(ids):
                return error(400, "INVALID_BATCH_REQUEST", "duplicate id in one request")
            results = []
            for record in records:
                if record.get("attributes", {}).get("type") != "Lead":
                    return error(400, "INVALID_TYPE", "each record needs attributes.type Lead")
                fields = {k: v for k, v in record.items() if k not in ("attributes", "id")}
                results.append(self._update_lead(str(record.get("id")), fields))
            return JSONResponse(results)

        return app

    def _rows(self, sobject: str) -> list[dict[str, Any]] | None:
        if sobject == "Lead":
            return [lead for key, lead in self.leads.items() if key not in self.deleted]
        if sobject == "User":
            return list(self.users)
        if sobject == "Task":
            return list(self.tasks.values())
        if sobject == "LeadStatus":
            return [
                {
                    "ApiName": name,
                    "MasterLabel": name,
                    "IsDefault": default,
                    "IsConverted": converted,
                    "SortOrder": n + 1,
                }
                for n, (name, default, converted) in enumerate(STATUSES)
            ]
        return None

    def _page(self, found: list[dict[str, Any]], offset: int, locator: str) -> Response:
        batch = found[offset : offset + self.batch]
        answer: dict[str, Any] = {"totalSize": len(found), "done": True, "records": batch}
        if offset + self.batch < len(found):
            self.locators[locator] = found
            answer["done"] = False
            answer["nextRecordsUrl"] = f"{DATA}/query/{locator}-{offset + self.batch}"
        return JSONResponse(answer)

    def _upsert_task(self, value: str, fields: dict[str, Any]) -> dict[str, Any]:
        unknown = [name for name in fields if name not in TASK_FIELDS]
        if unknown:
            return failed("INVALID_FIELD", f"No such column '{unknown[0]}' on sobject of type Task")
        existing = self.tasks_for(value)
        if existing and "TaskSubtype" in fields:
            return failed(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                "Unable to create/update fields: TaskSubtype.",
                ["TaskSubtype"],
            )
        if fields.get("TaskSubtype", "Task") not in SUBTYPES:
            return failed("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad TaskSubtype")
        who = fields.get("WhoId")
        if who is not None:
            if who in self.deleted:
                return failed("ENTITY_IS_DELETED", "entity is deleted", ["WhoId"])
            if who not in self.leads:
                return failed(
                    "INVALID_CROSS_REFERENCE_KEY", "Name ID: id value of incorrect type", ["WhoId"]
                )
        owner = fields.get("OwnerId")
        if owner is not None and owner not in {user["Id"] for user in self.users}:
            return failed(
                "INVALID_CROSS_REFERENCE_KEY", "Assigned To ID: owner cannot be blank", ["OwnerId"]
            )
        record = (self.tasks[existing[0]] if existing else {}) | fields
        refused = self._rule("Task", record)
        if refused:
            return failed("FIELD_CUSTOM_VALIDATION_EXCEPTION", refused)
        if existing:
            self.tasks[existing[0]] = record
            return {"id": existing[0], "success": True, "errors": [], "created": False}
        task_id = self.new_id("00T5g00000")
        self.tasks[task_id] = record | {"Id": task_id, EVENT_FIELD: value}
        return {"id": task_id, "success": True, "errors": [], "created": True}

    def _update_lead(self, lead_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        if lead_id in self.deleted:
            return failed("ENTITY_IS_DELETED", "entity is deleted")
        lead = self.leads.get(lead_id)
        if lead is None:
            return failed("NOT_FOUND", "The requested resource does not exist")
        if lead["IsConverted"]:
            return failed("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
        status = changes.get("Status")
        if status is not None and status not in [s[0] for s in STATUSES]:
            return failed(
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                f"Lead Status: bad value for restricted picklist field: {status}",
                ["Status"],
            )
        refused = self._rule("Lead", lead | changes)
        if refused:
            return failed("FIELD_CUSTOM_VALIDATION_EXCEPTION", refused)
        self.change_lead(lead_id, **changes)
        return {"id": lead_id, "success": True, "errors": []}

    def _rule(self, kind: str, record: dict[str, Any]) -> str | None:
        return next((said for rule in self.rules if (said := rule(kind, record))), None)

    async def _gate(self, request: Request, call_next: Any) -> Response:
        self.requests.append((request.method, request.url.path))
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
            if fault.then is not None:
                fault.then()
        if request.url.path != "/services/oauth2/token":
            given = request.headers.get("authorization", "").removeprefix("Bearer ")
            if given not in self.sessions:
                return error(401, "INVALID_SESSION_ID", "Session expired or invalid")
            if self.api_used >= self.api_limit:
                return error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        if fault is not None and fault.status:
            return JSONResponse(fault.body, status_code=fault.status)
        answer: Response = await call_next(request)
        if request.url.path != "/services/oauth2/token":
            self.api_used += 1
            answer.headers["Sforce-Limit-Info"] = f"api-usage={self.api_used}/{self.api_limit}"
        if fault is not None and fault.late:
            await asyncio.sleep(fault.late)  # committed; the answer comes too late
        return answer
