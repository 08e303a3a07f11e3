"""The team server takes no moment from outside 1970-2199: a 422 naming the field, on
both homes, and every rep's next sync round goes on as before."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from leadtui.demo import DEMO_NOW
from leadtui.sync import sync_once
from tests.sync.servers import Running, client, first_unassigned, rep_file


@pytest.mark.parametrize(
    ("at", "payload"),
    [
        ("1900-01-01T00:00:00Z", {"channel": "call", "outcome": "voicemail", "note": ""}),
        ("9999-12-31T23:59:59Z", {"channel": "call", "outcome": "voicemail", "note": ""}),
        ("0001-01-01T00:00:00+05:00", {"channel": "call", "outcome": "voicemail", "note": ""}),
    ],
)
def test_a_pushed_event_from_outside_the_range_is_a_422(
    server: Running, tmp_path: Path, at: str, payload: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['dana']}"}
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        _, uid = first_unassigned(dana)
        event_id = str(uuid.uuid4())
        event = {"id": event_id, "lead": uid, "kind": "attempt", "actor": "dana", "at": at}
        answer = httpx.post(
            f"{server.url}/events",
            json={"events": [event | {"payload": payload}]},
            headers=headers,
        )
        assert answer.status_code == 422, answer.text
        (problem,) = answer.json()["detail"]
        assert problem["loc"] == ["body", "events", 0, "at"]
        assert "outside the dates leadtui keeps (1970-01-01 to 2199-12-31)" in problem["msg"]
        feed = httpx.get(f"{server.url}/changes", params={"since": 0}, headers=headers).json()
        assert event_id not in {sent["id"] for sent in feed["events"]}
        assert sync_once(dana, remote, DEMO_NOW) is not None  # the next round goes on


def test_a_snooze_until_the_year_9999_is_a_422(server: Running, tmp_path: Path) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['dana']}"}
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        _, uid = first_unassigned(dana)
        event = {
            "id": str(uuid.uuid4()),
            "lead": uid,
            "kind": "snoozed",
            "actor": "dana",
            "at": "2026-11-17T16:00:00Z",
            "payload": {"until": "9999-12-31T00:00:00Z"},
        }
        answer = httpx.post(f"{server.url}/events", json={"events": [event]}, headers=headers)
        assert answer.status_code == 422
        assert "payload.until: 9999-12-31 is outside" in answer.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mql_at", "1900-01-01T00:00:00Z"),
        ("mql_at", "9999-12-31T00:00:00Z"),
        ("created_at", "1969-12-31T23:59:59Z"),
        ("created_at", "0001-01-01T00:00:00+05:00"),
    ],
)
def test_a_hand_off_from_outside_the_range_is_a_422(
    server: Running, field: str, value: str
) -> None:
    as_lead = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    card = {"uid": "mkt-old", "name": "Ada Old", "created_at": "2015-12-01T10:00:00Z"}
    sent = httpx.post(
        f"{server.url}/leads", json={"leads": [card | {field: value}]}, headers=as_lead
    )
    assert sent.status_code == 422, sent.text
    assert sent.json()["detail"][0]["loc"] == ["body", "leads", 0, field]
    assert server.team.lead("mkt-old") is None
    history = card | {"mql_at": "2016-01-05T15:00:00Z"}  # a team's history from 2016 is fine
    assert httpx.post(f"{server.url}/leads", json={"leads": [history]}, headers=as_lead).is_success
