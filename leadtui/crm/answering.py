"""What both CRMs' HTTP clients read the same way: why a request got no answer and
what that means, an answer's JSON object, and how long to wait before asking again."""

from __future__ import annotations

import random
from typing import Any

import httpx

from leadtui.crm.errors import CrmDown, CrmError, Unsure


def unanswered(error: Exception) -> str:
    """The failure in words, for 'HubSpot's answer was lost (...)'."""
    if isinstance(error, httpx.TimeoutException):
        return "it did not answer in time"
    return "the connection failed"


def unanswered_means(
    error: Exception, crm: str, where: str, *, again: bool, last_try: bool
) -> CrmError | None:
    """What a request whose answer never came means: a create not to send again blind
    (`again` False: it may have been made), the CRM down after the last try, or None:
    ask again."""
    if not again:
        return Unsure(f"{crm}'s answer was lost ({unanswered(error)})")
    if last_try:
        return CrmDown(f"{crm} at {where} cannot be reached ({unanswered(error)})")
    return None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object; {} for anything else (a list, HTML, nothing)."""
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def backoff(base: float, tries: int) -> float:
    """The wait before try `tries` + 1: doubling from `base`, jittered by half either
    way so clients that failed together do not come back together."""
    return float(base * 2 ** (tries - 1) * (0.5 + random.random()))
