"""Salesforce over HTTP: one httpx client, OAuth 2.0's client credentials flow (the
connected app's consumer key and secret, on the org's My Domain), and the org's limits
kept. No vendor SDK: simple-salesforce brings zeep, lxml and more for a handful of
REST endpoints.

The session: a token is asked for on first use and again when Salesforce says the
session expired (401 INVALID_SESSION_ID); the request is then asked again, once. API
calls go to the `instance_url` the token came with. The session is kept in this
process's memory for the next client of the same org and credential (the app and the
team server open one a round), never on disk.

Limits: every answer carries `Sforce-Limit-Info: api-usage=N/M`, the org's rolling
24-hour budget. Past SLOW_AT of it, each request waits SLOW_WAIT first; with less than
RESERVE of it left, the rounds stop for an hour from the round's moment (the budget
frees as old requests age out), leaving the rest to the org's other tools.
REQUEST_LIMIT_EXCEEDED (403) on the total does the same; on too many long requests at
once it is waited out and asked again.

A request that may be asked again without harm (a read, a query, a field update) is
asked again after a dropped connection, a timeout or a 5xx; an upsert of a Task is
not (Unsure): the round looks for it by its event id before sending it again. A
credential never appears in an error.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx

from leadtui.crm.answering import backoff, json_object, unanswered, unanswered_means
from leadtui.crm.connector import Budget
from leadtui.crm.errors import CrmDown, CrmError, DailyLimit, Refused, Unauthorized, Unsure
from leadtui.crm.salesforce import api
from leadtui.crm.salesforce.objects import Problem, Token

SLOW_AT = 0.9  # of the 24-hour budget used: slow down
SLOW_WAIT = 1.0  # seconds before each request, past SLOW_AT
RESERVE = 0.02  # of the budget left to the org's other tools: stop here
PAUSE = timedelta(hours=1)
# A 403 that concerns the whole org or the integration user (the rounds stop until it is
# fixed); any other 403 concerns one record, and refuses that push alone.
ORG_WIDE = frozenset(
    {
        "API_DISABLED_FOR_ORG",
        "API_CURRENTLY_DISABLED",
        "INSUFFICIENT_API_ACCESS",
        "FUNCTIONALITY_NOT_ENABLED",
    }
)


# Sessions by (login URL, consumer key, a digest of the secret): the access token and
# the org's API address, so each round does not sign in again.
_SESSIONS: dict[tuple[str, str, str], tuple[str, str]] = {}
_SESSIONS_HELD = threading.Lock()


class SalesforceHttp:
    def __init__(
        self,
        login_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = 20.0,
        attempts: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.login_url = login_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.budget = Budget()
        self.instance_url: str | None = None
        self.tokens_asked = 0
        self.http = httpx.Client(
            timeout=timeout, transport=transport, headers={"Accept": "application/json"}
        )

    def close(self) -> None:
        self.http.close()

    # -- the session

    @property
    def _session_key(self) -> tuple[str, str, str]:
        secret = hashlib.sha256(self.client_secret.encode()).hexdigest()
        return (self.login_url, self.client_id, secret)

    def _resume(self) -> bool:
        """Take up the session an earlier client of this org kept, if there is one."""
        with _SESSIONS_HELD:
            kept = _SESSIONS.get(self._session_key)
        if kept is None:
            return False
        token, self.instance_url = kept
        self.http.headers["Authorization"] = f"Bearer {token}"
        return True

    def sign_in(self) -> None:
        """Ask for a session (client credentials): its token and the org's API address."""
        self.tokens_asked += 1
        try:
            response = self.http.post(
                self.login_url + api.TOKEN,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
        except httpx.TransportError as error:
            raise CrmDown(
                f"Salesforce at {self.login_url} cannot be reached ({unanswered(error)})"
            ) from None
        if response.status_code >= 500:
            raise CrmDown(f"Salesforce's login at {self.login_url} failed ({response.status_code})")
        if response.status_code >= 400:
            with _SESSIONS_HELD:
                _SESSIONS.pop(self._session_key, None)
            said = json_object(response)
            reason = said.get("error_description") or said.get("error") or response.reason_phrase
            raise Unauthorized(
                f"Salesforce refused the connected app's credentials ({reason}): keep new "
                "ones with `leadtui crm connect salesforce`"
            )
        try:
            token = Token.model_validate(response.json())
        except ValueError:  # pydantic's errors show the input: the token must not be shown
            raise CrmDown(
                f"Salesforce's login at {self.login_url} answered without a session "
                "(access_token and instance_url)"
            ) from None
        self.instance_url = token.instance_url.rstrip("/")
        self.http.headers["Authorization"] = f"Bearer {token.access_token}"
        with _SESSIONS_HELD:
            _SESSIONS[self._session_key] = (token.access_token, self.instance_url)

    # -- requests

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params or None)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body=body)

    def upsert(self, path: str, body: Any) -> Any:
        """An upsert that makes a Task: not asked twice here (see Unsure)."""
        return self.call("PATCH", path, body=body, again=False)

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        again: bool = True,
    ) -> Any:
        """One request, asked again while the failure may pass (see the module's
        docstring); Salesforce's answer as JSON (None for an empty one)."""
        if self.instance_url is None and not self._resume():
            self.sign_in()
        tries = 0
        signed_in_again = False
        while True:
            tries += 1
            self._pace()
            try:
                response = self.http.request(
                    method, f"{self.instance_url}{path}", json=body, params=params
                )
            except httpx.TransportError as error:
                where, last_try = str(self.instance_url), tries >= self.attempts
                failed = unanswered_means(
                    error, "Salesforce", where, again=again, last_try=last_try
                )
                if failed is not None:
                    raise failed from None
                self.sleep(backoff(self.backoff, tries))
                continue
            self._note_limits(response)
            status = response.status_code
            if status < 400:
                return response.json() if response.content else None
            problem = _problem(response)
            if status == 401 and problem.code == "INVALID_SESSION_ID" and not signed_in_again:
                signed_in_again = True  # the session expired: a new one, and ask again
                self.sign_in()
                continue
            if status == 403 and problem.code == "REQUEST_LIMIT_EXCEEDED":
                self._over_limit(problem, tries)
                continue
            if status >= 500:
                if not again:
                    raise Unsure(f"Salesforce failed ({status}) and may have made it")
                if tries >= self.attempts:
                    raise CrmDown(f"Salesforce failed ({status}): {problem.message or status}")
                self.sleep(backoff(self.backoff, tries))
                continue
            raise _refusal(status, problem)

    def _pace(self) -> None:
        left, most = self.budget.daily_left, self.budget.daily_max
        if not most or left is None:
            return
        used = most - left
        if most - used <= most * RESERVE:
            raise DailyLimit(
                f"Salesforce's API budget is nearly spent ({used:,} of {most:,} requests in "
                "24 hours): the CRM rounds wait an hour, leaving the rest to the org's "
                "other tools",
                again_after=PAUSE,
            )
        if used >= most * SLOW_AT:
            self.sleep(SLOW_WAIT)

    def _over_limit(self, problem: Problem, tries: int) -> None:
        if "TotalRequests" in problem.message or tries >= self.attempts:
            said = problem.message or problem.code
            raise DailyLimit(
                f"Salesforce's API limit for this org is spent ({said}): the CRM rounds "
                "wait an hour",
                again_after=PAUSE,
            )
        self.sleep(backoff(self.backoff, tries) + 1.0)  # too many long requests at once: wait

    def _note_limits(self, response: httpx.Response) -> None:
        """Sforce-Limit-Info: api-usage=N/M (N used of M in the rolling 24 hours)."""
        for part in response.headers.get("Sforce-Limit-Info", "").split(","):
            name, _, value = part.strip().partition("=")
            if name != "api-usage":
                continue
            used, _, most = value.partition("/")
            if used.isdigit() and most.isdigit():
                self.budget = Budget(daily_left=int(most) - int(used), daily_max=int(most))


def _problem(response: httpx.Response) -> Problem:
    """The first error of Salesforce's answer (a list of them, as REST words errors)."""
    try:
        found = response.json()
    except ValueError:
        return Problem(message=response.reason_phrase)
    if isinstance(found, list) and found and isinstance(found[0], dict):
        return Problem.model_validate(found[0])
    if isinstance(found, dict):
        return Problem.model_validate(found)
    return Problem(message=response.reason_phrase)


def _refusal(status: int, problem: Problem) -> CrmError:
    if status == 401:
        return Unauthorized(
            "Salesforce refused the session (401): keep new credentials with "
            "`leadtui crm connect salesforce`"
        )
    if status == 403 and problem.code in ORG_WIDE:
        return Unauthorized(
            f"Salesforce's integration user may not do that (403 {problem.code}): {problem.message}"
        )
    if status == 403:  # this record (sharing, a locked record): the others go on
        return Refused(
            f"Salesforce's integration user may not change this record (403 {problem.code}): "
            f"{problem.message}",
            status,
        )
    return Refused(words(problem) or f"Salesforce said {status}", status)


def words(problem: Problem) -> str:
    """A refusal as the rep reads it: what Salesforce said, and its code."""
    if problem.code == "FIELD_CUSTOM_VALIDATION_EXCEPTION":
        return f"a Salesforce validation rule refused it: {problem.message}"
    if problem.code in ("ENTITY_IS_DELETED", "NOT_FOUND"):
        return "Salesforce has no such lead any more (deleted or merged)"
    if problem.code == "CANNOT_UPDATE_CONVERTED_LEAD":
        return "the lead was converted in Salesforce: its status no longer changes"
    where = f" ({', '.join(problem.fields)})" if problem.fields else ""
    return f"Salesforce refused it{where}: {problem.message} ({problem.code})".strip()
