"""The team server's HTTP API: the change feed, pushing events, claiming a lead.

Every request carries a rep's bearer token. A rep reads their own and unassigned
leads and writes only their own events, on those leads (lifecycle.may_make); a team
lead reads and writes everything. Errors are
JSON with a plain `detail`, never a traceback. What the server keeps lives behind
`storage.TeamStore` (a SQLite file, or PostgreSQL).
"""

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadtui import __version__
from leadtui.core.wire import BIG, MAX_BODY, Claim, Feed, HandedOff, HandOffs, Push, Pushed
from leadtui.server.storage import (
    Caller,
    Clash,
    Held,
    NoSuchLead,
    PastTheEnd,
    TeamStore,
    Unavailable,
)
from leadtui.store import StoreError

if TYPE_CHECKING:
    from leadtui.server.crm_rounds import TeamCrm

DRAIN = 64 * MAX_BODY  # bytes of a refused body read and dropped before hanging up
log = logging.getLogger("leadtui.server")
PAGE = 500
CHALLENGE = {"WWW-Authenticate": "Bearer"}


class LimitBody:
    """Refuses a body over the limit: at once by its Content-Length, and by counting its
    bytes as they arrive (a chunked body has no length), before the app sees any of
    them, so nothing of it is kept. Plain ASGI: Starlette's BaseHTTPMiddleware costs
    every request a task and a queue."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = Headers(scope=scope).get("content-length")
        if size is not None and size.isdigit() and int(size) > self.limit:
            await self._refuse(scope, receive, send)
            return
        arrived = await _body_within(receive, self.limit)
        if arrived is None:
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, _replay(arrived, receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = JSONResponse({"detail": f"body over {self.limit:,} bytes"}, 413)
        await answer(scope, receive, send)


async def _body_within(receive: Receive, limit: int) -> Message | None:
    """The whole body as one message, or None once it passes `limit` bytes. The rest is
    then read and dropped (up to DRAIN bytes), so that the client, still sending, is
    there to hear the 413 rather than a connection reset."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return message  # the client went away: the app hears it so
        part: bytes = message.get("body", b"")
        size += len(part)
        more = bool(message.get("more_body", False))
        if size > limit:
            while more and size <= DRAIN:
                message = await receive()
                size += len(message.get("body", b""))
                more = message["type"] == "http.request" and message.get("more_body", False)
            return None
        parts.append(part)
        if not more:
            return {"type": "http.request", "body": b"".join(parts), "more_body": False}


def _replay(arrived: Message, receive: Receive) -> Receive:
    """What the app receives: the body already read, then the connection's own."""
    pending = [arrived]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


class Problem(BaseModel):
    detail: str


def _answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route may give, for the OpenAPI document."""
    said = {
        401: "no token, or one not known here",
        403: "the token's rep may not do this",
        404: "no such lead",
        409: "someone else holds the lead (the answer says who) or it changed since it was "
        "read (the answer gives its version), another lead has that external id, or the "
        "cursor is past the end of this server's log",
        400: "a body that is not JSON, or a query parameter the route does not take",
        413: "the body is too big",
        503: "the server's database failed",
    }
    return {status: {"model": Problem, "description": said[status]} for status in statuses}


def make_server(
    team: TeamStore, *, max_body: int = MAX_BODY, crm: "TeamCrm | None" = None
) -> FastAPI:
    """The API over `team`; with `crm` (the file home running the team's CRM rounds),
    reps' events are pushed to the CRM shortly after they arrive, and `GET /crm` tells a
    team lead how the rounds stand."""
    api = FastAPI(
        title="leadtui team server",
        version=__version__,
        description="Sync for leadtui: reps push the events they logged and pull what the "
        "rest of the team did. Events are idempotent by their UUID.",
    )
    bearer = HTTPBearer(auto_error=False)

    def caller(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        if credentials is None:
            raise HTTPException(401, "no token: send Authorization: Bearer TOKEN", CHALLENGE)
        who = team.caller(credentials.credentials)
        if who is None:
            raise HTTPException(401, "this token is not known here", CHALLENGE)
        return who

    Authorized = Annotated[Caller, Depends(caller)]

    api.add_middleware(LimitBody, limit=max_body)

    @api.exception_handler(StoreError)
    @api.exception_handler(Unavailable)
    async def store_failed(request: Request, error: Exception) -> JSONResponse:
        # The reason goes to the server's log; the caller is not told where files live.
        log.warning("store failed on %s %s: %s", request.method, request.url.path, error)
        return JSONResponse({"detail": "the server's database failed; try again"}, 503)

    @api.get(
        "/changes",
        response_model=Feed,
        summary="What changed after a cursor",
        responses=_answers(400, 401, 409, 503),
    )
    def changes(
        request: Request,
        who: Authorized,
        since: Annotated[int, Query(ge=0, le=BIG, description="the `next` of the last feed")] = 0,
        limit: Annotated[int, Query(ge=1, le=PAGE)] = PAGE,
    ) -> Feed:
        unknown = sorted(set(request.query_params) - {"since", "limit"})
        if unknown:
            raise HTTPException(400, f"unknown query parameter {unknown[0]!r}: use since, limit")
        for name in ("since", "limit"):  # whole numbers as digits: "0.0" is not a cursor
            given = request.query_params.getlist(name)
            if len(given) > 1 or any(not value.isdecimal() for value in given):
                # shaped as the schema's other 422s: a list of problems, each located
                problem = {"type": "int_parsing", "loc": ("query", name), "input": given}
                raise RequestValidationError(
                    [{**problem, "msg": f"{name} is a whole number, given once"}]
                )
        try:
            return team.changes(since, limit, None if who.lead else who.rep)
        except PastTheEnd as past:
            raise HTTPException(409, str(past)) from None

    @api.post(
        "/events",
        response_model=Pushed,
        summary="Push events, each at most once",
        responses=_answers(400, 401, 403, 413, 503),
    )
    def push(who: Authorized, body: Push) -> Pushed:
        if not who.lead and any(event.actor != who.rep for event in body.events):
            raise HTTPException(403, f"{who.rep} can push only their own events")
        pushed = team.push(body.events, who)
        if crm is not None and pushed.accepted:
            crm.soon()  # the CRM hears of them shortly
        return pushed

    @api.post(
        "/leads/{uid}/claim",
        summary="Claim a lead if it is still free",
        responses=_answers(400, 401, 404, 409, 413, 503),
    )
    def claim(who: Authorized, uid: str, body: Claim) -> dict[str, object]:
        try:
            claimed = team.claim(uid, who, body.version, datetime.now(UTC))
        except NoSuchLead as missing:
            raise HTTPException(404, str(missing)) from None
        except Held as held:
            raise HTTPException(409, str(held)) from None
        return {"lead": uid, "owner": claimed.owner, "version": claimed.version}

    @api.post(
        "/leads",
        response_model=HandedOff,
        summary="Marketing hands leads to sales",
        responses=_answers(400, 401, 403, 409, 413, 503),
    )
    def hand_off(who: Authorized, body: HandOffs) -> HandedOff:
        if not who.lead:
            raise HTTPException(403, "only a team lead (or marketing's account) sends leads")
        try:
            return team.hand_off(body.leads, who.rep)
        except Clash as clash:
            raise HTTPException(409, str(clash)) from None

    if crm is not None:

        @api.get(
            "/crm",
            summary="How the team's CRM rounds stand (team leads)",
            responses=_answers(401, 403, 503),
        )
        def crm_state(who: Authorized) -> dict[str, Any]:
            if not who.lead:
                raise HTTPException(403, "only a team lead sees the CRM rounds")
            return crm.state()

    return api
