"""Who may make which event, checked by the team server on both homes: a rep works
their own leads and the pool, a team lead (or marketing's account) any lead; a losing
claim says who holds the lead, never the card of a lead the rep may not see."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from leadtui.core.wire import Pushed, WireEvent
from leadtui.demo import DEMO_NOW
from tests import on_disk
from tests.sync.servers import Running, client

CHECKED = {"decision_maker": True, "budget": True, "need": True, "timing": True}


def lead_where(server: Running, sql: str) -> str:
    """The uid of the seed's first lead matching `sql` (a WHERE clause)."""
    return str(on_disk.value(server.seed, f"SELECT uid FROM leads WHERE {sql} ORDER BY id LIMIT 1"))


def pool(server: Running, count: int) -> list[str]:
    """The uids of the first `count` unassigned MQLs."""
    found = on_disk.rows(
        server.seed,
        "SELECT uid FROM leads WHERE stage = 'mql' AND owner IS NULL ORDER BY id LIMIT ?",
        (count,),
    )
    return [str(row[0]) for row in found]


def event(uid: str, kind: str, actor: str, /, **payload: Any) -> WireEvent:
    return WireEvent(
        id=str(uuid.uuid4()), lead=uid, kind=kind, actor=actor, at=DEMO_NOW, payload=payload
    )


def push(server: Running, rep: str, *events: WireEvent) -> Pushed:
    with client(server, rep) as remote:
        return remote.push(list(events))


def dana_claims_then_morgan_gives_it_to_marcus(server: Running, uid: str) -> WireEvent:
    """Dana's claim (returned, for her to try to take back) of a lead now marcus's."""
    claim = event(uid, "claimed", "dana", rep="dana")
    assert push(server, "dana", claim).accepted == [claim.id]
    given = event(uid, "reassigned", "morgan", to="marcus")
    assert push(server, "morgan", given).accepted == [given.id]
    return claim


def refused_cases(server: Running) -> dict[str, tuple[WireEvent, str]]:
    """Each refused kind, as dana would push it: the event and the reason she is told."""
    nurturing = lead_where(server, "stage = 'nurturing'")
    theirs = lead_where(server, "stage = 'qualified' AND owner = 'marcus'")
    free, given_away = pool(server, 2)
    return {
        "became_mql": (
            event(nurturing, "became_mql", "dana", score=99, fit=50, engagement=49),
            "handing a lead to sales is marketing's (or a team lead's), not a rep's",
        ),
        "claimed for another rep": (
            event(free, "claimed", "dana", rep="marcus"),
            "a rep claims a lead only for themselves; a team lead gives it to someone else",
        ),
        "closed on another rep's lead": (
            event(theirs, "closed", "dana", outcome="won"),
            "this lead is marcus's; only they or a team lead can close it",
        ),
        "undone on a lead now another rep's": (
            event(given_away, "undone", "dana", kind="claimed"),  # names the claim below
            "this lead is marcus's now; a team lead can take the step back",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "became_mql",
        "claimed for another rep",
        "closed on another rep's lead",
        "undone on a lead now another rep's",
    ],
)
def test_a_rep_may_not_act_on_what_is_not_theirs(server: Running, case: str) -> None:
    wire, reason = refused_cases(server)[case]
    if wire.kind.value == "undone":
        claim = dana_claims_then_morgan_gives_it_to_marcus(server, wire.lead)
        wire = wire.model_copy(update={"payload": {"event": claim.id, "kind": "claimed"}})
    before = server.team.lead(wire.lead)
    answer = push(server, "dana", wire)
    assert answer.accepted == [] and [r.reason for r in answer.refused] == [reason]
    assert not server.team.has_event(wire.id)
    assert server.team.lead(wire.lead) == before


def test_a_rep_may_not_claim_a_lead_a_team_lead_gave_to_another(server: Running) -> None:
    uid = pool(server, 1)[0]
    given = event(uid, "reassigned", "morgan", to="marcus")
    assert push(server, "morgan", given).accepted == [given.id]  # still an MQL, now marcus's
    claim = event(uid, "claimed", "dana", rep="dana")
    answer = push(server, "dana", claim)
    assert [(r.reason, r.holder) for r in answer.refused] == [
        ("this lead is marcus's; ask a team lead to reassign it", "marcus")
    ]
    assert server.team.lead(uid).owner == "marcus"  # type: ignore[union-attr]


def test_what_reps_and_team_leads_do_from_their_apps_still_lands(server: Running) -> None:
    mql, junk, fresh = pool(server, 3)
    claim = event(mql, "claimed", "dana", rep="dana")
    slip = event(mql, "attempt", "dana", channel="call", outcome="no_answer", note="")
    mine = [
        claim,
        event(mql, "attempt", "dana", channel="call", outcome="connected", note=""),
        slip,
        event(mql, "undone", "dana", event=slip.id, kind="attempt"),
        event(mql, "snoozed", "dana", until="2026-11-20T15:00:00+00:00"),
        event(mql, "accepted", "dana", note=""),
        event(mql, "qualified", "dana", checklist=CHECKED, note=""),
        event(mql, "closed", "dana", outcome="won"),  # her own qualified lead
        event(junk, "disqualified", "dana", reason="student", note=""),  # junk in the pool
    ]
    answer = push(server, "dana", *mine)
    assert answer.refused == [] and answer.accepted == [wire.id for wire in mine]
    won = server.team.lead(mql)
    assert won is not None and (won.stage.value, won.owner, won.calls) == ("won", "dana", 1)

    nurturing = lead_where(server, "stage = 'nurturing'")
    theirs = lead_where(server, "stage = 'qualified' AND owner = 'marcus'")
    leads = [
        event(nurturing, "became_mql", "morgan", score=80, fit=40, engagement=40),
        event(nurturing, "rescored", "morgan", score=85, fit=40, engagement=45),
        event(theirs, "closed", "morgan", outcome="lost"),
        event(fresh, "claimed", "morgan", rep="marcus"),
        event(mql, "undone", "morgan", event=mine[-2].id, kind="closed"),  # dana's step
    ]
    answer = push(server, "morgan", *leads)
    assert answer.refused == [] and answer.accepted == [wire.id for wire in leads]
    assert server.team.lead(fresh).owner == "marcus"  # type: ignore[union-attr]
    assert server.team.lead(nurturing).score == 85  # type: ignore[union-attr]
    assert server.team.lead(mql).stage.value == "qualified"  # type: ignore[union-attr]


def claim_over_http(server: Running, rep: str, uid: str, version: int) -> httpx.Response:
    return httpx.post(
        f"{server.url}/leads/{uid}/claim",
        json={"version": version},
        headers={"Authorization": f"Bearer {server.tokens[rep]}"},
    )


def test_a_losing_claim_says_who_holds_the_lead_and_not_its_name(server: Running) -> None:
    uid = pool(server, 1)[0]
    lead = server.team.lead(uid)
    assert lead is not None and lead.name
    assert claim_over_http(server, "marcus", uid, lead.version).status_code == 200
    lost = claim_over_http(server, "dana", uid, lead.version)
    assert lost.status_code == 409
    assert lost.json() == {"detail": f"lead {uid} is held by marcus now"}
    assert lead.name not in lost.text and lead.company not in lost.text


def test_a_claim_on_a_free_lead_that_changed_gives_its_version(server: Running) -> None:
    uid = pool(server, 1)[0]
    version = server.team.lead(uid).version  # type: ignore[union-attr]
    snooze = event(uid, "snoozed", "morgan", until="2026-11-20T15:00:00+00:00")
    assert push(server, "morgan", snooze).accepted == [snooze.id]  # still free, one step on
    stale = claim_over_http(server, "dana", uid, version)
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": f"lead {uid} changed since you read it: it is at version {version + 1} now"
    }
