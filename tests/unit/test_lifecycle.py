"""The lifecycle table: allowed moves pass, others are refused with what is allowed."""

from __future__ import annotations

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.lifecycle import ALLOWED_FROM, TransitionRefused, allowed, check, may_make
from leadtui.core.models import Event, EventKind, Projection, Role, Stage
from tests.conftest import NOW

CHECKED = {"decision_maker": True, "budget": True, "need": True, "timing": True}


def _event(kind: EventKind, actor: str = "dana", **payload: object) -> Event:
    return Event(lead_id=1, kind=kind, actor=actor, at=NOW, payload=payload)


def _lead(stage: Stage, owner: str | None = "dana") -> Projection:
    return Projection(stage=stage, owner=owner)


def test_the_happy_path_is_allowed(terms: Agreement) -> None:
    check(_lead(Stage.MQL, None), _event(EventKind.CLAIMED, rep="dana"), terms)
    check(
        _lead(Stage.WORKING),
        _event(EventKind.ATTEMPT, channel="call", outcome="voicemail", note=""),
        terms,
    )
    check(_lead(Stage.WORKING), _event(EventKind.ACCEPTED), terms)
    check(_lead(Stage.ACCEPTED), _event(EventKind.QUALIFIED, checklist=CHECKED), terms)
    for stage in (Stage.MQL, Stage.WORKING, Stage.ACCEPTED):
        check(_lead(stage), _event(EventKind.DISQUALIFIED, reason="student"), terms)
        check(_lead(stage), _event(EventKind.RETURNED_TO_NURTURE, reason="not_now"), terms)


def test_moves_outside_the_table_say_what_is_allowed(terms: Agreement) -> None:
    with pytest.raises(TransitionRefused) as refused:
        check(_lead(Stage.MQL), _event(EventKind.QUALIFIED, checklist=CHECKED), terms)
    assert str(refused.value) == (  # a rep is offered what a rep may do
        "cannot qualify a lead that is mql; you can claim, return to nurture, disqualify, snooze"
    )
    with pytest.raises(TransitionRefused) as refused:
        check(_lead(Stage.MQL), _event(EventKind.QUALIFIED, checklist=CHECKED), terms, Role.LEAD)
    assert str(refused.value).endswith("disqualify, snooze, reassign")  # a team lead's too
    with pytest.raises(TransitionRefused) as refused:
        check(_lead(Stage.QUALIFIED), _event(EventKind.DISQUALIFIED, reason="student"), terms)
    assert str(refused.value) == "cannot disqualify a lead that is qualified"  # no "close"
    assert allowed(Stage.NURTURING, Role.REP) == [] and allowed(Stage.NURTURING) == [
        "hand to sales"
    ]
    with pytest.raises(TransitionRefused, match="cannot accept a lead that is disqualified$"):
        check(_lead(Stage.DISQUALIFIED), _event(EventKind.ACCEPTED), terms)
    assert allowed(Stage.WON) == []


def test_every_open_stage_can_be_left_with_a_reason(terms: Agreement) -> None:
    for kind in (EventKind.RETURNED_TO_NURTURE, EventKind.DISQUALIFIED):
        assert {Stage.MQL, Stage.WORKING, Stage.ACCEPTED} <= ALLOWED_FROM[kind]


def test_reasons_come_from_the_agreement(terms: Agreement) -> None:
    with pytest.raises(TransitionRefused) as refused:
        check(_lead(Stage.WORKING), _event(EventKind.DISQUALIFIED, reason="rude"), terms)
    assert str(refused.value).startswith("disqualify needs a reason: one of student, competitor,")
    assert str(refused.value).endswith("(not 'rude')")
    with pytest.raises(
        TransitionRefused, match="return to nurture needs a reason: one of no_response"
    ):
        check(_lead(Stage.WORKING), _event(EventKind.RETURNED_TO_NURTURE), terms)


def test_qualify_needs_the_whole_checklist(terms: Agreement) -> None:
    partial = CHECKED | {"budget": False}
    with pytest.raises(TransitionRefused, match="checklist confirmed: budget$"):
        check(_lead(Stage.ACCEPTED), _event(EventKind.QUALIFIED, checklist=partial), terms)
    with pytest.raises(TransitionRefused, match="decision maker, budget, need, timing"):
        check(_lead(Stage.ACCEPTED), _event(EventKind.QUALIFIED), terms)


def test_only_the_owner_or_a_team_lead_works_a_lead(terms: Agreement) -> None:
    attempt = _event(EventKind.ATTEMPT, actor="marcus", channel="call", outcome="no_answer")
    with pytest.raises(TransitionRefused, match="this lead is dana's; ask a team lead"):
        check(_lead(Stage.WORKING), attempt, terms)
    check(_lead(Stage.WORKING), attempt, terms, role=Role.LEAD)
    with pytest.raises(TransitionRefused, match="only a team lead can reassign"):
        check(_lead(Stage.WORKING), _event(EventKind.REASSIGNED, to="marcus"), terms)
    check(_lead(Stage.WORKING), _event(EventKind.REASSIGNED, to="marcus"), terms, role=Role.LEAD)


def test_an_outcome_must_fit_its_channel(terms: Agreement) -> None:
    with pytest.raises(TransitionRefused, match="a call ends connected, gatekeeper, no-answer"):
        check(
            _lead(Stage.WORKING),
            _event(EventKind.ATTEMPT, channel="call", outcome="replied"),
            terms,
        )


# Who may make each kind (the README's table): a rep (dana) on her own lead, on
# another rep's (marcus's), on a lead nobody holds; a team lead may make them all.
MAY = {
    EventKind.BECAME_MQL: (False, False, False),
    EventKind.CLAIMED: (True, False, True),
    EventKind.ATTEMPT: (True, False, True),
    EventKind.ACCEPTED: (True, False, True),
    EventKind.QUALIFIED: (True, False, True),
    EventKind.RETURNED_TO_NURTURE: (True, False, True),
    EventKind.DISQUALIFIED: (True, False, True),
    EventKind.SNOOZED: (True, False, True),
    EventKind.REASSIGNED: (False, False, False),
    EventKind.RESCORED: (False, False, False),
    EventKind.CLOSED: (True, False, False),
    EventKind.UNDONE: (True, False, True),  # her own step
}


def _may(role: Role, owner: str | None, event: Event, taken: Event | None = None) -> bool:
    try:
        may_make(role, Projection(owner=owner), event, taken)
    except TransitionRefused:
        return False
    return True


def test_who_may_make_each_kind_by_role_and_whose_lead_it_is() -> None:
    assert set(MAY) == set(EventKind)
    for kind, expected in MAY.items():
        by_dana = _event(kind)
        own_step = _event(EventKind.ATTEMPT)
        for owner, allowed_here in zip(("dana", "marcus", None), expected, strict=True):
            assert _may(Role.REP, owner, by_dana, own_step) is allowed_here, (kind, owner)
            assert _may(Role.LEAD, owner, by_dana, own_step), (kind, owner)


def test_a_rep_claims_only_for_themselves_and_takes_back_only_their_own_step() -> None:
    for_marcus = _event(EventKind.CLAIMED, rep="marcus")
    assert not _may(Role.REP, None, for_marcus)
    assert _may(Role.LEAD, None, for_marcus)
    undo = _event(EventKind.UNDONE)
    marcus_step = _event(EventKind.ATTEMPT, actor="marcus")
    assert not _may(Role.REP, None, undo, marcus_step)
    assert not _may(Role.REP, "dana", undo, marcus_step)
    assert _may(Role.LEAD, "marcus", undo, marcus_step)
