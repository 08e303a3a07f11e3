"""What both CRMs' HTTP clients read the same way: why a request got no answer, an
answer's JSON object, and how long to wait before asking again."""

from __future__ import annotations

import random
from typing import Any

import httpx


def unanswered(error: Exception) -> str:
    """The failure in words, for 'HubSpot's answer was lost (...)'."""
    if isinstance(error, httpx.TimeoutException):
        return "it did not answer in time"
    return "the connection failed"


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
