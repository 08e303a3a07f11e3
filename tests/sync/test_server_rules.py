"""The team server's rules, held over real HTTP on 127.0.0.1: claim races have one
winner, a rep acts only as themself and on leads they may touch, a step taken back
is taken back for everyone, and bad or oversized input is refused by name."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from leadtui.core.models import AttemptOutcome, Channel, EventKind
from leadtui.core.wire import WireEvent
from leadtui.demo import DEMO_NOW
from leadtui.sync import (
    Forbidden,
    TeamServer,
    Unauthorized,
    sync_once,
)
from tests import on_disk
from tests.sync.servers import (
    Running,
    client,
    event_id,
    first_unassigned,
    rep_file,
    round_with,
)


def test_two_reps_claim_the_same_lead_and_exactly_one_wins(server: Running, tmp_path: Path) -> None:
    with (
        rep_file(tmp_path, "dana") as dana,
        rep_file(tmp_path, "marcus") as marcus,
        client(server, "dana") as to_dana,
        client(server, "marcus") as to_marcus,
    ):
        sync_once(dana, to_dana, DEMO_NOW)
        sync_once(marcus, to_marcus, DEMO_NOW)
        dana_id, uid = first_unassigned(dana)
        marcus_id = marcus.lead_by_uid(uid).id  # type: ignore[union-attr]
        for store, rep, lead_id in ((dana, "dana", dana_id), (marcus, "marcus", marcus_id)):
            version = store.lead(lead_id).version
            store.claim(lead_id, rep, at=DEMO_NOW, expected_version=version)
        marcus.log_attempt(  # and marcus calls it before his claim reached the server
            marcus_id,
            "marcus",
            at=DEMO_NOW,
            channel=Channel.CALL,
            outcome=AttemptOutcome.NO_ANSWER,
        )
        won = sync_once(dana, to_dana, DEMO_NOW)
        lost = sync_once(marcus, to_marcus, DEMO_NOW)
        assert won.pushed == 1 and not won.refused
        assert [refusal.holder for refusal in lost.refused] == ["dana", "dana"]
        assert lost.waiting == 0  # refused is settled: it is not sent again
        mine = marcus.lead(marcus_id)
        assert mine.owner == "dana"  # the server's word came down
        assert mine.calls == 0  # his refused call is taken back here too, as on the server
        assert mine.stage == server.team.lead(uid).stage  # type: ignore[union-attr]
        assert [e.actor for e in marcus.events(marcus_id) if e.kind.value == "claimed"] == [
            "marcus",
            "dana",
        ]  # marcus's own claim is still in his log (taken back)
    assert server.team.lead(uid).owner == "dana"  # type: ignore[union-attr]


def test_a_rep_cannot_push_as_another_rep_or_without_a_token(
    server: Running, tmp_path: Path
) -> None:
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        _, uid = first_unassigned(dana)
        forged = WireEvent(
            id=event_id("f"),
            lead=uid,
            kind="claimed",
            actor="marcus",
            at=DEMO_NOW,
            payload={"rep": "marcus"},
        )
        with pytest.raises(Forbidden, match="only their own events"):
            remote.push([forged])
    assert not server.team.has_event(event_id("f"))
    with (
        TeamServer(server.url, "not-a-token", attempts=1) as stranger,
        pytest.raises(Unauthorized),
    ):
        stranger.changes(0)
    bare = httpx.get(f"{server.url}/changes")
    assert bare.status_code == 401 and "Traceback" not in bare.text


def test_bad_input_is_named_and_big_bodies_are_refused(server: Running) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['dana']}"}
    bad = {
        "events": [
            {
                "id": event_id("e"),
                "lead": "u1",
                "kind": "teleported",
                "actor": "dana",
                "at": "2026-11-17T16:00:00Z",
            }
        ]
    }
    answer = httpx.post(f"{server.url}/events", json=bad, headers=headers)
    assert answer.status_code == 422
    assert ["body", "events", 0, "kind"] in [error["loc"] for error in answer.json()["detail"]]
    huge = httpx.post(
        f"{server.url}/events",
        content=b"x" * 1_100_000,
        headers=headers | {"content-type": "application/json"},
    )
    assert huge.status_code == 413 and "Traceback" not in huge.text
    as_lead = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    card = {"uid": "mkt-9", "created_at": "2026-11-17T15:00:00Z"}
    for field, value in (("external_id", "营" * 201), ("name", "Ines\x00Martin")):
        sent = httpx.post(
            f"{server.url}/leads", json={"leads": [card | {field: value}]}, headers=as_lead
        )
        assert sent.status_code == 422, field
        assert sent.json()["detail"][0]["loc"] == ["body", "leads", 0, field]
    assert server.team.lead("mkt-9") is None


def test_an_unfit_event_in_a_batch_leaves_no_trace_and_the_rest_lands(
    server: Running, tmp_path: Path
) -> None:
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        _, uid = first_unassigned(dana)
        claim = WireEvent(
            id=event_id("a"),
            lead=uid,
            kind="claimed",
            actor="dana",
            at=DEMO_NOW,
            payload={"rep": "dana"},
        )
        unfit = WireEvent(id=event_id("b"), lead=uid, kind="attempt", actor="dana", at=DEMO_NOW)
        answer = remote.push([claim, unfit])
    assert answer.accepted == [event_id("a")]
    assert [refusal.id for refusal in answer.refused] == [event_id("b")]
    assert "payload" in answer.refused[0].reason
    assert not server.team.has_event(event_id("b"))
    lead = server.team.lead(uid)
    assert lead is not None and lead.owner == "dana" and lead.calls == 0


def test_two_claims_at_the_same_moment_exactly_one_wins(server: Running) -> None:
    from concurrent.futures import ThreadPoolExecutor

    row = on_disk.rows(
        server.seed, "SELECT uid, version FROM leads WHERE stage = 'mql' AND owner IS NULL LIMIT 1"
    )[0]
    uid, version = row[0], row[1]

    def claim(rep: str) -> int:
        answer = httpx.post(
            f"{server.url}/leads/{uid}/claim",
            json={"version": version},
            headers={"Authorization": f"Bearer {server.tokens[rep]}"},
        )
        return answer.status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(claim, ["dana", "marcus"]))
    assert statuses == [200, 409]
    owner = server.team.lead(uid)
    assert owner is not None and owner.owner in ("dana", "marcus")
    claims = [e for e in server.team.events(uid) if e.kind.value == "claimed"]
    assert len(claims) == 1


def test_a_team_lead_reassigns_and_a_rep_may_not(server: Running, tmp_path: Path) -> None:
    row = on_disk.rows(
        server.seed, "SELECT uid FROM leads WHERE owner = 'dana' AND stage = 'working' LIMIT 1"
    )[0]
    uid = row[0]

    def reassign(by: str, event_id: str) -> WireEvent:
        return WireEvent(
            id=event_id,
            lead=uid,
            kind="reassigned",
            actor=by,
            at=DEMO_NOW,
            payload={"to": "marcus"},
        )

    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        assert dana.lead_by_uid(uid).owner == "dana"  # type: ignore[union-attr]
        with client(server, "dana") as as_dana:
            refused = as_dana.push([reassign("dana", event_id("c"))])
        assert refused.accepted == [] and len(refused.refused) == 1
        with client(server, "morgan") as as_lead:
            done = as_lead.push([reassign("morgan", event_id("d"))])
        assert done.accepted == [event_id("d")]
        assert server.team.lead(uid).owner == "marcus"  # type: ignore[union-attr]
        round_with(server, dana, "dana")
        assert dana.lead_by_uid(uid).owner == "marcus"  # type: ignore[union-attr]


def test_a_step_taken_back_is_taken_back_on_the_server_too(server: Running, tmp_path: Path) -> None:
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        lead_id, uid = first_unassigned(dana)
        dana.claim(lead_id, "dana", at=DEMO_NOW, expected_version=dana.lead(lead_id).version)
        for _ in range(2):
            dana.log_attempt(
                lead_id, "dana", at=DEMO_NOW, channel=Channel.CALL, outcome=AttemptOutcome.NO_ANSWER
            )
        sync_once(dana, remote, DEMO_NOW)
        assert server.team.lead(uid).calls == 2  # type: ignore[union-attr]
        dana.undo_last("dana", at=DEMO_NOW)  # the second call was a slip
        assert sync_once(dana, remote, DEMO_NOW).pushed == 1
        on_server = server.team.lead(uid)
        assert on_server is not None and on_server.calls == 1 and on_server.owner == "dana"
        assert on_server.version == dana.lead(lead_id).version
        assert [event.kind.value for event in server.team.events(uid)][-1] == "undone"


def test_a_rep_cannot_take_back_someone_elses_step(server: Running) -> None:
    uid = on_disk.value(
        server.seed,
        "SELECT l.uid FROM leads l JOIN events e ON e.lead_id = l.id "
        "WHERE l.owner = 'marcus' AND e.kind = 'attempt' AND e.actor = 'marcus' LIMIT 1",
    )
    before = server.team.lead(uid)
    attempt = next(e for e in reversed(server.team.events(uid)) if e.kind.value == "attempt")
    sneaky = WireEvent(
        id=event_id("e"),
        lead=uid,
        kind="undone",
        actor="dana",
        at=DEMO_NOW,
        payload={"event": attempt.id, "kind": "attempt"},
    )
    with client(server, "dana") as as_dana:
        answer = as_dana.push([sneaky])
    assert answer.accepted == [] and "only marcus" in answer.refused[0].reason
    assert server.team.lead(uid) == before


def test_a_lead_goes_only_to_a_rep_on_the_team(server: Running) -> None:
    _, uid = first_unassigned(server.seed)
    typo = WireEvent(
        id=event_id("9"),
        lead=uid,
        kind="reassigned",
        actor="morgan",
        at=DEMO_NOW,
        payload={"to": "dnaa"},
    )
    stranger = typo.model_copy(
        update={"id": event_id("8"), "kind": EventKind.CLAIMED, "payload": {"rep": "x"}}
    )
    with client(server, "morgan") as as_lead:
        answer = as_lead.push([typo, stranger])
    assert answer.accepted == []
    assert [refusal.reason for refusal in answer.refused] == [
        "there is no rep 'dnaa' on the team",
        "there is no rep 'x' on the team",
    ]
    assert server.team.lead(uid).owner is None  # type: ignore[union-attr]


def test_scores_too_big_for_the_database_or_from_a_rep_are_refused(server: Running) -> None:
    _, uid = first_unassigned(server.seed)
    headers = {
        "Authorization": f"Bearer {server.tokens['morgan']}",
        "content-type": "application/json",
    }
    for number in ("1" + "0" * 20, "Infinity"):
        body = (
            '{"events": [{"id": "' + str(uuid.uuid4()) + '", "lead": "' + uid + '", '
            '"kind": "rescored", "actor": "morgan", "at": "2026-11-17T16:00:00Z", '
            '"payload": {"score": ' + number + "}}]}"
        )
        answer = httpx.post(f"{server.url}/events", content=body, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["accepted"] == [] and len(answer.json()["refused"]) == 1
    assert server.team.lead(uid).score == server.seed.lead_by_uid(uid).score  # type: ignore[union-attr]
    with client(server, "dana") as as_rep:
        bumped = as_rep.push(
            [
                WireEvent(
                    id=event_id("7"),
                    lead=uid,
                    kind="rescored",
                    actor="dana",
                    at=DEMO_NOW,
                    payload={"score": 99},
                )
            ]
        )
    assert bumped.refused[0].reason == "a lead's score is marketing's to set, not a rep's"
