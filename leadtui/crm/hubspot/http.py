"""HubSpot over HTTP: one httpx client with a bearer token, timeouts, and HubSpot's limits
kept. No vendor SDK: hubspot-api-client is ~52 MB of generated code on the v3 paths that
HubSpot retires in 2027, and leadtui uses a handful of endpoints.

Limits: a 429 says which policy in `policyName`. TEN_SECONDLY_ROLLING (or search's own
per-second limit) waits for the window (`Retry-After` when HubSpot sends one, else 10 s,
1 s for search, as HubSpot's own client does) and asks again; DAILY stops: the budget
is spent until the account's day ends, which the daily usage (`resetsAt`) tells.
Search is paced to at most SEARCHES_A_SECOND, and when the rolling window's last
request is spent (the X-HubSpot-RateLimit-* headers) the next waits for the window
instead of hammering.

A request that may be asked again without harm (a read, a search, a field update) is
asked again after a dropped connection, a timeout or a 5xx; a create is not (Unsure):
the caller looks for what it may have made first. The token never appears in an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from leadtui.core import moments
from leadtui.core.moments import MomentOutOfRange
from leadtui.crm.answering import backoff, json_object, unanswered_means
from leadtui.crm.connector import Budget
from leadtui.crm.errors import CrmDown, CrmError, DailyLimit, Refused, Unauthorized, Unsure
from leadtui.crm.hubspot import api

SEARCHES_A_SECOND = 5
WINDOW_WAIT = 10.0  # seconds: the rolling window
SEARCH_WAIT = 1.0


class HubSpotHttp:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 15.0,
        attempts: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.monotonic = monotonic
        self.last_search = -1e9
        self.window_spent_until = -1e9
        self.budget = Budget()
        self.http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params or None)

    def search(self, path: str, body: dict[str, Any]) -> Any:
        return self.call("POST", path, body=body, is_search=True)

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.call("PATCH", path, body=body)

    def create(self, path: str, body: dict[str, Any]) -> Any:
        """A POST that makes something: never asked twice here (see Unsure)."""
        return self.call("POST", path, body=body, again=False)

    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        is_search: bool = False,
        again: bool = True,
    ) -> Any:
        """One request, asked again while the failure may pass (see the module's
        docstring); HubSpot's answer as JSON (None for an empty one)."""
        tries = 0
        while True:
            tries += 1
            self._pace(is_search)
            try:
                response = self.http.request(method, path, json=body, params=params)
            except httpx.TransportError as error:
                last_try = tries >= self.attempts
                failed = unanswered_means(
                    error, "HubSpot", self.base_url, again=again, last_try=last_try
                )
                if failed is not None:
                    raise failed from None
                self.sleep(backoff(self.backoff, tries))
                continue
            self._note_limits(response)
            status = response.status_code
            if status < 400:
                return response.json() if response.content else None
            if status == 429:
                self._wait_for_window(response, is_search, tries)
                continue
            if status >= 500:
                if not again:
                    raise Unsure(f"HubSpot failed ({status}) and may have made it")
                if tries >= self.attempts:
                    raise CrmDown(
                        f"HubSpot at {self.base_url} failed ({status}): {_said(response)}"
                    )
                self.sleep(backoff(self.backoff, tries))
                continue
            raise _refusal(status, response)

    def _pace(self, is_search: bool) -> None:
        now = self.monotonic()
        if now < self.window_spent_until:
            self.sleep(self.window_spent_until - now)
        if is_search:
            gap = 1.0 / SEARCHES_A_SECOND - (self.monotonic() - self.last_search)
            if gap > 0:
                self.sleep(gap)
            self.last_search = self.monotonic()

    def _wait_for_window(self, response: httpx.Response, is_search: bool, tries: int) -> None:
        policy = json_object(response).get("policyName", "")
        if policy == "DAILY":
            until = self._day_ends()
            if until is None:
                raise DailyLimit(
                    "HubSpot's daily API limit for this account is spent, and HubSpot did "
                    "not say when it resets: the CRM rounds stop and try again in an hour"
                )
            raise DailyLimit(
                "HubSpot's daily API limit for this account is spent: the CRM rounds stop "
                f"until {until:%Y-%m-%d %H:%M} UTC, when the account's day ends",
                until,
            )
        if tries >= self.attempts * 3:
            raise CrmDown("HubSpot kept asking leadtui to slow down; the round stops here")
        wait = _retry_after(response)
        if wait is None:
            wait = SEARCH_WAIT if is_search and policy != "TEN_SECONDLY_ROLLING" else WINDOW_WAIT
        self.sleep(wait)

    def _day_ends(self) -> datetime | None:
        """When the account's daily budget resets: HubSpot counts the day in the
        account's own time zone (a US account's day ends hours after midnight UTC) and
        says when in the daily usage's `resetsAt`. One plain request, never asked
        again; None when it cannot be had (the rounds then look again in an hour)."""
        try:
            response = self.http.get(api.DAILY_USAGE)
        except httpx.TransportError:
            return None
        if response.status_code >= 400:
            return None
        return _resets_at(json_object(response))

    def _note_limits(self, response: httpx.Response) -> None:
        headers = response.headers
        left = _number(headers.get("X-HubSpot-RateLimit-Remaining"))
        interval = _number(headers.get("X-HubSpot-RateLimit-Interval-Milliseconds"))
        self.budget = Budget(
            daily_left=_number(headers.get("X-HubSpot-RateLimit-Daily-Remaining"))
            if "X-HubSpot-RateLimit-Daily-Remaining" in headers
            else self.budget.daily_left,
            daily_max=_number(headers.get("X-HubSpot-RateLimit-Daily"))
            if "X-HubSpot-RateLimit-Daily" in headers
            else self.budget.daily_max,
            window_left=left,
        )
        if left is not None and left <= 0:
            self.window_spent_until = self.monotonic() + (interval or 10_000) / 1000


def _resets_at(answer: Any) -> datetime | None:
    """When the daily budget resets, from the daily usage's answer (`resetsAt`, ISO
    8601 or epoch milliseconds), within the dates leadtui keeps; None if it is not
    there or cannot be read."""
    results = answer.get("results") if isinstance(answer, dict) else None
    for usage in results if isinstance(results, list) else []:
        value = usage.get("resetsAt") if isinstance(usage, dict) else None
        try:
            if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
                found = datetime.fromtimestamp(int(value) / 1000, tz=UTC)
            elif isinstance(value, str) and value:
                found = datetime.fromisoformat(value.replace("Z", "+00:00"))
            else:
                continue
            return moments.check(found, "HubSpot's resetsAt")
        except (ValueError, OverflowError, OSError, MomentOutOfRange):
            continue
    return None


def _said(response: httpx.Response) -> str:
    message = json_object(response).get("message")
    return message if isinstance(message, str) and message else response.reason_phrase


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _number(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _refusal(status: int, response: httpx.Response) -> CrmError:
    said = _said(response)
    if status == 401:
        return Unauthorized(
            "HubSpot refused the token (401): keep a new one with `leadtui crm connect hubspot`"
        )
    if status == 403:
        return Unauthorized(f"HubSpot's token may not do that (403: a scope is missing): {said}")
    return Refused(f"HubSpot said {status}: {said}", status)
