"""The team server, as the rep's side sees it: one httpx client with timeouts, retries
for what may pass (a dropped connection, a timeout, 5xx, 429), and an error for each
thing a rep should hear about. The token never appears in an error."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any

import httpx

from leadtui.core.wire import MAX_BODY, Claim, Feed, Push, Pushed, WireEvent

# Bytes of events in one push: comfortably under what the server takes, so a batch of
# legal events is never refused for its size (a 413 still splits it, see outbox).
PUSH_BUDGET = MAX_BODY * 3 // 4


class SyncError(Exception):
    """Sync did not happen; the message is one sentence for the rep, and `standing`
    the few words the status line shows for it ("offline", "token refused")."""

    standing = "not synced"


class Offline(SyncError):
    standing = "offline"


class Unauthorized(SyncError):
    standing = "token refused"


class Forbidden(SyncError):
    standing = "not allowed"


class Conflict(SyncError):
    standing = "conflict"


class ServerError(SyncError):
    standing = "server failing"


class TooBig(SyncError):
    """The server found the body too big (413): send less at once."""

    standing = "push too big"


class TeamServer:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 10.0,
        attempts: int = 5,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        push_budget: int = PUSH_BUDGET,
    ) -> None:
        self.url = url.rstrip("/")
        self.push_budget = push_budget
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> TeamServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def changes(self, since: int) -> Feed:
        return Feed.model_validate_json(self._call("GET", "/changes", params={"since": since}))

    def push(self, events: list[WireEvent]) -> Pushed:
        """One push, encoded here so that what `size_of` counted is what is sent."""
        body = Push.of(events).model_dump_json().encode()
        sent = self._call("POST", "/events", content=body, headers=JSON_BODY)
        return Pushed.model_validate_json(sent)

    def claim(self, uid: str, version: int) -> dict[str, Any]:
        body = Claim(version=version).model_dump()
        result: dict[str, Any] = json.loads(self._call("POST", f"/leads/{uid}/claim", json=body))
        return result

    def _call(self, method: str, path: str, **kwargs: Any) -> bytes:
        """One request, tried again with exponential backoff and jitter while the
        failure may pass; other answers are raised at once."""
        for attempt in range(1, self.attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1) * (0.5 + random.random())
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TransportError as error:
                if attempt == self.attempts:
                    raise Offline(
                        f"the team server at {self.url} cannot be reached ({_kind(error)})"
                    ) from None
                self.sleep(wait)
                continue
            status = response.status_code
            if status < 400:
                return response.content  # parsed by the caller, as JSON, into the contract
            if (status == 429 or status >= 500) and attempt < self.attempts:
                self.sleep(_retry_after(response) or wait)
                continue
            raise _error(status, _detail(response), self.url)
        raise AssertionError("unreachable")


JSON_BODY = {"content-type": "application/json"}
ENVELOPE = len(Push(events=[]).model_dump_json())  # a push's bytes around its events


def size_of(event: WireEvent) -> int:
    """The event's bytes in a push, with the comma before it."""
    return len(event.model_dump_json().encode()) + 1


def _kind(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "it did not answer in time"
    return "connection failed"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    return detail if isinstance(detail, str) else response.reason_phrase


def _error(status: int, detail: str, url: str) -> SyncError:
    if status == 401:
        return Unauthorized(f"the team server refused the token: {detail}")
    if status == 403:
        return Forbidden(f"the team server does not allow that: {detail}")
    if status == 409:
        return Conflict(detail)
    if status == 413:
        return TooBig(f"the team server found a push too big: {detail}")
    if status >= 500:
        return ServerError(f"the team server at {url} failed ({status}): {detail}")
    return SyncError(f"the team server said {status}: {detail}")
