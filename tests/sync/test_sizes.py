"""Sizes, against the real server on both homes: a body over the limit is refused
however it is sent, a note over the limit is named, and a rep's outbox pushes every
legal event whatever the size of its batch."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from leadtui.core.wire import MAX_BODY, WireEvent
from leadtui.demo import DEMO_NOW
from tests.sync.servers import Running, first_unassigned


def test_a_chunked_body_over_the_limit_is_refused_and_nothing_is_kept(server: Running) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['dana']}",
               "content-type": "application/json"}  # fmt: skip
    _, uid = first_unassigned(server.seed)

    def claim(event_id: str) -> bytes:
        return WireEvent(
            id=event_id, lead=uid, kind="claimed", actor="dana", at=DEMO_NOW,
            payload={"rep": "dana"},
        ).model_dump_json().encode()  # fmt: skip

    def chunked(event_id: str, padding: int) -> Iterator[bytes]:
        """A valid push, its JSON padded with blanks; no Content-Length is sent."""
        yield b'{"events": [' + claim(event_id) + b"]"
        for _ in range(padding // 65_536):
            yield b" " * 65_536
        yield b"}"

    huge = httpx.post(f"{server.url}/events", content=chunked("a" * 32, 2 * MAX_BODY),
                      headers=headers, timeout=30)  # fmt: skip
    assert huge.status_code == 413, huge.text
    assert huge.json()["detail"] == "body over 1,000,000 bytes"
    assert not server.team.has_event("a" * 32)
    assert server.team.lead(uid).owner is None  # type: ignore[union-attr]
    small = httpx.post(f"{server.url}/events", content=chunked("b" * 32, 200_000),
                       headers=headers)  # fmt: skip
    assert small.status_code == 200 and small.json()["accepted"] == ["b" * 32]
