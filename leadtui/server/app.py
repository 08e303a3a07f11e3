"""The team server's HTTP API: the change feed, pushing events, claiming a lead.

One leadtui database behind a lock (SQLite has one writer anyway). Every request
carries a rep's bearer token. A rep reads their own and unassigned leads and
writes only their own events; a team lead reads everything. Errors are JSON with
a plain `detail`, never a traceback.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from leadtui import __version__
from leadtui.core import lifecycle
from leadtui.core.agreement import Agreement
from leadtui.core.lifecycle import TransitionRefused
from leadtui.core.models import Event, EventKind, Role
from leadtui.core.wire import (
    BIG,
    Claim,
    Feed,
    HandedOff,
    HandOffs,
    Push,
    Pushed,
    Refusal,
    WireEvent,
)
from leadtui.server import tokens
from leadtui.store import Store, StoreError, queries, syncing

MAX_BODY = 1_000_000  # bytes
log = logging.getLogger("leadtui.server")
PAGE = 500
CHALLENGE = {"WWW-Authenticate": "Bearer"}


class Problem(BaseModel):
    detail: str


def _answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route may give, for the OpenAPI document."""
    said = {
        401: "no token, or one not known here",
        403: "the token's rep may not do this",
        404: "no such lead",
        409: "someone else holds the lead, or another lead has that external id",
        400: "a body that is not JSON, or a query parameter the route does not take",
        413: "the body is too big",
        503: "the server's database failed",
    }
    return {status: {"model": Problem, "description": said[status]} for status in statuses}


class Team:
    """The store, the agreement, and the one lock every request takes."""

    def __init__(self, store: Store, agreement: Agreement) -> None:
        self.store = store
        self.agreement = agreement
        self.lock = threading.Lock()

    @contextmanager
    def held(self) -> Iterator[Store]:
        with self.lock:
            yield self.store


class Caller:
    def __init__(self, rep: str, role: Role) -> None:
        self.rep = rep
        self.role = role

    @property
    def lead(self) -> bool:
        return self.role is Role.LEAD


def make_server(store: Store, agreement: Agreement) -> FastAPI:
    team = Team(store, agreement)
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
        with team.held() as held:
            rep = tokens.rep_of(held.conn, credentials.credentials)
            roles = {known.id: known.role for known in held.reps()} if rep else {}
        if rep is None:
            raise HTTPException(401, "this token is not known here", CHALLENGE)
        return Caller(rep, roles.get(rep, Role.REP))

    Authorized = Annotated[Caller, Depends(caller)]

    @api.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > MAX_BODY:
            return JSONResponse({"detail": f"body over {MAX_BODY:,} bytes"}, status_code=413)
        return await call_next(request)

    @api.exception_handler(StoreError)
    async def store_failed(request: Request, error: StoreError) -> JSONResponse:
        # The reason goes to the server's log; the caller is not told where files live.
        log.warning("store failed on %s %s: %s", request.method, request.url.path, error)
        return JSONResponse({"detail": "the server's database failed; try again"}, 503)

    @api.get(
        "/changes", response_model=Feed, summary="What changed after a cursor",
        responses=_answers(400, 401, 503),
    )  # fmt: skip
    def changes(
        request: Request,
        who: Authorized,
        since: Annotated[int, Query(ge=0, le=BIG, description="the `next` of the last feed")] = 0,
        limit: Annotated[int, Query(ge=1, le=PAGE)] = PAGE,
    ) -> Feed:
        unknown = sorted(set(request.query_params) - {"since", "limit"})
        if unknown:
            raise HTTPException(400, f"unknown query parameter {unknown[0]!r}: use since, limit")
        with team.held() as held:
            events, leads, end, more = syncing.feed_since(
                held.conn, since, limit, None if who.lead else who.rep
            )
            reps = held.reps()
        return Feed(events=events, leads=leads, reps=reps, next=end, more=more)

    @api.post(
        "/events", response_model=Pushed, summary="Push events, each at most once",
        responses=_answers(400, 401, 403, 413, 503),
    )  # fmt: skip
    def push(who: Authorized, body: Push) -> Pushed:
        if not who.lead and any(event.actor != who.rep for event in body.events):
            raise HTTPException(403, f"{who.rep} can push only their own events")
        result = Pushed()
        with team.held() as held, held.transaction():  # one commit for the batch
            for event in body.events:
                _take(held, team.agreement, who, event, result)
        return result

    @api.post(
        "/leads/{uid}/claim", summary="Claim a lead if it is still free",
        responses=_answers(400, 401, 404, 409, 413, 503),
    )  # fmt: skip
    def claim(who: Authorized, uid: str, body: Claim) -> dict[str, object]:
        with team.held() as held:
            lead = held.lead_by_uid(uid)
            if lead is None or lead.id is None:
                raise HTTPException(404, f"there is no lead {uid}")
            if lead.owner not in (None, who.rep) or lead.version != body.version:
                holder = lead.owner or "nobody"
                raise HTTPException(409, f"{lead.name} is held by {holder} now")
            event = Event(
                lead_id=lead.id, kind=EventKind.CLAIMED, actor=who.rep,
                at=datetime.now(UTC), payload={"rep": who.rep},
            )  # fmt: skip
            try:
                claimed = held.record(event, expected_version=lead.version)
            except StoreError as error:
                raise HTTPException(409, str(error)) from None
        return {"lead": uid, "owner": claimed.owner, "version": claimed.version}

    @api.post(
        "/leads", response_model=HandedOff, summary="Marketing hands leads to sales",
        responses=_answers(400, 401, 403, 409, 413, 503),
    )  # fmt: skip
    def hand_off(who: Authorized, body: HandOffs) -> HandedOff:
        if not who.lead:
            raise HTTPException(403, "only a team lead (or marketing's account) sends leads")
        with team.held() as held:
            try:
                added, updated, handed = syncing.hand_off(held, body.leads, who.rep)
            except syncing.Clash as clash:
                raise HTTPException(409, str(clash)) from None
        return HandedOff(added=added, updated=updated, handed=handed)

    return api


def _take(store: Store, agreement: Agreement, who: Caller, wire: WireEvent, into: Pushed) -> None:
    """One pushed event: already here, applied now, or refused with the reason."""
    if store.has_event(wire.id):
        into.duplicates.append(wire.id)
        return
    found = store.owner_by_uid(wire.lead)
    if found is None:
        into.refused.append(Refusal(id=wire.id, lead=wire.lead, reason="no such lead here"))
        return
    lead_id, owner = found
    event = Event(
        id=wire.id, lead_id=lead_id, kind=wire.kind, actor=wire.actor, at=wire.at,
        payload=wire.payload,
    )  # fmt: skip
    try:
        _apply(store, agreement, who, event)
    except TransitionRefused as refused:
        holder = owner if owner not in (None, wire.actor) else None
        into.refused.append(Refusal(id=wire.id, lead=wire.lead, reason=str(refused), holder=holder))
        return
    except (KeyError, ValueError, TypeError, UnicodeError):  # a payload unfit for its kind
        reason = f"the {wire.kind.value} event's payload is not what that kind needs"
        into.refused.append(Refusal(id=wire.id, lead=wire.lead, reason=reason))
        return
    into.accepted.append(wire.id)


def _apply(store: Store, agreement: Agreement, who: Caller, event: Event) -> None:
    """Check and write one event inside the batch's transaction; a refused one leaves
    no trace (its savepoint is rolled back)."""
    conn = store.conn
    conn.execute("SAVEPOINT pushed")
    try:
        lead = queries.projection(conn, event.lead_id or 0)
        assert lead is not None
        lifecycle.check(lead, event, agreement, who.role)
        store._record_in(conn, event, guarded=False)
    except BaseException:
        conn.execute("ROLLBACK TO pushed")
        raise
    finally:
        conn.execute("RELEASE pushed")
