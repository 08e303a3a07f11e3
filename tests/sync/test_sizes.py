"""Sizes, against the real server on both homes: a body over the limit is refused
however it is sent, a note over the limit is named, and a rep's outbox pushes every
legal event whatever the size of its batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from leadtui.core.models import NOTE_MAX, AttemptOutcome, Channel
from leadtui.core.wire import MAX_BODY, WireEvent
from leadtui.demo import DEMO_NOW
from leadtui.server.app import make_server
from leadtui.server.storage import TeamStore
from leadtui.store import Store
from leadtui.sync import sync_once
from tests.sync.servers import (
    Running,
    client,
    first_unassigned,
    rep_file,
    round_with,
    serve_in_thread,
)

CALL, NO_ANSWER = Channel.CALL, AttemptOutcome.NO_ANSWER
SMALL_LIMIT = 100_000  # bytes, for a server that takes less than a rep's batch


class Recording(httpx.HTTPTransport):
    """A real HTTP transport that notes each push it sent: its size and the answer."""

    def __init__(self) -> None:
        super().__init__()
        self.pushes: list[tuple[int, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path == "/events":
            self.pushes.append((len(request.content), response.status_code))
        return response


@pytest.fixture
def small_server(team: TeamStore, seeded: tuple[Path, dict[str, str]]) -> Iterator[Running]:
    url, running, thread = serve_in_thread(make_server(team, max_body=SMALL_LIMIT))
    with Store(seeded[0]) as seed:
        served = Running(url, team, seeded[1], running, thread, seed)
        yield served
        served.stop()


FIRST = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
SECOND = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"


def calls_with_notes(store: Store, calls: int, note: str) -> tuple[int, str]:
    """Claim the first unassigned MQL and log `calls` calls with `note` on it."""
    lead_id, uid = first_unassigned(store)
    store.claim(lead_id, "dana", at=DEMO_NOW, expected_version=store.lead(lead_id).version)
    for _ in range(calls):
        store.log_attempt(lead_id, "dana", at=DEMO_NOW, channel=CALL, outcome=NO_ANSWER, note=note)
    return lead_id, uid


def test_a_chunked_body_over_the_limit_is_refused_and_nothing_is_kept(server: Running) -> None:
    headers = {
        "Authorization": f"Bearer {server.tokens['dana']}",
        "content-type": "application/json",
    }
    _, uid = first_unassigned(server.seed)

    def claim(event_id: str) -> bytes:
        return (
            WireEvent(
                id=event_id,
                lead=uid,
                kind="claimed",
                actor="dana",
                at=DEMO_NOW,
                payload={"rep": "dana"},
            )
            .model_dump_json()
            .encode()
        )

    def chunked(event_id: str, padding: int) -> Iterator[bytes]:
        """A valid push, its JSON padded with blanks; no Content-Length is sent."""
        yield b'{"events": [' + claim(event_id) + b"]"
        for _ in range(padding // 65_536):
            yield b" " * 65_536
        yield b"}"

    huge = httpx.post(
        f"{server.url}/events", content=chunked(FIRST, 2 * MAX_BODY), headers=headers, timeout=30
    )
    assert huge.status_code == 413, huge.text
    assert huge.json()["detail"] == "body over 1,000,000 bytes"
    assert not server.team.has_event(FIRST)
    assert server.team.lead(uid).owner is None  # type: ignore[union-attr]
    small = httpx.post(f"{server.url}/events", content=chunked(SECOND, 200_000), headers=headers)
    assert small.status_code == 200 and small.json()["accepted"] == [SECOND]


def test_a_note_or_reason_over_the_limit_is_named(server: Running) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['dana']}"}
    _, uid = first_unassigned(server.seed)

    def push(event_id: str, kind: str, payload: dict[str, object]) -> httpx.Response:
        event = {
            "id": event_id,
            "lead": uid,
            "kind": kind,
            "actor": "dana",
            "at": "2026-11-17T16:00:00Z",
            "payload": payload,
        }
        return httpx.post(f"{server.url}/events", json={"events": [event]}, headers=headers)

    assert push("cccccccc-cccc-4ccc-8ccc-cccccccccccc", "claimed", {"rep": "dana"}).json()[
        "accepted"
    ] == ["cccccccc-cccc-4ccc-8ccc-cccccccccccc"]
    call = {"channel": "call", "outcome": "no_answer"}
    too_long = push(
        "dddddddd-dddd-4ddd-8ddd-dddddddddddd", "attempt", call | {"note": "n" * (NOTE_MAX + 1)}
    )
    assert too_long.status_code == 422
    error = too_long.json()["detail"][0]
    assert error["loc"] == ["body", "events", 0, "payload", "note"]
    assert "at most 4,000 characters" in error["msg"]
    reason = push(
        "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee",
        "disqualified",
        {"reason": "r" * (NOTE_MAX + 1), "note": ""},
    )
    assert reason.status_code == 422
    assert reason.json()["detail"][0]["loc"] == ["body", "events", 0, "payload", "reason"]
    assert not server.team.has_event(
        "dddddddd-dddd-4ddd-8ddd-dddddddddddd"
    ) and not server.team.has_event("eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee")
    at_the_limit = push(
        "ffffffff-ffff-4fff-8fff-ffffffffffff", "attempt", call | {"note": "n" * NOTE_MAX}
    )
    assert at_the_limit.json()["accepted"] == ["ffffffff-ffff-4fff-8fff-ffffffffffff"]
    assert server.team.lead(uid).calls == 1  # type: ignore[union-attr]


def test_many_long_notes_go_in_batches_under_the_limit(server: Running, tmp_path: Path) -> None:
    note = "ñ" * (NOTE_MAX - 100)  # two bytes each: 500 of them make about 4 MB
    sent = Recording()
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        lead_id, uid = calls_with_notes(dana, 499, note)
        with client(server, "dana", transport=sent) as remote:
            done = sync_once(dana, remote, DEMO_NOW)
        assert (done.pushed, done.refused, done.waiting) == (500, [], 0)
        assert len(sent.pushes) >= 5
        assert all(size < MAX_BODY and status == 200 for size, status in sent.pushes)
        assert [e.id for e in server.team.events(uid)][-500:] == [
            e.id for e in dana.events(lead_id)
        ][-500:]  # in the order they were logged
    on_server = server.team.lead(uid)
    assert on_server is not None and on_server.owner == "dana" and on_server.calls == 499


def test_a_batch_the_server_finds_too_big_is_split(small_server: Running, tmp_path: Path) -> None:
    sent = Recording()
    with rep_file(tmp_path, "dana") as dana:
        round_with(small_server, dana, "dana")
        lead_id, uid = calls_with_notes(dana, 59, "n" * (NOTE_MAX - 100))  # about 240 kB
        with client(small_server, "dana", transport=sent) as remote:
            done = sync_once(dana, remote, DEMO_NOW)
        assert (done.pushed, done.waiting) == (60, 0)
        statuses = [status for _, status in sent.pushes]
        assert statuses[0] == 413 and statuses.count(200) >= 3
        assert [e.id for e in small_server.team.events(uid)][-60:] == [
            e.id for e in dana.events(lead_id)
        ][-60:]
    assert small_server.team.lead(uid).calls == 59  # type: ignore[union-attr]


def test_long_notes_from_before_the_limit_reach_the_server_cut(
    server: Running, tmp_path: Path
) -> None:
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        # An older version took notes of any length: ten of 120 kB, after the claim.
        lead_id, uid = calls_with_notes(dana, 10, "n" * 120_000)
        done = round_with(server, dana, "dana")
        assert (done.pushed, done.waiting) == (11, 0)
        assert all(len(e.payload.get("note", "")) in (0, 120_000) for e in dana.events(lead_id))
    notes = [e.payload["note"] for e in server.team.events(uid) if e.kind.value == "attempt"]
    assert len(notes) == 10
    assert all(len(note) == NOTE_MAX and note.endswith("…") for note in notes)
    assert server.team.lead(uid).owner == "dana"  # type: ignore[union-attr]
