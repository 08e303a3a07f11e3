"""What the team server refuses at the door, on both homes: event ids that are not
UUIDs, a lead's figures out of bounds; and the cards it still serves when an older
version let such a figure into its file."""

from __future__ import annotations

import uuid

import httpx
import pytest

from leadtui.server.on_file import FileTeam
from leadtui.server.on_postgres import PostgresTeam
from tests import on_disk
from tests.sync.servers import Running, first_unassigned


def _push(server: Running, event_id: object) -> httpx.Response:
    _, uid = first_unassigned(server.seed)
    event = {
        "id": event_id,
        "lead": uid,
        "kind": "reassigned",
        "actor": "morgan",
        "at": "2026-11-17T16:00:00Z",
        "payload": {"to": "dana"},
    }
    headers = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    return httpx.post(f"{server.url}/events", json={"events": [event]}, headers=headers)


NOT_UUIDS = [
    "../../etc/passwd",
    "'; DROP TABLE events;--",
    "f" * 32,  # a UUID's digits without its hyphens
    "{12345678-1234-1234-1234-123456789abc}",
    "12345678-1234-1234-1234-123456789abg",
    "12345678-1234-1234-1234-123456789abc\n",
]


def test_only_a_uuid_is_taken_as_an_event_id(server: Running) -> None:
    for event_id in NOT_UUIDS:
        answer = _push(server, event_id)
        assert answer.status_code == 422, (event_id, answer.text)
        locations = [error["loc"] for error in answer.json()["detail"]]
        assert locations == [["body", "events", 0, "id"]], event_id
        assert not server.team.has_event(event_id)
    upper = str(uuid.uuid4()).upper()  # either case, kept as sent: it is the client's key
    answer = _push(server, upper)
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == [upper] and server.team.has_event(upper)


@pytest.mark.parametrize("employees", [-5, 10_000_001, 10**12])
def test_a_head_count_out_of_bounds_is_refused_at_hand_off(server: Running, employees: int) -> None:
    card = {"uid": "mkt-big", "created_at": "2026-11-17T15:00:00Z", "employees": employees}
    headers = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    answer = httpx.post(f"{server.url}/leads", json={"leads": [card]}, headers=headers)
    assert answer.status_code == 422, answer.text
    locations = [error["loc"][:4] for error in answer.json()["detail"]]
    assert ["body", "leads", 0, "employees"] in locations
    assert server.team.lead("mkt-big") is None


def test_a_figure_an_older_version_kept_travels_as_unknown(server: Running) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    first = httpx.get(f"{server.url}/changes", params={"limit": 1}, headers=headers).json()
    uid = first["leads"][0]["uid"]
    figures = {"employees": 50_000_000, "revenue": float("inf"), "uid": uid}
    team = server.team
    if isinstance(team, FileTeam):
        on_disk.run(
            team.store,
            "UPDATE leads SET employees = :employees, revenue = :revenue WHERE uid = :uid",
            figures,
        )
    else:
        assert isinstance(team, PostgresTeam)
        with team.pool.connection() as conn:
            conn.execute(
                "UPDATE leads SET employees = %(employees)s, revenue = %(revenue)s "
                "WHERE uid = %(uid)s",
                figures,
            )
    again = httpx.get(f"{server.url}/changes", params={"limit": 1}, headers=headers)
    assert again.status_code == 200, again.text
    card = again.json()["leads"][0]
    assert (card["uid"], card["employees"], card["revenue"]) == (uid, None, None)


@pytest.mark.parametrize("query", ["since=0.0", "since=1&since=2", "limit=+5", "limit=5.0"])
def test_a_cursor_is_a_whole_number_written_as_one(server: Running, query: str) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    answer = httpx.get(f"{server.url}/changes?{query}", headers=headers)
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["detail"]  # shaped as every other 422 of the schema
    assert problem["loc"] == ["query", query[:5]]
    assert problem["msg"] == f"{query[:5]} is a whole number, given once"
    assert httpx.get(f"{server.url}/changes?since=0&limit=1", headers=headers).status_code == 200
